/**
 * 6. Event ingestion: events per second into the real PostgreSQL server through the BFF's
 * POST /api/v1/events (service token), batches of 500 with a share of duplicates, totals checked
 * against the database afterwards.
 */
import { randomUUID } from "node:crypto";
import { startDatabase } from "../lib/postgres.ts";
import { table } from "../lib/report.ts";
import { BENCH_SECRETS, startBff, startSimulator } from "../lib/stack.ts";
import { fmt } from "../lib/stats.ts";
import { serviceToken } from "../lib/tokens.ts";
import type { Benchmark } from "../lib/types.ts";
import { NotReady } from "../lib/types.ts";

export const BATCH = 500;
export const DUPLICATE_SHARE = 0.1;
const POSTERS = 4;
const TYPES = [
  "lesson_completed",
  "lesson_completed",
  "login",
  "devlab_session",
  "assessment_passed",
  "assessment_failed",
];

interface Event {
  eventId: string;
  learnerId: string;
  orgId: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** Batches where, from the second on, a share of each batch repeats events already sent. */
export function makeBatches(learners: { id: string; orgId: string }[], batches: number, now = Date.now()) {
  const sent: Event[] = [];
  const out: Event[][] = [];
  let seq = 0;
  for (let b = 0; b < batches; b++) {
    const dupes = b === 0 ? 0 : Math.round(BATCH * DUPLICATE_SHARE);
    const batch: Event[] = [];
    for (let i = 0; i < dupes; i++) batch.push(sent[(b * 7919 + i * 104729) % sent.length]!);
    while (batch.length < BATCH) {
      const learner = learners[seq % learners.length]!;
      const type = TYPES[seq % TYPES.length]!;
      const event: Event = {
        eventId: randomUUID(),
        learnerId: learner.id,
        orgId: learner.orgId,
        type,
        occurredAt: new Date(now - ((seq * 7_777_777) % (30 * 86_400_000))).toISOString(),
        data: type.startsWith("assessment")
          ? { assessmentId: "asm-bench", score: type === "assessment_passed" ? 82 : 41 }
          : {},
      };
      seq++;
      sent.push(event);
      batch.push(event);
    }
    out.push(batch);
  }
  return { batches: out, unique: new Set(sent.map((e) => e.eventId)).size };
}

interface Answer {
  accepted: number;
  duplicates: number;
  rejected: number | unknown[];
}
const countOf = (v: number | unknown[] | undefined) => (Array.isArray(v) ? v.length : (v ?? 0));

export const ingestion: Benchmark = {
  name: "ingestion",
  title: "6. Event ingestion into PostgreSQL",
  budgetSec: 60,
  async run(ctx) {
    const db = await startDatabase(ctx);
    const simulator = await startSimulator(ctx);
    try {
      const bff = await startBff(ctx, { upstreamEnv: simulator.env, databaseUrl: db.url });
      const auth = `Bearer ${serviceToken("bench-ingestion", "events:write", BENCH_SECRETS.SERVICE_SECRET, 900)}`;
      const post = async (events: Event[]) => {
        const response = await fetch(`${bff.url}/api/v1/events`, {
          method: "POST",
          headers: { authorization: auth, "content-type": "application/json" },
          body: JSON.stringify({ events }),
          signal: AbortSignal.timeout(60_000),
        });
        return { status: response.status, body: await response.text() };
      };
      const probe = await post([]);
      if (probe.status === 404 || probe.status === 405)
        throw new NotReady(`POST /api/v1/events answers ${probe.status}: the ingestion route is not wired yet`);
      const learners = (await simulator.learners()).filter((l) => l.pattern);
      const count = ctx.quick ? 8 : 40;
      const { batches, unique } = makeBatches(learners, count);
      const sentTotal = batches.reduce((s, b) => s + b.length, 0);
      // One warm-up batch of other events first (JIT, pools, directory sync), not counted.
      const warm = makeBatches(learners.slice().reverse(), 1).batches[0]!;
      const warmAnswer = await post(warm);
      if (warmAnswer.status !== 200)
        throw new Error(`warm-up batch answered ${warmAnswer.status}: ${warmAnswer.body.slice(0, 400)}`);
      const warmAccepted = (JSON.parse(warmAnswer.body) as Answer).accepted;

      const answers: Answer[] = [];
      const failures: string[] = [];
      const rejections = new Map<string, number>();
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: POSTERS }, async () => {
          while (next < batches.length) {
            const batch = batches[next++]!;
            const answer = await post(batch);
            if (answer.status !== 200) {
              failures.push(`${answer.status}: ${answer.body.slice(0, 200)}`);
              continue;
            }
            const parsed = JSON.parse(answer.body) as Answer;
            answers.push(parsed);
            if (Array.isArray(parsed.rejected))
              for (const r of parsed.rejected as { reason?: string }[]) {
                const reason = String(r.reason ?? JSON.stringify(r)).slice(0, 80);
                rejections.set(reason, (rejections.get(reason) ?? 0) + 1);
              }
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const accepted = answers.reduce((s, a) => s + a.accepted, 0);
      const duplicates = answers.reduce((s, a) => s + a.duplicates, 0);
      const rejected = answers.reduce((s, a) => s + countOf(a.rejected), 0);
      const [row] = await db.sql<{ events: number }[]>`select count(*)::int as events from public.activity_events`;
      const stored = row?.events ?? 0;
      const expectedStored = unique + warmAccepted;
      const exact =
        failures.length === 0 &&
        rejected === 0 &&
        accepted === unique &&
        duplicates === sentTotal - unique &&
        stored === expectedStored;
      await bff.program.stop();
      const goals = [
        {
          label: `events/s through POST /api/v1/events (batches of ${BATCH}, ${DUPLICATE_SHARE * 100} % duplicates)`,
          target: "report",
          figure: fmt(sentTotal / seconds),
          met: null,
        },
        {
          label: "exact totals (answers and database)",
          target: "accepted = unique, duplicates = repeats, rows = accepted",
          figure: `${fmt(accepted)} / ${fmt(duplicates)} / ${fmt(stored - warmAccepted)} rows`,
          met: exact,
        },
      ];
      const markdown = [
        `Through the BFF: \`POST /api/v1/events\` with a service token (\`scope: events:write\`), the BFF on Node with \`DATABASE_URL\` pointing at a real PostgreSQL ${db.serverVersion} server (scripts/postgres-server.mjs, compat/auth.sql and supabase/migrations applied), the simulator as Directory. ${count} batches of ${BATCH} events over ${learners.length} learners of every organization, ${POSTERS} posters at once; from the second batch on ${DUPLICATE_SHARE * 100} % of each batch repeats events already sent (possibly still in flight in another poster's batch). One warm-up batch of ${warm.length} other events first, not timed.`,
        "",
        table(
          ["", "value"],
          [
            ["events sent (with duplicates)", fmt(sentTotal)],
            ["unique events", fmt(unique)],
            ["wall time (s)", fmt(seconds, 2)],
            ["events/s (sent)", fmt(sentTotal / seconds)],
            ["unique events stored/s", fmt(unique / seconds)],
            ["answers: accepted / duplicates / rejected", `${fmt(accepted)} / ${fmt(duplicates)} / ${fmt(rejected)}`],
            ["expected: accepted / duplicates", `${fmt(unique)} / ${fmt(sentTotal - unique)}`],
            ["activity_events rows after the run (minus warm-up)", fmt(stored - warmAccepted)],
            ["failed requests", failures.length ? failures.slice(0, 3).join("; ") : "0"],
          ],
        ),
        "",
        rejections.size
          ? `Rejection reasons: ${[...rejections.entries()].map(([r, n]) => `${n} × ${r}`).join("; ")}.`
          : "",
      ].join("\n");
      return { goals, markdown, raw: { sentTotal, unique, seconds, accepted, duplicates, rejected, stored, failures } };
    } finally {
      await simulator.program.stop();
      await db.stop();
    }
  },
};
