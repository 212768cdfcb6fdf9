/**
 * Runs the nine simulated services, each on its own loopback port (so "down" really refuses
 * connections), plus an admin port for fault injection, call counts and the history replay.
 * Services check the service JWT (HS256, SERVICE_SECRET) like the real ones would.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { verify } from "hono/jwt";
import { seededRandom } from "./calendar.ts";
import { corruptBody, Fault, type FaultInput, NO_FAULT, SERVICE_NAMES, type ServiceName } from "./faults.ts";
import { SERVICE_ROUTES } from "./services.ts";
import { DEFAULT_SEED, generateWorld, historyEvents, type World } from "./world.ts";

export const SERVICE_ENV: Record<ServiceName, string> = {
  auth: "AUTH_MS_URL",
  directory: "DIRECTORY_MS_URL",
  course: "COURSE_MS_URL",
  content: "CONTENT_MS_URL",
  assessment: "ASSESSMENT_MS_URL",
  skills: "SKILLS_MS_URL",
  learnerAi: "LEARNER_AI_MS_URL",
  devlab: "DEVLAB_MS_URL",
  rag: "RAG_MS_URL",
};

export const DEFAULT_SERVICE_SECRET = "local-dev-only-service-secret";

export interface SimulatorOptions {
  /** Admin port; the services take the nine ports after it. 0 (default): any free ports. */
  port?: number;
  seed?: number;
  /** The simulated present (default: start of the current UTC day). */
  now?: Date;
  faults?: Partial<Record<ServiceName, FaultInput>>;
  /** Secret the services check service tokens against (the BFF's SERVICE_SECRET). */
  serviceSecret?: string;
  /** Fewer learners for quick tests (default 500). */
  learners?: number;
}

export interface CallStats {
  /** Per service, per "METHOD /path?query": requests received (faulty answers included). */
  calls: Record<ServiceName, Record<string, number>>;
  /** Distinct service tokens presented, across all services. */
  distinctTokens: number;
}

export interface Simulator {
  /** The admin base URL (`/__admin/...`). */
  baseUrl: string;
  urls: Record<ServiceName, string>;
  /** The BFF's environment for these services: AUTH_MS_URL=..., etc. */
  env: Record<string, string>;
  world: World;
  setFault(service: ServiceName, fault: FaultInput): Promise<void>;
  clearFaults(): Promise<void>;
  stats(): CallStats;
  resetStats(): void;
  stop(): Promise<void>;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const problem = (status: number, title: string, detail?: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: "about:blank", title, status, ...(detail ? { detail } : {}) }), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
