/**
 * The BFF's problem answers (RFC 9457) in the dashboard's own words. The server's `detail` and
 * field errors are written for developers ("path.learnerId: a learner id: 1-64 letters…"), and in
 * English only: people read a sentence in the page's language, the console keeps the original.
 */
import type { Translate } from "./i18n.ts";

interface ProblemLike {
  status?: number;
  problem?: { type?: string; title?: string; detail?: string; errors?: { path: string; message: string }[] };
}

/** Which request the problem answered, where the same status means different things. */
export type ProblemContext = "login" | "load";

export function humanProblem(t: Translate, error: unknown, context: ProblemContext = "load"): string {
  const { status = 0, problem } = (error ?? {}) as ProblemLike;
  // For whoever debugs: the server's own words, never shown on the page.
  if (problem?.detail || problem?.errors) console.info("MS8 problem", status, problem);
  if (status === 0) return t("problemUnreachable");
  if (status === 400 || status === 422) {
    const fields = (problem?.errors ?? []).map((e) => e.path.split(".").at(-1) ?? "");
    if (fields.includes("email")) return t("problemEmail");
    if (fields.includes("password")) return t("problemPassword");
    if (fields.some((f) => f === "learnerId")) return t("problemLearnerId");
    if (fields.some((f) => f === "orgId")) return t("problemOrgId");
    return t("problemInput");
  }
  if (status === 401) return context === "login" ? t("problemLogin") : t("problemSession");
  if (status === 403) return t("problemForbidden");
  if (status === 404) return t("problemNotFound");
  if (status === 429) return t("problemRateLimited");
  if (status === 502 || status === 503 || status === 504) return t("problemUpstream");
  return t("problemServer");
}
