/**
 * The system under test, started the way it runs for real: the simulator of the nine services as
 * its own program, the BFF as `node src/node.ts` with its production environment pointed at it.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, startDatabase } from "./postgres.ts";
import { freePort, type Program, startProgram, waitFor } from "./proc.ts";
import type { BenchContext } from "./types.ts";
import { NotReady } from "./types.ts";

/** Obviously-local secrets for benchmark runs. */
export const BENCH_SECRETS = {
  JWT_SECRET: "local-bench-only-jwt-secret-0123456789abcdef",
  SERVICE_SECRET: "local-bench-only-service-secret-0123456789abcdef",
};

export interface SimulatorHandle {
  program: Program;
  adminUrl: string;
  /** The BFF's environment for the nine services (AUTH_MS_URL=...). */
  env: Record<string, string>;
  admin<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  setLatency(latencyMsByService: Record<string, number>): Promise<void>;
  clearFaults(): Promise<void>;
  stats(): Promise<{ calls: Record<string, Record<string, number>>; distinctTokens: number }>;
  resetStats(): Promise<void>;
  learners(orgId?: string): Promise<{ id: string; orgId: string; pattern: string; timeZone: string }[]>;
}

export async function startSimulator(
  ctx: BenchContext,
  options: { name?: string; faults?: Record<string, unknown> } = {},
): Promise<SimulatorHandle> {
  const main = join(ctx.edgeDir, "simulator", "main.ts");
  if (!existsSync(main)) throw new NotReady("the simulator (edge/simulator/main.ts) is not in this checkout");
  const program = startProgram({
    name: options.name ?? "simulator",
    command: process.execPath,
    args: [main],
    cwd: ctx.edgeDir,
    env: {
      SIM_PORT: "0",
      SERVICE_SECRET: BENCH_SECRETS.SERVICE_SECRET,
      ...(options.faults ? { SIM_FAULTS: JSON.stringify(options.faults) } : {}),
    },
    logDir: ctx.logDir,
  });
  // main.ts prints the admin base URL first, then one NAME=url line per service.
  const adminUrl = await waitFor(
    program,
    async () => /^(http:\/\/127\.0\.0\.1:\d+)\s*$/m.exec(program.output())?.[1],
    30_000,
    "admin URL printed",
  );
  const admin = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(`${adminUrl}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`simulator ${init?.method ?? "GET"} ${path}: ${response.status}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  const { env } = await admin<{ env: Record<string, string> }>("/__admin/services");
  return {
    program,
    adminUrl,
    env,
    admin,
    async setLatency(latencies) {
      for (const [service, latencyMs] of Object.entries(latencies)) {
        await admin(`/__admin/faults/${service}`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ latencyMs }),
        });
      }
    },
    clearFaults: () => admin("/__admin/faults", { method: "DELETE" }),
    stats: () => admin("/__admin/stats"),
    resetStats: () => admin("/__admin/stats", { method: "DELETE" }),
    async learners(orgId) {
      const query = orgId ? `?orgId=${encodeURIComponent(orgId)}` : "";
      return (
        await admin<{ items: { id: string; orgId: string; pattern: string; timeZone: string }[] }>(
          `/__admin/learners${query}`,
        )
      ).items;
    },
  };
}

export interface BffHandle {
  program: Program;
  url: string;
  /** Where the memory probe writes one JSON line per second, when asked for. */
  memoryFile?: string;
  /** The V8 inspector's WebSocket, when asked for (CPU profiles of a chosen window). */
  inspectorUrl?: string;
  /** Which database the BFF uses: a PostgreSQL server of its own (default) or the embedded PGlite. */
  engine: "postgres" | "pglite";
  stop(): Promise<void>;
}

/**
 * Start the BFF on Node as production runs it: NODE_ENV=production (bound to loopback with HOST),
 * explicit secrets, no mock fallback, JSON request logs on stdout, PostgreSQL through DATABASE_URL
 * (a throwaway server the BFF migrates at start), rate limits raised far above the load so the
 * limiter still runs but never answers 429.
 */
export async function startBff(
  ctx: BenchContext,
  options: {
    name?: string;
    upstreamEnv: Record<string, string>;
    /** An existing database; otherwise a fresh PostgreSQL server, or PGlite when `pglite` is set. */
    databaseUrl?: string;
    pglite?: boolean;
    env?: Record<string, string>;
    inspector?: boolean;
    memoryProbe?: boolean;
    /** Extra flags for node itself (experiments: --trace-gc, --max-semi-space-size=...). */
    nodeArgs?: string[];
  },
): Promise<BffHandle> {
  const entry = join(ctx.edgeDir, "src", "node.ts");
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), "ms8-bench-"));
  // MS8_BENCH_BFF_NODE_ARGS: extra node flags for every BFF of a run, for experiments by hand
  // (e.g. "--trace-gc" or "--max-semi-space-size=8"); never set by the benchmarks themselves.
  const fromEnv = process.env.MS8_BENCH_BFF_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const nodeArgs: string[] = [...fromEnv, ...(options.nodeArgs ?? [])];
  let memoryFile: string | undefined;
  if (options.memoryProbe) {
    memoryFile = join(scratch, "memory.jsonl");
    nodeArgs.push("--expose-gc", "--import", join(ctx.edgeDir, "bench", "lib", "memory-probe.ts"));
  }
  if (options.inspector) nodeArgs.push("--inspect=127.0.0.1:0");
  let database: Database | undefined;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl && !options.pglite) {
    database = await startDatabase(ctx, { applySchema: false });
    databaseUrl = database.url;
  }
  const program = startProgram({
    name: options.name ?? "bff",
    command: process.execPath,
    args: [...nodeArgs, entry],
    cwd: ctx.edgeDir,
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      ...BENCH_SECRETS,
      CORS_ORIGINS: "",
      MOCK_FALLBACK: "false",
      RATE_LIMIT_USER_PER_MIN: "100000000",
      RATE_LIMIT_IP_PER_MIN: "100000000",
      LOG_LEVEL: "info",
      PGLITE_DATA_DIR: join(scratch, "pglite"),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...(memoryFile ? { MS8_BENCH_MEMORY_FILE: memoryFile } : {}),
      ...options.upstreamEnv,
      ...options.env,
    },
    logDir: ctx.logDir,
  });
  const stop = async () => {
    await program.stop(15_000);
    await database?.stop();
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      program,
      async () => {
        const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
        await response.body?.cancel();
        return response.status === 200 || response.status === 503;
      },
      60_000,
      "answer on GET /health",
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const inspectorUrl = options.inspector ? /Debugger listening on (ws:\/\/\S+)/.exec(program.output())?.[1] : undefined;
  return { program, url, memoryFile, inspectorUrl, engine: databaseUrl ? "postgres" : "pglite", stop };
}
