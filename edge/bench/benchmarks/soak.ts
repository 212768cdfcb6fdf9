/**
 * 8. Soak: 60 s of mixed traffic at a steady rate against the Node BFF; zero errors, and memory
 * (RSS and V8 heap of the BFF process, sampled from inside by a preloaded probe) of the first ten
 * seconds against the last ten.
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { table } from "../lib/report.ts";
import { castFrom, getAnswer } from "../lib/scenario.ts";
import { startBff, startSimulator } from "../lib/stack.ts";
import { fmt, median, percentile } from "../lib/stats.ts";
import type { Benchmark } from "../lib/types.ts";

export const SOAK_RATE = 200; // requests per second, steady
const MB = 1024 * 1024;
/** "Flat": the last ten seconds' median at most this much above the first ten seconds'. */
export const FLAT_GROWTH = 0.1;

interface MemorySample {
  t: number;
  rss: number;
  heapUsed: number;
}

export const soak: Benchmark = {
  name: "soak",
  title: "8. Soak: 60 s of mixed traffic",
  budgetSec: 90,
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
      const requests = usable.map((path) => ({ method: "GET", path, headers: cast.adminAuth }));
      const tStart = Date.now();
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
      const result = await run;
      const tEnd = Date.now();
      const samples = readFileSync(bff.memoryFile!, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as MemorySample)
        .filter((s) => s.t >= tStart && s.t <= tEnd);
      const first = samples.filter((s) => s.t < tStart + 10_000);
      const last = samples.filter((s) => s.t > tEnd - 10_000);
      const m = (list: MemorySample[], key: "rss" | "heapUsed") => median(list.map((s) => s[key]));
      const rssGrowth = m(last, "rss") / m(first, "rss") - 1;
      const heapGrowth = m(last, "heapUsed") / m(first, "heapUsed") - 1;
      const errors = result.errors + result.timeouts + result.non2xx;
      const goals = [
        {
          label: `errors + timeouts + non-2xx over ${seconds} s`,
          target: "0",
          figure: String(errors),
          met: errors === 0,
        },
        {
          label: "RSS, last 10 s vs first 10 s (median)",
          target: `flat (≤ +${FLAT_GROWTH * 100} %)`,
          figure: `${fmt(m(first, "rss") / MB, 1)} → ${fmt(m(last, "rss") / MB, 1)} MB (${rssGrowth >= 0 ? "+" : ""}${fmt(rssGrowth * 100, 1)} %)`,
          met: rssGrowth <= FLAT_GROWTH,
        },
        {
          label: "V8 heap used, last 10 s vs first 10 s (median)",
          target: `flat (≤ +${FLAT_GROWTH * 100} %)`,
          figure: `${fmt(m(first, "heapUsed") / MB, 1)} → ${fmt(m(last, "heapUsed") / MB, 1)} MB (${heapGrowth >= 0 ? "+" : ""}${fmt(heapGrowth * 100, 1)} %)`,
          met: heapGrowth <= FLAT_GROWTH,
        },
      ];
      const statusCodes = Object.entries(result.statusCodeStats ?? {})
        .map(([code, v]) => `${v.count} × ${code}`)
        .join(", ");
      const markdown = [
        `autocannon at a steady ${SOAK_RATE} req/s (\`overallRate\`), 10 connections, ${seconds} s, cycling through ${usable.length} requests with an org admin's token: ${usable.length - 2 > 0 ? "every learner widget resource (velocity, drop-off risk, forecast, gamification) of 25 learners, the org lists and summary, /me and /health" : usable.join(", ")}. ${skipped.length ? `Left out because they did not answer 200 before the run: ${skipped.join(", ")}.` : ""} Memory sampled once a second inside the BFF by a preloaded probe (\`node --import bench/lib/memory-probe.ts\`; the app is untouched). "Flat" means the last ten seconds' median at most ${FLAT_GROWTH * 100} % above the first ten seconds'.`,
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
