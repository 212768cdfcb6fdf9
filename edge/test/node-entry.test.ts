/**
 * The Node entry as Railway runs it (`node src/node.ts`), against the simulator as a separate
 * process over real HTTP on loopback: embedded PGlite, in-memory cache, the nine upstream clients.
 * Node-only by nature (child processes).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_JWT_SECRET, TEST_SERVICE_SECRET } from "./doubles/world.ts";

const edgeDir = fileURLToPath(new URL("..", import.meta.url));
const children: ChildProcess[] = [];

/** Starts `node <script>` and resolves with its stdout once `ready` matches it. */
function start(script: string, env: Record<string, string>, ready: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: edgeDir, env: { PATH: process.env.PATH ?? "", ...env } });
    children.push(child);
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${out}\n${err}`)), 45_000);
    child.stdout!.on("data", (d) => {
      out += d;
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stderr!.on("data", (d) => {
      err += d;
    });
    child.on("exit", (code) => reject(new Error(`${script} exited ${code}:\n${out}\n${err}`)));
  });
}

/** A loopback proxy in front of one simulated service that records the request ids it forwards. */
function recordingProxy(target: string): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const id = req.headers["x-request-id"];
    if (typeof id === "string") seen.push(id);
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server }),
    ),
  );
}

describe("node src/node.ts with the simulator", () => {
  let api = "";
  let admin = "";
  let authProxy: Awaited<ReturnType<typeof recordingProxy>>;
  beforeAll(async () => {
    const sim = await start(
      "simulator/main.ts",
      { SIM_PORT: "0", SERVICE_SECRET: TEST_SERVICE_SECRET },
      /RAG_MS_URL=\S+\n/,
    );
    admin = sim.split("\n")[0]!.trim();
    const upstreamEnv = Object.fromEntries(
      sim
        .split("\n")
        .map((l) => /^([A-Z_]+_MS_URL)=(\S+)$/.exec(l.trim()))
        .filter((m) => m !== null)
        .map((m) => [m[1]!, m[2]!]),
    );
    authProxy = await recordingProxy(upstreamEnv.AUTH_MS_URL!);
    upstreamEnv.AUTH_MS_URL = authProxy.url;
    const edge = await start(
      "src/node.ts",
      {
        ...upstreamEnv,
        PORT: "0",
        NODE_ENV: "test",
        PGLITE_DATA_DIR: "memory",
        JWT_SECRET: TEST_JWT_SECRET,
        SERVICE_SECRET: TEST_SERVICE_SECRET,
        LOG_LEVEL: "info",
      },
      /"ms8 edge listening","url":"http:\/\/127\.0\.0\.1:\d+"/,
    );
    api = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(edge)![1]!;
  }, 90_000);
  afterAll(() => {
    for (const child of children) child.kill("SIGTERM");
    authProxy?.server.close();
  });

  it("is healthy with every upstream listed", async () => {
    const res = await fetch(`${api}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      database: { state: string };
      upstreams: Record<string, unknown>;
    };
    expect(body.database.state).toBe("healthy");
    expect(Object.keys(body.upstreams).sort()).toEqual([
      "assessment",
      "auth",
      "content",
      "course",
      "devlab",
      "directory",
      "learnerAi",
      "rag",
      "skills",
    ]);
    // node.ts wires the active probe: each service's own GET /health was asked.
    for (const [name, upstream] of Object.entries(body.upstreams)) {
      expect(upstream, name).toMatchObject({ probe: { state: "healthy" } });
    }
  });

  it("signs a persona in through the Auth service and serves their analytics; another org is a 404", async () => {
    const personas = (await (await fetch(`${admin}/__admin/personas`)).json()) as {
      personas: { role: string; userId: string; orgId: string; email: string; password: string }[];
    };
    const learner = personas.personas.find((p) => p.role === "learner")!;
    const stranger = personas.personas.find((p) => p.role === "learner" && p.orgId !== learner.orgId)!;
    const login = await fetch(`${api}/api/v1/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Request-Id": "login-trace-0001" },
      body: JSON.stringify({ email: learner.email, password: learner.password }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get("x-request-id")).toBe("login-trace-0001");
    // The request id travelled with the call to the Auth service.
    expect(authProxy.seen).toContain("login-trace-0001");
    const { token, user } = (await login.json()) as { token: string; user: { id: string; orgId: string } };
    expect(user).toMatchObject({ id: learner.userId, orgId: learner.orgId });
    const auth = { headers: { Authorization: `Bearer ${token}` } };

    const velocity = await fetch(`${api}/api/v1/learners/${learner.userId}/velocity`, auth);
    expect(velocity.status).toBe(200);
    const body = (await velocity.json()) as { data: { learnerId: string }; meta: { dataSource: string } };
    expect(body.data.learnerId).toBe(learner.userId);
    expect(["realtime", "cached"]).toContain(body.meta.dataSource);

    const wrong = await fetch(`${api}/api/v1/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: learner.email, password: "not-the-password" }),
    });
    expect(wrong.status).toBe(401);

    const other = await fetch(`${api}/api/v1/learners/${stranger.userId}/velocity`, auth);
    expect(other.status).toBe(404);
  });
});

describe("node src/node.ts in production without DATABASE_URL", () => {
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  });
  it("still starts on the embedded database, and says so at warn level where an operator looks", async () => {
    const out = await start(
      "src/node.ts",
      {
        PORT: "0",
        HOST: "127.0.0.1", // production binds every interface by default; tests stay on loopback
        NODE_ENV: "production",
        PGLITE_DATA_DIR: "memory",
        JWT_SECRET: TEST_JWT_SECRET,
        SERVICE_SECRET: TEST_SERVICE_SECRET,
        LOG_LEVEL: "warn",
      },
      /"level":"warn"[^\n]*"engine":"pglite"/,
    );
    const line = JSON.parse(out.split("\n").find((l) => l.includes('"engine":"pglite"'))!);
    expect(line).toMatchObject({ level: "warn", engine: "pglite" });
    expect(line.msg).toMatch(/DATABASE_URL not configured/);
  }, 60_000);
});
