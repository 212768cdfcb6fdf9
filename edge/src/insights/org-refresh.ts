/**
 * Computes and stores the analytics snapshots of every learner of an organization, so the
 * organization lists (`/orgs/{orgId}/learners`, `/at-risk`, `/summary`), which read Postgres only,
 * know learners nobody has opened yet. Meant for after seeding and for a periodic job; each learner
 * goes through the normal insights path (cache, single-flight, breakers), a few at a time, profile
 * first as a learner route does, so the stored learner carries their trainers (which narrow a
 * trainer's org lists).
 */
import type { LearnerInsights } from "../deps.ts";
import type { Upstreams } from "../upstream/clients.ts";

export interface OrgRefreshSummary {
  learners: number;
  /** dataSource of each answer: realtime (computed now), cached (snapshot still current), ... */
  bySource: Record<string, number>;
  failed: { learnerId: string; error: string }[];
}

export async function refreshOrgSnapshots(options: {
  insights: LearnerInsights;
  upstreams: Pick<Upstreams, "directory">;
  orgId: string;
  /** Learners computed at once (default 4: gentle on the services). */
  concurrency?: number;
}): Promise<OrgRefreshSummary> {
  const learnerIds: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await options.upstreams.directory.orgUsers(options.orgId, { role: "learner", cursor, limit: 500 });
    if (!page) break;
    learnerIds.push(...page.items.map((u) => u.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);

  const summary: OrgRefreshSummary = { learners: learnerIds.length, bySource: {}, failed: [] };
  const writes: Promise<unknown>[] = [];
  const queue = [...learnerIds];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        await options.insights.profile(id);
        const answer = await options.insights.dropoffRisk(id, { waitUntil: (w) => void writes.push(w) });
        summary.bySource[answer.dataSource] = (summary.bySource[answer.dataSource] ?? 0) + 1;
      } catch (error) {
        summary.failed.push({ learnerId: id, error: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  await Promise.allSettled(writes); // the snapshots are written behind each answer
  return summary;
}
