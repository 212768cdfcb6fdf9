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
    // Where the time goes: with one service at 0 ms and the rest unchanged, a service on the
    // critical path shortens the answer by its latency; one called in parallel with a slower one
    // changes nothing. Three cold learners per service, median.
    const services = [...new Set(samples.flatMap((s) => s.services))];
    const criticalPath: { service: string; latencyMs: number; answerMs: number; savedMs: number }[] = [];
    const baseline = median(samples.map((s) => s.ms));
    let spare = count;
    for (const service of services) {
      await simulator.setLatency({ ...UPSTREAM_LATENCY_MS, [service]: 0 });
      const times: number[] = [];
      for (let k = 0; k < 3 && spare < cast.learnerIds.length - 1; k++, spare++) {
        times.push((await getAnswer(`${bff.url}${velocityPath(cast.learnerIds[spare]!)}`, cast.adminAuth)).ms);
      }
      const answerMs = median(times);
      criticalPath.push({
        service,
        latencyMs: UPSTREAM_LATENCY_MS[service] ?? 0,
        answerMs,
        savedMs: baseline - answerMs,
      });
    }
    await Promise.all([bff.stop(), simulator.program.stop()]);

    const ok = samples.filter((s) => s.status === 200 && s.dataSource === "realtime");
    const overheads = ok.map((s) => s.overheadMs);
    const med = median(overheads);
    const goals = [
      {
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
      "Critical path: the same cold request with one service's latency set to 0 ms (the others unchanged), three cold learners each, median. A service whose removal saves about its own latency is waited for on its own, before or after the others; with every call in parallel only the slowest one would matter.",
      "",
      table(
        ["Service at 0 ms", "its latency (ms)", "cold answer (ms)", "saved vs all on (ms)"],
        criticalPath.map((c) => [c.service, c.latencyMs, fmt(c.answerMs, 1), fmt(c.savedMs, 1)]),
      ),
    ].join("\n");
    return { goals, markdown, raw: { latencies: UPSTREAM_LATENCY_MS, samples, criticalPath } };
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
