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
import { BENCH_SECRETS, type SimulatorHandle, startBff, startSimulator } from "../lib/stack.ts";
import { fmt, median, percentile } from "../lib/stats.ts";
import { serviceToken } from "../lib/tokens.ts";
import type { BenchContext, Benchmark, Goal } from "../lib/types.ts";

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
  budgetSec: 170,
  async run(ctx) {
    // MS8_BENCH_SOAK_SECONDS: a longer soak by hand (does memory level off?); the report says so.
    const seconds = Number(process.env.MS8_BENCH_SOAK_SECONDS) || (ctx.quick ? 20 : 60);
    const simulator = await startSimulator(ctx);
    try {
      const main = await soakOnce(ctx, simulator, seconds, []);
      // RSS growing while the retained heap stays flat: the same soak against a BFF whose V8 heap is
      // capped (young generation 2 x 8 MB, old generation 160 MB) tells V8's heap sizing apart from
      // native memory outside it. Only a control: the BFF runs with Node's defaults.
      const control =
        main.rssGrowth > FLAT_GROWTH && main.heapGrowth <= FLAT_GROWTH
          ? await soakOnce(ctx, simulator, seconds, CONTROL_FLAGS)
          : undefined;
      return report(main, control, seconds);
    } finally {
      await simulator.program.stop();
    }
  },
};

/** V8 flags of the control run: caps on the heap V8 may commit, nothing else changed. */
const CONTROL_FLAGS = ["--max-semi-space-size=8", "--max-old-space-size=160"];

type SoakFigures = Awaited<ReturnType<typeof soakOnce>>;

async function soakOnce(ctx: BenchContext, simulator: SimulatorHandle, seconds: number, nodeArgs: string[]) {
  const bff = await startBff(ctx, {
    name: nodeArgs.length ? "bff-capped-heap" : "bff",
    upstreamEnv: simulator.env,
    memoryProbe: true,
    nodeArgs,
  });
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
    if (writes) for (let i = 0; i < 3; i++) requests.splice(Math.floor(((i + 1) * requests.length) / 4), 0, writer(i));
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
    const statusCodes = Object.entries(result.statusCodeStats ?? {})
      .map(([code, v]) => `${v.count} × ${code}`)
      .join(", ");
    return {
      nodeArgs,
      requests: requests.length,
      usable,
      skipped,
      writes,
      warmSec,
      total: result.requests.total,
      rate: result.requests.total / result.duration,
      statusCodes,
      errors,
      errorParts: `${result.errors} / ${result.timeouts} / ${result.non2xx}`,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      first: {
        rss: m(first, "rss"),
        heapUsed: m(first, "heapUsed"),
        heapTotal: m(first, "heapTotal"),
        external: median(first.map((s) => s.external)),
        n: first.length,
      },
      last: {
        rss: m(last, "rss"),
        heapUsed: m(last, "heapUsed"),
        heapTotal: m(last, "heapTotal"),
        external: median(last.map((s) => s.external)),
        n: last.length,
      },
      retainedFirst,
      retainedLast,
      rssGrowth,
      heapGrowth,
      samples,
    };
  } finally {
    await bff.stop();
  }
}

const mb = (bytes: number) => fmt(bytes / MB, 1);
const pct = (growth: number) => `${growth >= 0 ? "+" : ""}${fmt(growth * 100, 1)} %`;

