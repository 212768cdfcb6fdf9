// The README's main command (`npm start` -> `pnpm run dev`): the simulator of the nine upstream
// services, the BFF on Node with embedded defaults pointed at it, the demo ledger seeded through
// the events ingestion path, and the demo dashboard. Prints the URLs to open; Ctrl-C stops all.
//
// `startStack(options)` is the same start-up as a function, so the end-to-end tests
// (demo-host/e2e/) run exactly what a newcomer runs, on free ports.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
// The BFF's own local-secrets file (.data/local-secrets.json, generated once, git-ignored): the
// simulator, the BFF and `pnpm ms8 token` then agree on the secrets without any in the repo.
import { readLocalSecrets } from "../edge/src/local-secrets.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const at = (...parts) => join(root, ...parts);

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * The BFF's CORS_ORIGINS: the dashboard's own origins plus any the user allows
 * (`CORS_ORIGINS=http://127.0.0.1:9100 npm start`), so a page of one's own can embed the widgets
 * against the same BFF. Comma-separated, as the BFF reads it; duplicates dropped.
 */
export function corsOriginsFor(dashboardPort, userSetting = "", extra = []) {
  const user = (userSetting ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  return [...new Set([`http://127.0.0.1:${dashboardPort}`, `http://localhost:${dashboardPort}`, ...user, ...extra])];
}

/** `preferred` when it is free (0 means any), else a free loopback port chosen by the kernel. */
async function choosePort(preferred) {
  if (preferred && (await portIsFree(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Children still running; killed if this process exits without stopping them (a crash, a test runner). */
const running = new Set();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A child program whose output goes to a log file, so a healthy start is quiet and a failed one
 * can show what went wrong; `tail()` is what a failed start prints.
 */
function startProgram({ name, args, env, cwd = root, logDir }) {
  const logPath = join(logDir, `${name}.log`);
  const log = createWriteStream(logPath);
  // Its own process group: Ctrl-C reaches only dev.mjs, which stops the pieces in order.
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let output = "";
  const keep = (chunk) => {
    log.write(chunk);
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  child.once("close", () => log.end());
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    name,
    child,
    logPath,
    exited,
    output: () => output,
    tail: (lines = 15) => output.trimEnd().split("\n").slice(-lines).join("\n"),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killed = await Promise.race([exited.then(() => true), sleep(4000).then(() => false)]);
      if (!killed) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Poll `probe` until it returns a truthy value, the program exits, or `timeoutMs` passes. */
async function waitUntil(program, probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  program.exited.then((e) => {
    exited = e;
  });
  let lastError;
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(
        `${program.name} exited (${exited.code ?? exited.signal}) before ${what}:\n${program.tail()}\n(log: ${program.logPath})`,
      );
    }
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(150);
  }
  throw new Error(
    `${program.name}: no ${what} within ${timeoutMs / 1000} s${lastError ? ` (${lastError.message})` : ""}:\n${program.tail()}\n(log: ${program.logPath})`,
  );
}

async function httpOk(url, init) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  return response.status < 500 || response.status === 503 ? response : null;
}

/**
 * The simulator prints its admin base URL, then the BFF's environment for the nine services
 * (AUTH_MS_URL=http://127.0.0.1:4101 and so on), one per line.
 */
function simulatorAnnouncement(output) {
  const lines = output.split("\n").map((l) => l.trim());
  const admin = lines.find((l) => /^https?:\/\/\S+$/.test(l));
  const env = Object.fromEntries(
    lines
      .map((l) => /^([A-Z_]+_MS_URL)=(\S+)$/.exec(l))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
  return admin && Object.keys(env).length === 9 ? { admin, env } : null;
}

/** Each organization's learners through GET /dropoff-risk as its org admin, a few at a time. */
async function warmOrganizations(edgeUrl, personas) {
  await Promise.all(
    personas.organizations.map(async (org) => {
      const admin = personas.personas.find((p) => p.orgId === org.orgId && p.roles.includes("org_admin"));
      if (!admin) return;
      const login = await fetch(`${edgeUrl}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: admin.email, password: admin.password }),
      });
      if (!login.ok) throw new Error(`signing in as ${admin.email}: HTTP ${login.status}`);
      const { token } = await login.json();
      const queue = [...org.learnerIds];
      const worker = async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          const answer = await fetch(`${edgeUrl}/api/v1/learners/${encodeURIComponent(id)}/dropoff-risk`, {
            headers: { authorization: `Bearer ${token}` },
          });
          await answer.body?.cancel();
        }
      };
      await Promise.all([worker(), worker()]);
    }),
  );
}

/**
 * Start the whole demo stack. Ports of 0 pick free ones; the named ones are preferred and fall back
 * to free ones when taken. Returns the URLs, the demo personas and `stop()`.
 * @param {{
 *   simulatorPort?: number, edgePort?: number, dashboardPort?: number,
 *   extraCorsOrigins?: string[], edgeEnv?: Record<string,string>, seed?: boolean,
 *   dataDir?: string, logDir?: string, say?: (line: string) => void,
 * }} options
 */
export async function startStack(options = {}) {
  const say = options.say ?? (() => {});
  const notes = [];
  const programs = [];
  const runId = `${Date.now()}-${process.pid}`;
  const ownsDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "ms8-dev-"));
  const logDir = options.logDir ?? at(".data", "logs", runId);
  mkdirSync(logDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });

  /** Programs that finish on their own (the ledger replay); stopped too if still running. */
  const oneShots = [];
  const stop = async () => {
    await Promise.all([...oneShots, ...programs.reverse()].map((p) => p.stop()));
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  const LOCAL_SECRETS = readLocalSecrets();
  try {
    // The simulator binds its own ten ports and announces them, so it is only told the preferred
    // admin port when that is free; otherwise 0, and the kernel picks all ten (a port picked here
    // and closed again leaves the nine after it unchecked, which once failed CI with EADDRINUSE).
    const preferredSimulatorPort = options.simulatorPort ?? 0;
    const [simulatorPort, edgePort, dashboardPort] = [
      preferredSimulatorPort && (await portIsFree(preferredSimulatorPort)) ? preferredSimulatorPort : 0,
      await choosePort(options.edgePort ?? 0),
      await choosePort(options.dashboardPort ?? 0),
    ];
    const dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
    const edgeUrl = `http://127.0.0.1:${edgePort}`;

    // 1. The simulator of the nine services: a separate program, talked to over HTTP only.
    let simulator = null;
    if (existsSync(at("edge/simulator/main.ts"))) {
      say("starting the simulator of the nine upstream services…");
      const program = startProgram({
        name: "simulator",
        args: [at("edge/simulator/main.ts")],
        // The admin port; the nine services prefer the ports after it (all kernel-chosen when 0).
        env: { SIM_PORT: String(simulatorPort), SERVICE_SECRET: LOCAL_SECRETS.SERVICE_SECRET },
        logDir,
      });
      programs.push(program);
      simulator = await waitUntil(
        program,
        async () => simulatorAnnouncement(program.output()),
        30_000,
        "URLs announced",
      );
    } else {
      notes.push(
        "The simulator (edge/simulator/main.ts, issue 4) is not in this checkout yet: the BFF starts without upstream services, so sign-in and data will not work.",
      );
    }

    // 2. The BFF on Node with embedded defaults (PGlite under a data dir, local AI fallback).
    say("starting the BFF on Node…");
    const upstreamEnv = simulator?.env ?? {};
    const corsOrigins = corsOriginsFor(dashboardPort, process.env.CORS_ORIGINS, options.extraCorsOrigins);
    const edge = startProgram({
      name: "edge",
      args: [at("edge/src/node.ts")],
      cwd: at("edge"),
      env: {
        PORT: String(edgePort),
        HOST: "127.0.0.1",
        NODE_ENV: "development",
        ...LOCAL_SECRETS,
        CORS_ORIGINS: corsOrigins.join(","),
        // The README's main command keeps the BFF's own default (.data/pglite); tests use a temp dir.
        ...(ownsDataDir ? { PGLITE_DATA_DIR: join(dataDir, "pglite") } : {}),
        MOCK_FALLBACK: "true",
        // On loopback every visitor of the demo is the same IP; the per-user limit still applies.
        RATE_LIMIT_IP_PER_MIN: "0",
        LOG_LEVEL: "warn",
        ...upstreamEnv,
        ...options.edgeEnv,
      },
      logDir,
    });
    programs.push(edge);
    // The issue's promise: GET /health answers within 60 s of start.
    await waitUntil(edge, () => httpOk(`${edgeUrl}/health`), 60_000, "answer on GET /health");

    // 3. The demo personas: the running simulator's own list (what `pnpm ms8 personas --json` prints).
    let personas = null;
    if (simulator) {
      const answer = await fetch(`${simulator.admin}/__admin/personas`).catch(() => null);
      if (answer?.ok) personas = await answer.json();
      else notes.push("The simulator did not list its demo personas; sign in with an email and password.");
    }
    // 4. The organization lists read Postgres only: open every learner once through the API, as
    //    their org admin, so the at-risk list and the summary know the whole organization.
    if (personas && options.warm !== false) {
      say("computing every learner's analytics once, so the organization lists are complete…");
      await warmOrganizations(edgeUrl, personas).catch((error) =>
        notes.push(`Computing the organizations' analytics failed: ${error.message}`),
      );
    }

    // 5. The demo ledger, through the same POST /api/v1/events path the platform uses (the
    //    simulator's replay of its history; stable event ids make a second run count nothing twice).
    //    Tens of thousands of events take a while, so it runs in the background (after the
    //    warm-up above, not competing with it): `ledgerSeeded` resolves when it is done.
    let ledgerSeeded = Promise.resolve({ ok: false, seconds: 0 });
    if (options.seed !== false && simulator && existsSync(at("edge/simulator/replay-history.ts"))) {
      say("filling the demo ledger through POST /api/v1/events (in the background)…");
      const seed = startProgram({
        name: "seed",
        args: [at("edge/simulator/replay-history.ts")],
        cwd: at("edge"),
        env: { SIM_ADMIN_URL: simulator.admin, MS8_URL: edgeUrl, SERVICE_SECRET: LOCAL_SECRETS.SERVICE_SECRET },
        logDir,
      });
      oneShots.push(seed);
      const seedStarted = Date.now();
      ledgerSeeded = seed.exited.then(({ code }) => ({
        ok: code === 0,
        seconds: Math.round((Date.now() - seedStarted) / 1000),
        summary: code === 0 ? seed.tail(1) : `failed (log: ${seed.logPath}):\n${seed.tail(5)}`,
      }));
    } else if (options.seed !== false && simulator) {
      notes.push("No history replay (edge/simulator/replay-history.ts) yet: points, streaks and badges start empty.");
    }

    const personasFile = join(dataDir, "personas.json");
    writeFileSync(personasFile, JSON.stringify(personas ?? { personas: [] }));

    // 6. The dashboard: Vite serving demo-host, which loads the built widget bundle like any host.
    const widgetsBundle = at("widgets/dist/ms8-widgets.js");
    if (!existsSync(widgetsBundle)) {
      const built = spawnSync("pnpm", ["--dir", at("widgets"), "run", "--silent", "build"], { encoding: "utf8" });
      if (built.status !== 0 || !existsSync(widgetsBundle)) {
        notes.push(
          `The widget bundle (widgets/dist/ms8-widgets.js, issue 7) could not be built, so the dashboard shows no widgets.${built.stderr ? `\n${built.stderr.trim().split("\n").slice(-5).join("\n")}` : ""}`,
        );
      }
    }
    say("starting the demo dashboard…");
    const dashboard = startProgram({
      name: "dashboard",
      args: [
        at("demo-host/node_modules/vite/bin/vite.js"),
        "--port",
        String(dashboardPort),
        "--strictPort",
        "--host",
        "127.0.0.1",
      ],
      cwd: at("demo-host"),
      env: {
        VITE_MS8_API_BASE: edgeUrl,
        MS8_PERSONAS_FILE: personasFile,
        MS8_SIMULATOR_ADMIN_URL: simulator?.admin ?? "",
      },
      logDir,
    });
    programs.push(dashboard);
    await waitUntil(dashboard, () => httpOk(dashboardUrl), 60_000, "page served");

    return {
      urls: {
        dashboard: dashboardUrl,
        edge: edgeUrl,
        docs: `${edgeUrl}/docs`,
        health: `${edgeUrl}/health`,
        simulator: simulator?.env ?? null,
        simulatorAdmin: simulator?.admin ?? null,
      },
      secrets: LOCAL_SECRETS,
      personas,
      notes,
      ledgerSeeded,
      logDir,
      programs,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function main() {
  const started = Date.now();
  const say = (line) => console.log(`ms8: ${line}`);
  let stack;
  try {
    stack = await startStack({
      simulatorPort: Number(process.env.SIM_PORT ?? 4100),
      edgePort: Number(process.env.PORT ?? 8787),
      dashboardPort: Number(process.env.MS8_DASHBOARD_PORT ?? 5173),
      dataDir: at(".data", "dev"),
      // Short lifetimes so the operator panel's outage shows stale data within a minute, not hours.
      edgeEnv: {
        CACHE_TTL_SECONDS: "20",
        CACHE_STALE_SECONDS: "10",
        SNAPSHOT_TTL_SECONDS: "60",
        UPSTREAM_CACHE_SECONDS: "10",
      },
      say,
    });
  } catch (error) {
    console.error(`\nms8: could not start the demo stack.\n${error.message}`);
    process.exit(1);
  }
  const { urls, notes, personas } = stack;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\nMS8 is running (started in ${seconds} s). Open:\n`);
  console.log(`  Demo dashboard   ${urls.dashboard}`);
  console.log(`  BFF health       ${urls.health}`);
  console.log(`  API reference    ${urls.docs}`);
  if (urls.simulatorAdmin) console.log(`  Simulator admin  ${urls.simulatorAdmin}`);
  if (process.env.CORS_ORIGINS) console.log(`  Also allowed by CORS: ${process.env.CORS_ORIGINS}`);
  const list = personas?.personas ?? (Array.isArray(personas) ? personas : []);
  if (list.length) {
    console.log("\nDemo personas (also listed on the sign-in page):");
    for (const p of list.slice(0, 9)) {
      console.log(`  ${String(p.roles?.join?.(", ") ?? p.role ?? "").padEnd(18)} ${p.email}  /  ${p.password}`);
    }
  }
  for (const note of notes) console.log(`\nnote: ${note}`);
  console.log(`\nLogs: ${stack.logDir}\nPress Ctrl-C to stop.`);
  console.log("\nms8: the demo ledger (points, streaks, badges) is still being filled; badges appear as it goes.");
  stack.ledgerSeeded.then(({ ok, seconds, summary }) => {
    if (ok) console.log(`ms8: demo ledger filled in ${seconds} s: ${summary}`);
    else if (summary) console.log(`ms8: filling the demo ledger ${summary}`);
  });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nms8: stopping…");
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  // A piece that dies on its own takes the demo down with a clear message rather than limping on.
  for (const program of stack.programs) {
    program.exited.then(({ code, signal }) => {
      if (stopping) return;
      console.error(`\nms8: ${program.name} stopped unexpectedly (${code ?? signal}):\n${program.tail()}`);
      shutdown();
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