/** RFC 6750: a rejected bearer token says so, which tells the caller apart from "wrong password". */
const tokenRejected = (detail: string) =>
  problem(401, "Unauthorized", detail, { "www-authenticate": 'Bearer error="invalid_token"' });

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? DEFAULT_SEED;
  const world = generateWorld({ seed, now: options.now, learners: options.learners });
  const secret = options.serviceSecret ?? DEFAULT_SERVICE_SECRET;
  const faults = new Map<ServiceName, Fault>(SERVICE_NAMES.map((s) => [s, NO_FAULT]));
  const chance = seededRandom(seed ^ 0x5eed);
  const calls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, {}])) as CallStats["calls"];
  const tokens = new Map<string, number>(); // token -> exp (seconds), verified once each
  // Released on stop: hung requests and injected latency end instead of keeping the process alive.
  const release = new AbortController();

  const waitFor = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      release.signal.addEventListener("abort", done, { once: true });
    });

  async function tokenProblem(header: string | undefined): Promise<Response | null> {
    const token = header?.startsWith("Bearer ") ? header.slice(7) : null;
    if (!token) return tokenRejected("a service token is required");
    const exp = tokens.get(token);
    if (exp !== undefined && exp * 1000 > Date.now()) return null;
    try {
      const claims = await verify(token, secret, "HS256");
      if (typeof claims.service !== "string") return tokenRejected("not a service token");
      tokens.set(token, Number(claims.exp));
      return null;
    } catch {
      return tokenRejected("service token rejected");
    }
  }

  function serviceApp(name: ServiceName) {
    const app = new Hono();
    app.use(async function simulateService(c, next) {
      const url = new URL(c.req.url);
      const key = `${c.req.method} ${url.pathname}${url.search}`;
      calls[name][key] = (calls[name][key] ?? 0) + 1;
      const fault = faults.get(name)!;
      if (fault.latencyMs > 0) await waitFor(fault.latencyMs, c.req.raw.signal);
      if (fault.hang) {
        await waitFor(600_000, c.req.raw.signal);
        c.res = problem(503, "Service Unavailable", "hung request released");
        return;
      }
      if (fault.errorRate > 0 && chance() < fault.errorRate) {
        c.res = problem(fault.errorStatus, "Injected Fault", `${name} is failing on purpose`);
        return;
      }
      // Like the real services: an unauthenticated liveness endpoint (faults above still apply).
      if (c.req.method === "GET" && url.pathname === "/health") {
        c.res = Response.json({ status: "ok", service: name });
        return;
      }
      const denied = await tokenProblem(c.req.header("authorization"));
      if (denied) {
        c.res = denied;
        return;
      }
      await next();
      if (c.res.status === 200 && fault.malformedRate > 0 && chance() < fault.malformedRate) {
        const body = await c.res.json();
        c.res =
          fault.malformedKind === "json"
            ? new Response(`${JSON.stringify(body).slice(0, 40)}`, { headers: { "content-type": "application/json" } })
            : json(corruptBody(body));
      }
    });
    app.route("/", SERVICE_ROUTES[name](world));
    return app;
  }

  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  // A service taken down closes its port and must get the same one back on recovery. A port from
  // the kernel's ephemeral range (where listen(0) and every outgoing connection draw from: Linux
  // 32768-60999, macOS 49152-65535) can meanwhile become the local end of some client connection,
  // and listening on it again fails with EADDRINUSE (an e2e outage test once never recovered so).
  // So services without a preferred port take a random free one below that range.
  const listenBelowEphemeral = async (server: Server) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = 20_000 + Math.floor(Math.random() * 12_000);
      try {
        return await listen(server, port);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
      }
    }
    return listen(server, 0);
  };
  // The nine services prefer the ports after the admin port (stable URLs for `npm start`), but on a
  // busy machine one of those may be taken (the caller only checked the admin port), so a taken one
  // falls back to another free port: the URLs are announced, nobody guesses them.
  const listenPreferring = (server: Server, port: number) =>
    port === 0
      ? listenBelowEphemeral(server)
      : listen(server, port).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== "EADDRINUSE") throw error;
          return listenBelowEphemeral(server);
        });
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });

  const servers = new Map<ServiceName, { server: Server; port: number }>();
  for (const [index, name] of SERVICE_NAMES.entries()) {
    const server = createServer(getRequestListener(serviceApp(name).fetch));
    const port = await listenPreferring(server, options.port ? options.port + 1 + index : 0);
    servers.set(name, { server, port });
  }
  const urls = Object.fromEntries(
    SERVICE_NAMES.map((s) => [s, `http://127.0.0.1:${servers.get(s)!.port}`]),
  ) as Simulator["urls"];

  async function setFault(service: ServiceName, input: FaultInput) {
    const fault = Fault.parse(input);
    faults.set(service, fault);
    const entry = servers.get(service)!;
    if (fault.down && entry.server.listening) await close(entry.server);
    if (!fault.down && !entry.server.listening) await listen(entry.server, entry.port);
  }
  async function clearFaults() {
    for (const s of SERVICE_NAMES) await setFault(s, {});
  }
  for (const [service, fault] of Object.entries(options.faults ?? {})) {
    await setFault(service as ServiceName, fault);
  }

  const stats = (): CallStats => ({ calls: structuredClone(calls), distinctTokens: tokens.size });
  const resetStats = () => {
    for (const s of SERVICE_NAMES) calls[s] = {};
    tokens.clear();
  };

  const env = Object.fromEntries(SERVICE_NAMES.map((s) => [SERVICE_ENV[s], urls[s]]));
  const isService = (s: string): s is ServiceName => (SERVICE_NAMES as readonly string[]).includes(s);
  const admin = new Hono()
    // A service that cannot listen again (its port taken meanwhile) is an answer, not a crash.
    .onError((error) =>
      problem(503, "Service Unavailable", `the simulator could not apply the fault: ${error.message}`),
    )
    .get("/__admin/services", (c) => c.json({ urls, env, seed, now: world.now.toISOString() }))
    .get("/__admin/faults", (c) => c.json(Object.fromEntries(faults)))
    .put("/__admin/faults/:service", async (c) => {
      const service = c.req.param("service");
      if (!isService(service)) return problem(404, "Not Found", `services: ${SERVICE_NAMES.join(", ")}`);
      const parsed = Fault.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) return problem(400, "Bad Request", parsed.error.message);
      await setFault(service, parsed.data);
      return c.json(faults.get(service));
    })
    .delete("/__admin/faults/:service", async (c) => {
      const service = c.req.param("service");
      if (!isService(service)) return problem(404, "Not Found", `services: ${SERVICE_NAMES.join(", ")}`);
      await setFault(service, {});
      return c.body(null, 204);
    })
    .delete("/__admin/faults", async (c) => {
      await clearFaults();
      return c.body(null, 204);
    })
    .get("/__admin/stats", (c) => c.json(stats()))
    .delete("/__admin/stats", (c) => {
      resetStats();
      return c.body(null, 204);
    })
    .get("/__admin/personas", (c) => c.json(personasReport(world)))
    .get("/__admin/learners", (c) => {
      const orgId = c.req.query("orgId");
      const pattern = c.req.query("pattern");
      const items = [...world.users.values()]
        .filter((u) => u.pattern && (!orgId || u.orgId === orgId) && (!pattern || u.pattern === pattern))
        .map((u) => ({ id: u.id, orgId: u.orgId, pattern: u.pattern, timeZone: u.timeZone }));
      return c.json({ items });
    })
    // Batches sized for POST /api/v1/events (at most 500 events each), oldest first.
    .get("/__admin/history/events", (c) => {
      const all = historyEvents(world, c.req.query("orgId"));
      const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 500) || 500, 1), 500);
      const start = Number(c.req.query("cursor") ?? 0) || 0;
      const events = all.slice(start, start + limit);
      const next = start + events.length;
      return c.json({ events, total: all.length, nextCursor: next < all.length ? String(next) : null });
    });
  const adminServer = createServer(getRequestListener(admin.fetch));
  const adminPort = await listen(adminServer, options.port ?? 0);

  return {
    baseUrl: `http://127.0.0.1:${adminPort}`,
    urls,
    env,
    world,
    setFault,
    clearFaults,
    stats,
    resetStats,
    async stop() {
      release.abort();
      await Promise.all([adminServer, ...[...servers.values()].map((s) => s.server)].map(close));
    },
  };
}

/** What `pnpm ms8 personas --json` prints: who to sign in as, and every org's learner ids. */
export function personasReport(world: World) {
  return {
    seed: world.seed,
    now: world.now.toISOString(),
    personas: world.personas.map((p) => ({
      role: p.role,
      userId: p.userId,
      orgId: p.orgId,
      roles: [p.role],
      email: p.email,
      password: p.password,
      displayName: p.displayName,
      ...(p.role === "learner" ? { pattern: world.users.get(p.userId)!.pattern } : {}),
    })),
    organizations: world.orgs.map((o) => ({
      orgId: o.id,
      name: o.name,
      learnerIds: [...world.users.values()].filter((u) => u.orgId === o.id && u.pattern).map((u) => u.id),
    })),
  };
}
