/**
 * 1. Cached read: GET /api/v1/learners/{id}/velocity, valid token, warm cache, on Node, beside a
 * bare node:http server (the limit) and Express 5 + jsonwebtoken + node-cache (the seed design).
 * Rounds interleave the three servers, rotating who goes first; medians of the rounds.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { profileWindow } from "../lib/inspector.ts";
import { type LoadFigures, load } from "../lib/load.ts";
import { freePort, type Program, startProgram, waitFor } from "../lib/proc.ts";
import { hotSpots } from "../lib/profile.ts";
import { table } from "../lib/report.ts";
import { castFrom, getAnswer, velocityPath } from "../lib/scenario.ts";
import { BENCH_SECRETS, type BffHandle, startBff, startSimulator } from "../lib/stack.ts";
import { fmt, median, ratio } from "../lib/stats.ts";
import type { BenchContext, Benchmark, Goal } from "../lib/types.ts";

export const CONNECTIONS = 10;

export interface Fixture {
  directory: Record<string, string>;
  velocity: Record<string, string>;
}

/** Start a comparison server (bench/servers/<kind>.ts) in its own process. */
export async function startComparison(
  ctx: BenchContext,
  kind: "bare" | "express" | "hono-minimal",
  fixtureFile: string,
  options: { name?: string; env?: Record<string, string> } = {},
): Promise<{ program: Program; url: string }> {
  const port = await freePort();
  const program = startProgram({
    name: options.name ?? kind,
    command: process.execPath,
    args: [join(ctx.edgeDir, "bench", "servers", `${kind}.ts`)],
    cwd: ctx.edgeDir,
    env: {
      PORT: String(port),
      BENCH_FIXTURE: fixtureFile,
      JWT_SECRET: BENCH_SECRETS.JWT_SECRET,
      NODE_ENV: "production",
      ...options.env,
    },
    logDir: ctx.logDir,
  });
  await waitFor(program, async () => program.output().includes('"listening":true'), 15_000, "listening");
  return { program, url: `http://127.0.0.1:${port}` };
}

/** Simulator + BFF with one learner's velocity warm in the cache; the body the comparisons serve. */
export async function warmStack(ctx: BenchContext, bffOptions: { inspector?: boolean; memoryProbe?: boolean } = {}) {
  const simulator = await startSimulator(ctx);
  const bff = await startBff(ctx, { upstreamEnv: simulator.env, ...bffOptions });
  const cast = await castFrom(simulator);
  const learnerId = cast.learnerIds[0]!;
  const url = `${bff.url}${velocityPath(learnerId)}`;
  const first = await getAnswer(url, cast.adminAuth);
  if (first.status !== 200)
    throw new Error(`warm-up GET ${velocityPath(learnerId)} answered ${first.status}: ${first.body.slice(0, 300)}`);
  const warm = await getAnswer(url, cast.adminAuth);
  if (warm.status !== 200 || warm.dataSource !== "cached")
    throw new Error(`second GET was not served from the cache (status ${warm.status}, dataSource ${warm.dataSource})`);
  const fixture: Fixture = { directory: cast.directory, velocity: { [learnerId]: warm.body } };
  const fixtureFile = join(ctx.logDir, "velocity-fixture.json");
  writeFileSync(fixtureFile, JSON.stringify(fixture));
  // The headers of the BFF's warm answer, but those Node writes itself (length, date, connection).
  const answerHeaders: Record<string, string> = {};
  warm.headers.forEach((value, name) => {
    if (!NODE_WRITES.has(name)) answerHeaders[name] = value;
  });
  const answerHeadersFile = join(ctx.logDir, "velocity-answer-headers.json");
  writeFileSync(answerHeadersFile, JSON.stringify(answerHeaders));
  return {
    simulator,
    bff,
    cast,
    learnerId,
    url,
    body: warm.body,
    firstMs: first.ms,
    fixtureFile,
    answerHeaders,
    answerHeadersFile,
  };
}

const NODE_WRITES = new Set(["content-length", "date", "connection", "keep-alive", "transfer-encoding"]);

export interface Contender {
  name: string;
  url: string;
  headers: Record<string, string>;
}

