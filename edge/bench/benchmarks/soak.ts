/**
 * 8. Soak: 60 s of mixed traffic at a steady rate against the Node BFF; zero errors, and memory
 * (RSS and V8 heap of the BFF process, sampled from inside by a preloaded probe) of the first ten
 * seconds against the last ten.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import autocannon, { type Request as LoadRequest } from "autocannon";
import { table } from "../lib/report.ts";
import { castFrom, getAnswer } from "../lib/scenario.ts";
import { BENCH_SECRETS, startBff, startSimulator } from "../lib/stack.ts";
import { fmt, median, percentile } from "../lib/stats.ts";
import { serviceToken } from "../lib/tokens.ts";
import type { Benchmark } from "../lib/types.ts";

export const SOAK_RATE = 200; // requests per second, steady
const MB = 1024 * 1024;
/** "Flat": the last ten seconds' median at most this much above the first ten seconds'. */
export const FLAT_GROWTH = 0.1;

interface MemorySample {
  t: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  afterGc?: boolean;
}

export const soak: Benchmark = {
  name: "soak",
  title: "8. Soak: 60 s of mixed traffic",
  budgetSec: 100,
  async run(ctx) {
    const seconds = ctx.quick ? 20 : 60;
    const simulator = await startSimulator(ctx);
    const bff = await startBff(ctx, { upstreamEnv: simulator.env, memoryProbe: true });
    try {
      const cast = await castFrom(simulator);
      // The mix a dashboard page makes: each widget's resource for a set of learners, the org
      // lists and summary, /me and /health.
      const learners = cast.learnerIds.slice(0, 25);
      const paths = [
        ...learners.flatMap((id) =>
          ["velocity", "dropoff-risk", "forecast", "gamification"].map((k) => `/api/v1/learners/${id}/${k}`),
        ),
        `/api/v1/orgs/${cast.orgId}/learners?limit=50`,
        `/api/v1/orgs/${cast.orgId}/at-risk?limit=50`,
        `/api/v1/orgs/${cast.orgId}/summary`,
        "/api/v1/me",
        "/health",
      ];
      // Which of them the BFF can answer at all (a route not wired yet would only add noise).
      const usable: string[] = [];
      const skipped: string[] = [];
      for (const path of paths) {
        const answer = await getAnswer(`${bff.url}${path}`, cast.adminAuth).catch(() => ({ status: 0 }));
        if (answer.status === 200) usable.push(path);
        else skipped.push(`${path} (${answer.status})`);
      }
      if (usable.length === 0) throw new Error(`no route of the mix answers 200: ${skipped.slice(0, 5).join(", ")}`);
      const requests: LoadRequest[] = usable.map((path) => ({ method: "GET", path, headers: cast.adminAuth }));
      // Writes too: the platform posting a few events now and then (fresh ids each time), which
      // also invalidates those learners' cached gamification answers.
      const service = `Bearer ${serviceToken("bench-soak", "events:write", BENCH_SECRETS.SERVICE_SECRET, 900)}`;
      const writer = (i: number) => ({
        method: "POST",
        path: "/api/v1/events",
        headers: { authorization: service, "content-type": "application/json" },
        setupRequest: (request: LoadRequest) => ({
          ...request,
          body: JSON.stringify({
            events: learners.slice(i * 5, i * 5 + 5).map((learnerId) => ({
              eventId: randomUUID(),
              learnerId,
              orgId: cast.orgId,
              type: "lesson_completed",
              occurredAt: new Date(Date.now() - 60_000).toISOString(),
              data: { courseId: "crs-soak" },
            })),
          }),
        }),
      });
      const probe = await fetch(`${bff.url}/api/v1/events`, {
        method: "POST",
        headers: { authorization: service, "content-type": "application/json" },
        body: JSON.stringify({ events: [] }),
      });
      const writes = probe.status === 200;
      if (writes)
        for (let i = 0; i < 3; i++) requests.splice(Math.floor(((i + 1) * requests.length) / 4), 0, writer(i));
      else skipped.push(`POST /api/v1/events (${probe.status})`);
      const tStart = Date.now();
      // Warm-up at the same rate, not counted: caches fill, the JIT settles, V8 sizes its heap.
      const warmSec = ctx.quick ? 5 : 10;
      await autocannon({
        url: bff.url,
        connections: 10,
        duration: warmSec,
        overallRate: SOAK_RATE,
        timeout: 10,
        requests,
      });
      const latencies: number[] = [];
      const run = autocannon({
        url: bff.url,
        connections: 10,
        duration: seconds,
        overallRate: SOAK_RATE,
        timeout: 10,
        requests,
      });
      run.on("response", (_client, _status, _bytes, ms) => {
        latencies.push(ms);
      });
      // A full collection at the end of the first ten seconds and at the end: the heap that is
      // really retained, which a leak makes grow.
      const collect = () => process.kill(bff.program.pid, "SIGUSR2");
      const firstGc = setTimeout(collect, 10_000);
      const result = await run;
      clearTimeout(firstGc);
      collect();
      await new Promise((r) => setTimeout(r, 1000));
      const tEnd = Date.now();
      const samples = readFileSync(bff.memoryFile!, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as MemorySample)
        .filter((s) => s.t >= tStart && s.t <= tEnd);
      const gcSamples = samples.filter((s) => s.afterGc);
      const retainedFirst = gcSamples[0]?.heapUsed ?? Number.NaN;
      const retainedLast = gcSamples.at(-1)?.heapUsed ?? Number.NaN;
      const periodic = samples.filter((s) => !s.afterGc);
      const first = periodic.filter((s) => s.t < tStart + 10_000);
      const last = periodic.filter((s) => s.t > tEnd - 11_000);
      const m = (list: MemorySample[], key: "rss" | "heapUsed" | "heapTotal") => median(list.map((s) => s[key]));
      const rssGrowth = m(last, "rss") / m(first, "rss") - 1;
      const heapGrowth = retainedLast / retainedFirst - 1;
      const errors = result.errors + result.timeouts + result.non2xx;
      const goals = [
        {
          label: `errors + timeouts + non-2xx over ${seconds} s`,
          target: "0",
          figure: String(errors),
          met: errors === 0,
        },
        {
          reason:
            heapGrowth <= FLAT_GROWTH
              ? `the heap retained after a full GC stays flat (${fmt(retainedFirst / MB, 1)} → ${fmt(retainedLast / MB, 1)} MB), so no JavaScript leak; of the RSS growth, V8's committed heap explains ${fmt((m(last, "heapTotal") - m(first, "heapTotal")) / MB, 0)} MB and external memory ${fmt((median(last.map((s) => s.external)) - median(first.map((s) => s.external))) / MB, 0)} MB; the rest is native memory outside V8 that this run does not identify (a longer soak would show whether it levels off)`
              : "the heap retained after a full GC grows too: see the section",
          label: "RSS, last 10 s vs first 10 s (median)",
          target: `flat (≤ +${FLAT_GROWTH * 100} %)`,
          figure: `${fmt(m(first, "rss") / MB, 1)} → ${fmt(m(last, "rss") / MB, 1)} MB (${rssGrowth >= 0 ? "+" : ""}${fmt(rssGrowth * 100, 1)} %)`,
          met: rssGrowth <= FLAT_GROWTH,
        },
        {
          label: "V8 heap retained after a full GC, at 10 s vs at the end",
          target: `flat (≤ +${FLAT_GROWTH * 100} %)`,
          figure: `${fmt(retainedFirst / MB, 1)} → ${fmt(retainedLast / MB, 1)} MB (${heapGrowth >= 0 ? "+" : ""}${fmt(heapGrowth * 100, 1)} %)`,
          met: heapGrowth <= FLAT_GROWTH,
        },
      ];
      const statusCodes = Object.entries(result.statusCodeStats ?? {})
        .map(([code, v]) => `${v.count} × ${code}`)
        .join(", ");
      const markdown = [
        `autocannon at a steady ${SOAK_RATE} req/s (\`overallRate\`), 10 connections, ${seconds} s after a ${warmSec} s warm-up at the same rate (not counted), cycling through ${requests.length} requests: with an org admin's token ${usable.length - 2 > 0 ? "every learner widget resource (velocity, drop-off risk, forecast, gamification) of 25 learners, the org lists and summary, /me and /health" : usable.join(", ")}${writes ? ", and 3 × POST /api/v1/events (5 fresh events each, service token) spread through the cycle" : ""}. ${skipped.length ? `Left out because they did not answer 200 before the run: ${skipped.join(", ")}.` : ""} Memory sampled every 500 ms inside the BFF by a preloaded probe (\`node --expose-gc --import bench/lib/memory-probe.ts\`; the app is untouched), which also runs a full garbage collection on SIGUSR2: once at the end of the first ten seconds, once at the end, so the heap compared is what is really retained (between collections V8's heap saws up and down by tens of MB). "Flat" means at most ${FLAT_GROWTH * 100} % growth: for RSS, median of the first ten seconds against median of the last ten; for the heap, retained after the first collection against after the last.`,
        "",
        table(
          ["", "value"],
          [
            ["requests", fmt(result.requests.total)],
            ["mean rate (req/s)", fmt(result.requests.total / result.duration, 1)],
            ["status codes", statusCodes],
            ["errors / timeouts / non-2xx", `${result.errors} / ${result.timeouts} / ${result.non2xx}`],
            ["latency p50 / p99 (ms)", `${fmt(percentile(latencies, 50), 2)} / ${fmt(percentile(latencies, 99), 2)}`],
            [
              "RSS first 10 s / last 10 s (MB, median)",
              `${fmt(m(first, "rss") / MB, 1)} / ${fmt(m(last, "rss") / MB, 1)}`,
            ],
            [
              "heap used first 10 s / last 10 s (MB, median)",
              `${fmt(m(first, "heapUsed") / MB, 1)} / ${fmt(m(last, "heapUsed") / MB, 1)}`,
            ],
            [
              "heap total (committed) first 10 s / last 10 s (MB, median)",
              `${fmt(m(first, "heapTotal") / MB, 1)} / ${fmt(m(last, "heapTotal") / MB, 1)}`,
            ],
            [
              "external first 10 s / last 10 s (MB, median)",
              `${fmt(median(first.map((s) => s.external)) / MB, 1)} / ${fmt(median(last.map((s) => s.external)) / MB, 1)}`,
            ],
            [
              "heap retained after a full GC at 10 s / at the end (MB)",
              `${fmt(retainedFirst / MB, 1)} / ${fmt(retainedLast / MB, 1)}`,
            ],
            ["memory samples (first / last window)", `${first.length} / ${last.length}`],
          ],
        ),
      ].join("\n");
      return { goals, markdown, raw: { seconds, rate: SOAK_RATE, usable, skipped, samples } };
    } finally {
      await Promise.all([bff.stop(), simulator.program.stop()]);
    }
  },
};
