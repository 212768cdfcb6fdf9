/**
 * 2. Cold path: each upstream answers after a realistic latency (40-200 ms, the simulator's
 * latency injection); the BFF's cold answer time minus the slowest upstream it called is its own
 * cost. 3. Single-flight: 500 concurrent cold requests for one learner, upstream calls counted by
 * the simulator per endpoint.
 */
import { table } from "../lib/report.ts";
import { castFrom, getAnswer, velocityPath } from "../lib/scenario.ts";
import { startBff, startSimulator } from "../lib/stack.ts";
import { fmt, median, percentile } from "../lib/stats.ts";
import { startTraceProxies, type TracedCall } from "../lib/trace-proxy.ts";
import type { Benchmark } from "../lib/types.ts";

/** Per-service latency for the cold path, spread over 40-200 ms like a real platform's mix. */
export const UPSTREAM_LATENCY_MS: Record<string, number> = {
  auth: 40,
  directory: 60,
  course: 80,
  content: 100,
  assessment: 200,
  skills: 120,
  learnerAi: 150,
  devlab: 90,
  rag: 180,
};

/** The proxies name services by their variable (LEARNER_AI_MS_URL -> learner_ai); the simulator by key. */
const SERVICE_KEYS: Record<string, string> = { learner_ai: "learnerAi" };

type Calls = Record<string, Record<string, number>>;
const calledServices = (calls: Calls) => Object.keys(calls).filter((s) => Object.keys(calls[s] ?? {}).length > 0);

