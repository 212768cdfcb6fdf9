/**
 * 4. Workers: the same cached read against `wrangler dev` (workerd) on loopback, beside the Node
 * BFF in the same run (information only: local workerd is not Cloudflare's edge).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startProgram, waitFor } from "../lib/proc.ts";
import { table } from "../lib/report.ts";
import { castFrom, getAnswer, velocityPath } from "../lib/scenario.ts";
import { BENCH_SECRETS, startBff, startSimulator } from "../lib/stack.ts";
import { fmt, median, ratio } from "../lib/stats.ts";
import type { BenchContext, Benchmark } from "../lib/types.ts";
import { CONNECTIONS, interleave, summaryRows } from "./cached-read.ts";

export async function startWrangler(ctx: BenchContext, vars: Record<string, string>) {
  const port = await freePort();
  const inspectorPort = await freePort();
  const wrangler = join(ctx.edgeDir, "node_modules", ".bin", "wrangler");
  const program = startProgram({
    name: "wrangler",
    command: wrangler,
    args: [
      "dev",
      "--config",
      join(ctx.root, "wrangler.toml"),
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      mkdtempSync(join(tmpdir(), "ms8-bench-wrangler-")),
      "--show-interactive-dev-session=false",
      "--live-reload=false",
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    cwd: ctx.edgeDir,
    env: { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "1", NO_COLOR: "1" },
    logDir: ctx.logDir,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    program,
    async () => {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) });
      await response.body?.cancel();
      return response.status === 200 || response.status === 503;
    },
    90_000,
    "answer on GET /health",
  );
  return { program, url };
}

export const workers: Benchmark = {
  name: "workers",
  title: "4. Workers: the cached read on wrangler dev (workerd) beside Node",
  budgetSec: 80,
  async run(ctx) {
    const rounds = ctx.quick ? 2 : 3;
    const durationSec = ctx.quick ? 2 : 5;
    const simulator = await startSimulator(ctx);
    const bff = await startBff(ctx, { upstreamEnv: simulator.env });
    const worker = await startWrangler(ctx, {
      ...BENCH_SECRETS,
      ...simulator.env,
      // The Workers rate-limiting bindings are off here (0): locally they are a simulation, and the
      // benchmark would hit their 300/min long before measuring anything.
      RATE_LIMIT_USER_PER_MIN: "0",
      RATE_LIMIT_IP_PER_MIN: "0",
      MOCK_FALLBACK: "false",
      LOG_LEVEL: "info",
    });
    try {
      const cast = await castFrom(simulator);
      const learnerId = cast.learnerIds[0]!;
      const path = velocityPath(learnerId);
      const answers: Record<string, { body: string; dataSource?: string }> = {};
      for (const [name, base] of [
        ["node", bff.url],
        ["workerd", worker.url],
      ] as const) {
        const first = await getAnswer(`${base}${path}`, cast.adminAuth);
        if (first.status !== 200)
          throw new Error(`${name}: warm-up answered ${first.status}: ${first.body.slice(0, 300)}`);
        const warm = await getAnswer(`${base}${path}`, cast.adminAuth);
        answers[name] = { body: warm.body, dataSource: warm.dataSource };
      }
      // One request at a time: the per-request floor of each runtime, without queueing.
      const sequential: Record<string, Record<string, number>> = {};
      for (const [name, base] of [
        ["node", bff.url],
        ["workerd", worker.url],
      ] as const) {
        sequential[name] = {};
        for (const p of ["/health", path]) {
          const times: number[] = [];
          for (let i = 0; i < 20; i++) times.push((await getAnswer(`${base}${p}`, cast.adminAuth)).ms);
          sequential[name][p] = median(times);
        }
      }
      const figures = await interleave(
        ctx,
        [
          { name: "node", url: `${bff.url}${path}`, headers: cast.adminAuth },
          { name: "workerd", url: `${worker.url}${path}`, headers: cast.adminAuth },
        ],
        // Each runtime has its own cache entry (its own calculatedAt), so bodies are compared per server.
        "",
        rounds,
        durationSec,
      );
      const rows = summaryRows(figures);
      const node = rows.find((r) => r.name === "node")!;
      const workerd = rows.find((r) => r.name === "workerd")!;
      const rel = ratio(workerd.rps, node.rps);
      const goals = [
        { label: "workerd req/s ÷ Node req/s (information)", target: "report", figure: fmt(rel, 2), met: null },
        {
          label: "errors and non-2xx (both runtimes)",
          target: "0",
          figure: String(node.errors + workerd.errors),
          met: node.errors + workerd.errors === 0,
        },
      ];
      const markdown = [
        `\`wrangler dev\` (local workerd, wrangler.toml of the repository, vars given with \`--var\`: the bench secrets, the simulator's URLs, rate limits 0 = off because local rate-limit bindings are a simulation, LOG_LEVEL=info) and the Node BFF, both pointed at one simulator, measured in the same run: autocannon, ${CONNECTIONS} connections, ${durationSec} s per round, ${rounds} rounds interleaved, medians. Second answers before the run: Node \`${answers.node?.dataSource}\`, workerd \`${answers.workerd?.dataSource}\`. Local workerd runs behind wrangler's own proxy and is not Cloudflare's edge; the figure is for information.`,
        "",
        table(
          ["Runtime", "req/s (median)", "p50 ms", "p99 ms", "errors + non-2xx", "req/s per round"],
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
        `workerd ÷ Node: **${fmt(rel, 2)}**.`,
        "",
        "One request at a time (20 each, median ms, client-side with fetch), the per-request floor without queueing:",
        "",
        table(
          ["Runtime", "GET /health", `GET ${path}`],
          Object.entries(sequential).map(([name, t]) => [name, fmt(t["/health"]!, 2), fmt(t[path]!, 2)]),
        ),
      ].join("\n");
      return { goals, markdown, raw: { rows, answers, sequential } };
    } finally {
      await Promise.all([worker.program.stop(), bff.stop(), simulator.program.stop()]);
    }
  },
};