/** Interleaved rounds: each round measures every contender once, the starting one rotating. */
export async function interleave(
  ctx: BenchContext,
  contenders: Contender[],
  expectBody: string,
  rounds: number,
  durationSec: number,
): Promise<Map<string, LoadFigures[]>> {
  const figures = new Map<string, LoadFigures[]>(contenders.map((c) => [c.name, []]));
  for (const c of contenders) {
    // Warm-up: JIT, connection pools, caches; not counted.
    await load({ url: c.url, headers: c.headers, connections: CONNECTIONS, durationSec: 1 });
  }
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + r) % contenders.length]!;
      const f = await load({
        url: c.url,
        headers: c.headers,
        connections: CONNECTIONS,
        durationSec,
        expectBody: expectBody || undefined,
      });
      figures.get(c.name)!.push(f);
      ctx.say(
        `  round ${r + 1} ${c.name}: ${fmt(f.rps)} req/s, p50 ${fmt(f.p50, 2)} ms, p99 ${fmt(f.p99, 2)} ms, errors ${f.errors}, non-2xx ${f.non2xx}`,
      );
    }
  }
  return figures;
}

export function summaryRows(figures: Map<string, LoadFigures[]>) {
  return [...figures.entries()].map(([name, runs]) => ({
    name,
    rps: median(runs.map((f) => f.rps)),
    p50: median(runs.map((f) => f.p50)),
    p99: median(runs.map((f) => f.p99)),
    errors: runs.reduce((s, f) => s + f.errors + f.non2xx, 0),
    rounds: runs.map((f) => f.rps),
  }));
}

/** Profile the running BFF over one more load window and name the hot spots (for a missed goal). */
async function profileBff(
  ctx: BenchContext,
  bff: BffHandle,
  url: string,
  headers: Record<string, string>,
  durationSec: number,
) {
  if (!bff.inspectorUrl) return null;
  const profile = await profileWindow(bff.inspectorUrl, async () => {
    await load({ url, headers, connections: CONNECTIONS, durationSec });
  });
  return hotSpots(profile, ctx.root, 20);
}

const HEADERS_REFERENCE = "hono-minimal + the BFF's answer headers (reference)";