export const coldPath: Benchmark = {
  name: "cold-path",
  title: "2. Cold path: BFF overhead over the slowest upstream",
  budgetSec: 30,
  async run(ctx) {
    const simulator = await startSimulator(ctx);
    const bff = await startBff(ctx, { upstreamEnv: simulator.env });
    const cast = await castFrom(simulator);
    await simulator.setLatency(UPSTREAM_LATENCY_MS);
    const count = Math.min(ctx.quick ? 8 : 30, cast.learnerIds.length - 25);
    // One learner to wake up connection pools and the JIT; not counted.
    await getAnswer(`${bff.url}${velocityPath(cast.learnerIds.at(-1)!)}`, cast.adminAuth);
    const samples: {
      learnerId: string;
      ms: number;
      slowestMs: number;
      overheadMs: number;
      services: string[];
      dataSource?: string;
      status: number;
    }[] = [];
    for (const learnerId of cast.learnerIds.slice(0, count)) {
      await simulator.resetStats();
      const answer = await getAnswer(`${bff.url}${velocityPath(learnerId)}`, cast.adminAuth);
      const { calls } = await simulator.stats();
      const services = calledServices(calls);
      const slowestMs = Math.max(0, ...services.map((s) => UPSTREAM_LATENCY_MS[s] ?? 0));
      samples.push({
        learnerId,
        ms: answer.ms,
        slowestMs,
        overheadMs: answer.ms - slowestMs,
        services,
        dataSource: answer.dataSource,
        status: answer.status,
      });
    }
    // Where the time goes: a second BFF whose upstream calls pass through recording proxies, so
    // a few cold answers can be laid out as timelines of their calls (the proxies add a little
    // latency of their own, which is why the figures above come from the direct BFF).
    const proxies = await startTraceProxies(simulator.env);
    const traced = await startBff(ctx, { name: "bff-traced", upstreamEnv: proxies.env });
    const timelines: { learnerId: string; answerMs: number; calls: TracedCall[] }[] = [];
    try {
      await getAnswer(`${traced.url}${velocityPath(cast.learnerIds.at(-2)!)}`, cast.adminAuth);
      for (const learnerId of cast.learnerIds.slice(count, count + 3)) {
        proxies.calls.length = 0;
        const t0 = performance.now();
        const answer = await getAnswer(`${traced.url}${velocityPath(learnerId)}`, cast.adminAuth);
        timelines.push({
          learnerId,
          answerMs: answer.ms,
          calls: proxies.calls
            .map((c) => ({ ...c, startMs: c.startMs - t0, endMs: c.endMs - t0 }))
            .sort((a, b) => a.startMs - b.startMs),
        });
      }
    } finally {
      await traced.stop();
      await proxies.stop();
    }
    await Promise.all([bff.stop(), simulator.program.stop()]);

    const ok = samples.filter((s) => s.status === 200 && s.dataSource === "realtime");
    const overheads = ok.map((s) => s.overheadMs);
    const med = median(overheads);
    const services = [...new Set(samples.flatMap((s) => s.services))];
    // The reason, read from the middle timeline: calls that started only after another answered.
    const mid = [...timelines].sort((a, b) => a.answerMs - b.answerMs)[Math.floor(timelines.length / 2)];
    let reason = "";
    if (mid?.calls.length) {
      const waited = mid.calls.filter((c) => mid.calls.some((o) => o !== c && o.endMs <= c.startMs));
      const lastEnd = Math.max(...mid.calls.map((c) => c.endMs));
      const gate = mid.calls
        .filter((o) => waited.some((c) => o.endMs <= c.startMs) && !waited.includes(o))
        .sort((a, b) => b.endMs - a.endMs)[0];
      reason = waited.length
        ? `${waited.map((c) => c.service).join(", ")} started only after ${gate ? `${gate.service} (\`${gate.endpoint.split("?")[0]}\`) answered at ${fmt(gate.endMs, 0)} ms` : "other calls answered"}, so two latencies add up; ${fmt(mid.answerMs - lastEnd, 1)} ms between the last upstream answer and the response`
        : `every call started together; ${fmt(mid.answerMs - lastEnd, 1)} ms between the last upstream answer and the response`;
    }
    const goals = [
      {
        reason,
        label: "cold answer − slowest upstream, median",
        target: "< 15 ms",
        figure: `${fmt(med, 1)} ms`,
        met: ok.length === samples.length && med < 15,
      },
    ];
    const markdown = [
      `Simulator latency per service (ms): ${Object.entries(UPSTREAM_LATENCY_MS)
        .map(([s, ms]) => `${s} ${ms}`)
        .join(
          ", ",
        )}. ${samples.length} sequential requests, each for a different learner (a cold cache each time), org admin token; the simulator's counters tell which services each request called, and the slowest of those is subtracted. Services called: ${services.join(", ") || "none"}.`,
      "",
      table(
        ["", "median", "p95", "min", "max"],
        [
          [
            "cold answer (ms)",
            ...[50, 95].map((p) =>
              fmt(
                percentile(
                  ok.map((s) => s.ms),
                  p,
                ),
                1,
              ),
            ),
            fmt(Math.min(...ok.map((s) => s.ms)), 1),
            fmt(Math.max(...ok.map((s) => s.ms)), 1),
          ],
          ["slowest upstream called (ms)", fmt(median(ok.map((s) => s.slowestMs))), "", "", ""],
          [
            "BFF's own time (ms)",
            fmt(med, 1),
            fmt(percentile(overheads, 95), 1),
            fmt(Math.min(...overheads), 1),
            fmt(Math.max(...overheads), 1),
          ],
        ],
      ),
      "",
      `Answers: ${ok.length} of ${samples.length} were 200 with \`dataSource: "realtime"\`${
        ok.length < samples.length
          ? ` (others: ${samples
              .filter((s) => !ok.includes(s))
              .map((s) => `${s.status}/${s.dataSource}`)
              .join(", ")})`
          : ""
      }.`,
      "",
      "Timeline of one cold answer (the middle one of three by answer time), from a second BFF whose upstream calls pass through recording proxies on loopback: when each call started and ended, in ms after the request was sent. Calls that start only after another has ended are waited for one after another.",
      "",
      ...(() => {
        const sorted = [...timelines].sort((a, b) => a.answerMs - b.answerMs);
        const mid = sorted[Math.floor(sorted.length / 2)];
        if (!mid) return ["(no timeline recorded)"];
        const lastEnd = Math.max(0, ...mid.calls.map((c) => c.endMs));
        return [
          table(
            ["Service", "Call", "started (ms)", "ended (ms)", "simulated latency (ms)"],
            mid.calls.map((c) => [
              c.service,
              `\`${c.endpoint}\``,
              fmt(c.startMs, 1),
              fmt(c.endMs, 1),
              UPSTREAM_LATENCY_MS[SERVICE_KEYS[c.service] ?? c.service] ?? "",
            ]),
          ),
          "",
          `Answer received at ${fmt(mid.answerMs, 1)} ms; the first upstream call started at ${fmt(mid.calls[0]?.startMs ?? Number.NaN, 1)} ms, the last ended at ${fmt(lastEnd, 1)} ms, leaving ${fmt(mid.answerMs - lastEnd, 1)} ms after the last upstream answer (computing, storing, answering).`,
        ];
      })(),
    ].join("\n");
    return { goals, markdown, raw: { latencies: UPSTREAM_LATENCY_MS, samples, timelines } };
  },
};