function report(main: SoakFigures, control: SoakFigures | undefined, seconds: number) {
  const committed = (f: SoakFigures) => f.last.heapTotal - f.first.heapTotal;
  const outsideV8 = (f: SoakFigures) => f.last.rss - f.last.heapTotal - (f.first.rss - f.first.heapTotal);
  let rssReason: string;
  if (main.heapGrowth > FLAT_GROWTH) rssReason = "the heap retained after a full GC grows too: see the section";
  else {
    rssReason = `the heap retained after a full GC stays flat (${mb(main.retainedFirst)} → ${mb(main.retainedLast)} MB), so no JavaScript leak; of the RSS growth (${fmt((main.last.rss - main.first.rss) / MB, 0)} MB) V8's committed heap explains ${fmt(committed(main) / MB, 0)} MB (a young generation grown to its maximum and an old generation left to fill with dead cache entries between full collections) and memory outside V8 ${fmt(outsideV8(main) / MB, 0)} MB`;
    if (control) {
      rssReason += `; the same soak against a BFF with V8's heap capped (${CONTROL_FLAGS.join(" ")}) stays ${control.rssGrowth <= FLAT_GROWTH ? "flat" : "growing"}: ${mb(control.first.rss)} → ${mb(control.last.rss)} MB (${pct(control.rssGrowth)}), ${control.errors} errors`;
    }
  }
  const goals: Goal[] = [
    {
      label: `errors + timeouts + non-2xx over ${seconds} s`,
      target: "0",
      figure: String(main.errors),
      met: main.errors === 0,
    },
    {
      reason: rssReason,
      label: "RSS, last 10 s vs first 10 s (median)",
      target: `flat (≤ +${FLAT_GROWTH * 100} %)`,
      figure: `${mb(main.first.rss)} → ${mb(main.last.rss)} MB (${pct(main.rssGrowth)})`,
      met: main.rssGrowth <= FLAT_GROWTH,
    },
    {
      label: "V8 heap retained after a full GC, at 10 s vs at the end",
      target: `flat (≤ +${FLAT_GROWTH * 100} %)`,
      figure: `${mb(main.retainedFirst)} → ${mb(main.retainedLast)} MB (${pct(main.heapGrowth)})`,
      met: main.heapGrowth <= FLAT_GROWTH,
    },
  ];
  const runs = control ? [main, control] : [main];
  const column = (f: SoakFigures) => (f.nodeArgs.length ? `capped heap (\`${f.nodeArgs.join(" ")}\`)` : "value");
  const row = (label: string, value: (f: SoakFigures) => string) => [label, ...runs.map(value)];
  const markdown = [
    `autocannon at a steady ${SOAK_RATE} req/s (\`overallRate\`), 10 connections, ${seconds} s after a ${main.warmSec} s warm-up at the same rate (not counted), cycling through ${main.requests} requests: with an org admin's token ${main.usable.length - 2 > 0 ? "every learner widget resource (velocity, drop-off risk, forecast, gamification) of 25 learners, the org lists and summary, /me and /health" : main.usable.join(", ")}${main.writes ? ", and 3 × POST /api/v1/events (5 fresh events each, service token) spread through the cycle" : ""}. ${main.skipped.length ? `Left out because they did not answer 200 before the run: ${main.skipped.join(", ")}.` : ""} Memory sampled every 500 ms inside the BFF by a preloaded probe (\`node --expose-gc --import bench/lib/memory-probe.ts\`; the app is untouched), which also runs a full garbage collection on SIGUSR2: once at the end of the first ten seconds, once at the end, so the heap compared is what is really retained (between collections V8's heap saws up and down by tens of MB). "Flat" means at most ${FLAT_GROWTH * 100} % growth: for RSS, median of the first ten seconds against median of the last ten; for the heap, retained after the first collection against after the last.`,
    ...(control
      ? [
          "",
          `RSS grew while the retained heap stayed flat, so the soak ran a second time against a fresh BFF whose V8 heap is capped (\`${CONTROL_FLAGS.join(" ")}\`, nothing else changed; a control, not how the BFF runs): if RSS stays flat there, the growth is V8 sizing its heap (a young generation grown to its maximum, an old generation filling with dead cache entries until a full collection), not native memory. The goals above are the first run's.`,
        ]
      : []),
    "",
    table(
      ["", ...runs.map(column)],
      [
        row("requests", (f) => fmt(f.total)),
        row("mean rate (req/s)", (f) => fmt(f.rate, 1)),
        row("status codes", (f) => f.statusCodes),
        row("errors / timeouts / non-2xx", (f) => f.errorParts),
        row("latency p50 / p99 (ms)", (f) => `${fmt(f.p50, 2)} / ${fmt(f.p99, 2)}`),
        row("RSS first 10 s / last 10 s (MB, median)", (f) => `${mb(f.first.rss)} / ${mb(f.last.rss)}`),
        row("heap used first 10 s / last 10 s (MB, median)", (f) => `${mb(f.first.heapUsed)} / ${mb(f.last.heapUsed)}`),
        row(
          "heap total (committed) first 10 s / last 10 s (MB, median)",
          (f) => `${mb(f.first.heapTotal)} / ${mb(f.last.heapTotal)}`,
        ),
        row("RSS outside V8's heap, growth (MB)", (f) => fmt(outsideV8(f) / MB, 1)),
        row("external first 10 s / last 10 s (MB, median)", (f) => `${mb(f.first.external)} / ${mb(f.last.external)}`),
        row(
          "heap retained after a full GC at 10 s / at the end (MB)",
          (f) => `${mb(f.retainedFirst)} / ${mb(f.retainedLast)}`,
        ),
        row("memory samples (first / last window)", (f) => `${f.first.n} / ${f.last.n}`),
      ],
    ),
  ].join("\n");
  const raw = {
    seconds,
    rate: SOAK_RATE,
    usable: main.usable,
    skipped: main.skipped,
    samples: main.samples,
    control: control?.samples,
  };
  return { goals, markdown, raw };
}