export const cachedRead: Benchmark = {
  name: "cached-read",
  title: "1. Cached read: BFF vs Express vs bare node:http",
  budgetSec: 135,
  async run(ctx) {
    const rounds = ctx.quick ? 2 : 4;
    const durationSec = ctx.quick ? 2 : 5;
    // The inspector is only listened on; a profile is taken after the rounds, if a goal is missed.
    const stack = await warmStack(ctx, { inspector: true });
    const bare = await startComparison(ctx, "bare", stack.fixtureFile);
    const express = await startComparison(ctx, "express", stack.fixtureFile);
    const honoMinimal = await startComparison(ctx, "hono-minimal", stack.fixtureFile);
    const honoHeaders = await startComparison(ctx, "hono-minimal", stack.fixtureFile, {
      name: "hono-minimal-headers",
      env: { BENCH_ANSWER_HEADERS: stack.answerHeadersFile },
    });
    const path = velocityPath(stack.learnerId);
    // The comparisons must answer the very bytes the BFF answers, or the race proves nothing.
    for (const [name, url, headers] of [
      ["bare", `${bare.url}${path}`, {}],
      ["express", `${express.url}${path}`, stack.cast.adminAuth],
      ["hono-minimal", `${honoMinimal.url}${path}`, stack.cast.adminAuth],
      ["hono-minimal-headers", `${honoHeaders.url}${path}`, stack.cast.adminAuth],
    ] as const) {
      const answer = await getAnswer(url, headers);
      if (answer.status !== 200 || answer.body !== stack.body)
        throw new Error(`${name} does not answer the BFF's bytes (status ${answer.status})`);
    }
    // ... and the headers reference the BFF's header set, value for value.
    const withHeaders = await getAnswer(`${honoHeaders.url}${path}`, stack.cast.adminAuth);
    for (const [name, value] of Object.entries(stack.answerHeaders)) {
      if (withHeaders.headers.get(name) !== value)
        throw new Error(`hono-minimal-headers answers ${name}: ${withHeaders.headers.get(name)}, not ${value}`);
    }
    const figures = await interleave(
      ctx,
      [
        { name: "bff", url: stack.url, headers: stack.cast.adminAuth },
        { name: "express", url: `${express.url}${path}`, headers: stack.cast.adminAuth },
        { name: "bare", url: `${bare.url}${path}`, headers: {} },
        { name: "hono-minimal (reference)", url: `${honoMinimal.url}${path}`, headers: stack.cast.adminAuth },
        { name: HEADERS_REFERENCE, url: `${honoHeaders.url}${path}`, headers: stack.cast.adminAuth },
      ],
      stack.body,
      rounds,
      durationSec,
    );
    await Promise.all([
      bare.program.stop(),
      express.program.stop(),
      honoMinimal.program.stop(),
      honoHeaders.program.stop(),
    ]);

    const rows = summaryRows(figures);
    const get = (name: string) => rows.find((r) => r.name === name)!;
    const vsExpress = ratio(get("bff").rps, get("express").rps);
    const vsBare = ratio(get("bff").rps, get("bare").rps);
    const perRound = figures.get("bff")!.map((f, i) => ({
      express: ratio(f.rps, figures.get("express")![i]!.rps),
      bare: ratio(f.rps, figures.get("bare")![i]!.rps),
    }));
    const goals: Goal[] = [
      { label: "BFF req/s ÷ Express req/s", target: "≥ 3×", figure: `${fmt(vsExpress, 2)}×`, met: vsExpress >= 3 },
      { label: "BFF req/s ÷ bare node:http req/s", target: "≥ 0.6", figure: fmt(vsBare, 2), met: vsBare >= 0.6 },
      {
        label: "errors and non-2xx answers (all servers)",
        target: "0",
        figure: String(rows.reduce((s, r) => s + r.errors, 0)),
        met: rows.every((r) => r.errors === 0),
      },
    ];

    let profileMd = "";
    if (!goals[0]!.met || !goals[1]!.met) {
      ctx.say("  a goal was missed: profiling the BFF under the same load");
      const spots = await profileBff(ctx, stack.bff, stack.url, stack.cast.adminAuth, ctx.quick ? 2 : 5);
      if (spots) {
        const busy = (name: string) => !/^\((idle|program|garbage collector)\)/.test(name);
        const reason = `CPU profile under this load: ${spots.nativeByCaller
          .filter((s) => busy(s.name))
          .slice(0, 2)
          .map((s) => `${fmt(s.share * 100, 0)} % in ${s.name.split(" ← ").slice(0, 3).join(" ← ")}`)
          .join("; ")}; own code by total time: ${spots.ownInclusive
          .slice(0, 4)
          .map((s) => `${s.name.split(" ")[0]} ${fmt(s.share * 100, 0)} %`)
          .join(", ")}`;
        for (const goal of goals.slice(0, 2)) if (goal.met === false) goal.reason = reason;
        profileMd = [
          "### Profile of the BFF under this load (V8 CPU profile, self time)",
          "",
          `Taken through the BFF's inspector (\`--inspect=127.0.0.1:0\`, Profiler.start/stop around one more ${ctx.quick ? 2 : 5} s load window with the same request and connections, so start-up stays out), sampling every 200 µs; ${fmt(spots.totalMs)} ms sampled. "(idle)" is time the BFF's thread waited for work (the load generator shares the two cores).`,
          "",
          "By package or file:",
          "",
          table(
            ["Package / file", "Self time", "Share"],
            spots.files.map((s) => [`\`${s.name}\``, `${fmt(s.ms)} ms`, `${fmt(s.share * 100, 1)} %`]),
          ),
          "",
          "The application's own functions (edge/src) by total time, callees included: where the time above is spent from:",
          "",
          table(
            ["Function", "Total time", "Share"],
            spots.ownInclusive.map((s) => [`\`${s.name}\``, `${fmt(s.ms)} ms`, `${fmt(s.share * 100, 1)} %`]),
          ),
          "",
          "Native code by the JavaScript that called it (self time of C++ work such as hashing or socket writes; its nearest caller, then the nearest two callers outside Node's internals):",
          "",
          table(
            ["Native work ← callers", "Self time", "Share"],
            spots.nativeByCaller.map((s) => [`\`${s.name}\``, `${fmt(s.ms)} ms`, `${fmt(s.share * 100, 1)} %`]),
          ),
          "",
          "By function (self time):",
          "",
          table(
            ["Function", "Self time", "Share"],
            spots.functions.map((s) => [`\`${s.name}\``, `${fmt(s.ms)} ms`, `${fmt(s.share * 100, 1)} %`]),
          ),
        ].join("\n");
      }
    }

    // The same minimal app sending the BFF's header set: how much of the room the headers alone take.
    const headerCount = Object.keys(stack.answerHeaders).length;
    const headersVsExpress = ratio(get(HEADERS_REFERENCE).rps, get("express").rps);
    const headersVsBare = ratio(get(HEADERS_REFERENCE).rps, get("bare").rps);
    const bothMet = headersVsExpress >= 3 && headersVsBare >= 0.6;
    const missed = [headersVsExpress < 3 ? "≥ 3× Express" : "", headersVsBare < 0.6 ? "≥ 0.6 of bare" : ""]
      .filter(Boolean)
      .join(" and ");
    const headersNote = `The same reference app answering with the ${headerCount} headers of the BFF's answer (security headers, request id, rate-limit state, ETag, Cache-Control, Vary, Content-Type; values copied once, handed over as a plain record as the BFF does, no work behind them) ÷ Express = ${fmt(headersVsExpress, 2)}× and ÷ bare = ${fmt(headersVsBare, 2)}; the BFF ÷ that app = ${fmt(ratio(get("bff").rps, get(HEADERS_REFERENCE).rps), 2)}. The two references differ in the header set and in how the answer is built (the first through \`c.json\` after \`c.header\`, a Headers object; the second a plain record), so the second is the one to hold the BFF against: ${bothMet ? "an app that answers with these headers the way the BFF does meets both goals here, so what the BFF misses them by is its own per-request work" : `even an app that does nothing but answer with these headers the way the BFF does misses ${missed} here; the rest of the BFF's gap is its own per-request work`} (request log line, two rate-limit counts, token, validation, access check; profile below).`;

    const markdown = [
      `autocannon, ${CONNECTIONS} connections, pipelining 1, ${durationSec} s per round, ${rounds} rounds interleaved over five servers (the first server rotates each round), 1 s warm-up each; medians of the rounds. Request: \`GET ${path}\` with an org admin's HS256 token (the BFF and Express verify it and check role, organization and learner); the cache was warmed and the BFF's second answer said \`dataSource: "cached"\`. Each server runs in its own process; every answer was checked byte for byte against the BFF's body (${stack.body.length} bytes). The BFF runs as production does (explicit secrets, no mock fallback, one JSON log line per request at LOG_LEVEL=info on stdout, which the harness points at a log file as a collector would drain it; rate limiter on with limits far above the load), except NODE_ENV=development, because node.ts binds every interface in production and benchmarks stay on loopback.`,
      "",
      table(
        ["Server", "req/s (median)", "p50 ms", "p99 ms", "errors + non-2xx", "req/s per round"],
        rows.map((r) => [
          r.name,
          fmt(r.rps),
          fmt(r.p50, 2),
          fmt(r.p99, 2),
          r.errors,
          r.rounds.map((x) => fmt(x)).join(", "),
        ]),
      ),
      "",
      `Ratios of medians: BFF ÷ Express = **${fmt(vsExpress, 2)}×**, BFF ÷ bare = **${fmt(vsBare, 2)}**. Per round: ${perRound
        .map((p) => `${fmt(p.express, 2)}× / ${fmt(p.bare, 2)}`)
        .join("; ")}.`,
      "",
      `For scale: Express ÷ bare = ${fmt(ratio(get("express").rps, get("bare").rps), 2)}; the reference Hono app ÷ Express = ${fmt(ratio(get("hono-minimal (reference)").rps, get("express").rps), 2)}× and ÷ bare = ${fmt(ratio(get("hono-minimal (reference)").rps, get("bare").rps), 2)} (issue 9 quotes 6.75× and 0.65 for such an app on this kind of machine). ${headersNote}`,
      "",
      "Comparison servers: `edge/bench/servers/bare.ts` (node:http, fixed bytes, no auth), `edge/bench/servers/express.ts` (Express 5, `jwt.verify` with HS256 pinned, role/org/learner checks, node-cache with clones off, `res.json`), and as references only `edge/bench/servers/hono-minimal.ts` (Hono on @hono/node-server, hono/jwt with verified tokens kept until expiry, the same checks, a Map cache, `c.json`; no logging, rate limit or ETag), once as it is and once with `BENCH_ANSWER_HEADERS` (the BFF's answer headers, copied).",
      "",
      profileMd,
    ].join("\n");
    await Promise.all([stack.bff.stop(), stack.simulator.program.stop()]);
    return {
      goals,
      markdown,
      raw: { rounds, durationSec, connections: CONNECTIONS, rows, perRound, firstColdMs: stack.firstMs },
    };
  },
};