export const singleFlight: Benchmark = {
  name: "single-flight",
  title: "3. Single-flight under a burst of 500 cold requests",
  budgetSec: 30,
  async run(ctx) {
    const simulator = await startSimulator(ctx);
    const bff = await startBff(ctx, { upstreamEnv: simulator.env });
    const cast = await castFrom(simulator);
    // Latency keeps the first calls in flight while the burst arrives, as on a real platform.
    await simulator.setLatency(UPSTREAM_LATENCY_MS);
    // Warm a different learner so the pools and the JIT are awake, then count from zero.
    await getAnswer(`${bff.url}${velocityPath(cast.learnerIds.at(-1)!)}`, cast.adminAuth);
    await simulator.resetStats();
    const learnerId = cast.learnerIds[1]!;
    const url = `${bff.url}${velocityPath(learnerId)}`;
    const burst = 500;
    const t0 = performance.now();
    const answers = await Promise.all(
      Array.from({ length: burst }, () =>
        getAnswer(url, cast.adminAuth).catch((e: Error) => ({ status: 0, dataSource: e.message, ms: 0 })),
      ),
    );
    const wallMs = performance.now() - t0;
    const { calls } = await simulator.stats();
    await Promise.all([bff.stop(), simulator.program.stop()]);

    const endpoints = Object.entries(calls).flatMap(([service, byPath]) =>
      Object.entries(byPath).map(([endpoint, n]) => ({ service, endpoint, n })),
    );
    const statuses: Record<string, number> = {};
    for (const a of answers)
      statuses[`${a.status} ${a.dataSource ?? ""}`.trim()] =
        (statuses[`${a.status} ${a.dataSource ?? ""}`.trim()] ?? 0) + 1;
    const maxCalls = Math.max(0, ...endpoints.map((e) => e.n));
    const allOk = answers.every((a) => a.status === 200);
    const goals = [
      {
        label: "upstream calls per endpoint for 500 concurrent cold requests",
        target: "1 each",
        figure: endpoints.length ? `max ${maxCalls} over ${endpoints.length} endpoints` : "no upstream calls",
        met: endpoints.length > 0 && maxCalls === 1 && allOk,
      },
    ];
    const markdown = [
      `${burst} concurrent \`GET ${velocityPath(learnerId)}\` (org admin token, cache cold for this learner, upstream latency as in benchmark 2), all answered in ${fmt(wallMs)} ms. Answers: ${Object.entries(
        statuses,
      )
        .map(([k, n]) => `${n} × ${k}`)
        .join(", ")}.`,
      "",
      "Upstream calls counted by the simulator (`GET /__admin/stats`):",
      "",
      table(
        ["Service", "Endpoint", "Calls"],
        endpoints.map((e) => [e.service, `\`${e.endpoint}\``, e.n]),
      ),
    ].join("\n");
    return { goals, markdown, raw: { burst, wallMs, statuses, endpoints } };
  },
};
