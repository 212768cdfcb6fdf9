/**
 * Who may see what. Decided from the caller's claims and the learner's Directory profile before
 * any analytics cache is read; the cache keys themselves never involve the caller.
 * - learner: only themself; never org lists.
 * - trainer: learners of their own organization, narrowed to the learners they train when the
 *   Directory lists trainers for the learner's courses; org lists of their own organization.
 * - org_admin: everything in their own organization.
 * Another organization is a 404 (no hint the learner exists); same organization but not allowed, 403.
 */
import type { Context } from "hono";
import type { Audience, EmbedWidget } from "../contract.ts";
import type { LearnerProfile, Principal } from "../deps.ts";
import { ProblemError } from "./problem.ts";

export type AccessDecision = "allow" | "forbidden" | "not_found";

export function learnerAccess(
  principal: Principal,
  profile: LearnerProfile | null,
  widget?: EmbedWidget,
): AccessDecision {
  if (!profile || profile.orgId !== principal.orgId) return "not_found";
  if (principal.embed) {
    const ok = principal.embed.learnerId === profile.learnerId && !!widget && principal.embed.widgets.includes(widget);
    return ok ? "allow" : "forbidden";
  }
  if (principal.roles.includes("org_admin")) return "allow";
  if (principal.roles.includes("trainer")) {
    const trainsThem = profile.trainerIds.length === 0 || profile.trainerIds.includes(principal.userId);
    if (trainsThem) return "allow";
  }
  return principal.userId === profile.learnerId ? "allow" : "forbidden";
}

export function orgAccess(principal: Principal, orgId: string): AccessDecision {
  if (orgId !== principal.orgId) return "not_found";
  if (principal.embed) return "forbidden";
  return principal.roles.includes("org_admin") || principal.roles.includes("trainer") ? "allow" : "forbidden";
}

export function enforce(decision: AccessDecision, what: string): void {
  if (decision === "not_found") throw new ProblemError("not_found", { detail: `no ${what} with that id` });
  if (decision === "forbidden") throw new ProblemError("forbidden", { detail: `this token may not read this ${what}` });
}

/**
 * Loads the learner's profile and throws 404/403 unless the caller may read it (as `widget`, for
 * embed tokens). Every learner route calls this first; routes/ai.ts too.
 */
export async function authorizeLearner(c: Context, learnerId: string, widget?: EmbedWidget): Promise<LearnerProfile> {
  const profile = await c.get("deps").insights.profile(learnerId, { requestId: c.get("requestId") });
  enforce(learnerAccess(c.get("principal"), profile, widget), "learner");
  return profile!;
}

export function authorizeOrg(c: Context, orgId: string): void {
  enforce(orgAccess(c.get("principal"), orgId), "organization");
}

/**
 * Whom a learner's AI texts speak to: the learner reading their own answers (also through an embed
 * token they minted), or anyone else allowed to read them, who supports the learner (trainer voice).
 */
export function audienceOf(principal: Principal, learnerId: string): Audience {
  return principal.userId === learnerId ? "learner" : "trainer";
}
