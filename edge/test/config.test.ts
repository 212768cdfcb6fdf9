/**
 * Configuration and the Node entry (Node-only by nature: process.env, a child process, local files).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, SIMULATOR_DEFAULT_URLS } from "../src/config.ts";
import { createTokenVerifier } from "../src/http/tokens.ts";
import { TEST_JWT_SECRET, TEST_SERVICE_SECRET } from "./doubles/world.ts";

const edgeDir = fileURLToPath(new URL("..", import.meta.url));

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.variable);
    throw err;
  }
  return [];
}

function runNode(script: string[], env: Record<string, string>, timeoutMs = 15_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, script, { cwd: edgeDir, env: { PATH: process.env.PATH ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("parseConfig", () => {
  it("has documented defaults", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      port: 8787,
      nodeEnv: "development",
      corsOrigins: [],
      mockFallback: true,
      rateLimitUserPerMin: 300,
      rateLimitIpPerMin: 600,
      logLevel: "info",
      cacheTtl: { freshSeconds: 300, staleSeconds: 600 },
      snapshotTtlSeconds: 14_400,
      upstreamCacheSeconds: 60,
      snapshotRefresh: { everyMinutes: 15, batch: 100 },
      upstreamUrls: SIMULATOR_DEFAULT_URLS,
      host: "127.0.0.1",
    });
    expect(SIMULATOR_DEFAULT_URLS.auth).toBe("http://127.0.0.1:4101");
    expect(SIMULATOR_DEFAULT_URLS.rag).toBe("http://127.0.0.1:4109");
    expect(c.databaseUrl).toBeUndefined();
    expect(
      parseConfig({ NODE_ENV: "production", JWT_SECRET: TEST_JWT_SECRET, SERVICE_SECRET: TEST_SERVICE_SECRET })
        .mockFallback,
    ).toBe(false);
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ JWT_SECRET: "short" }, "JWT_SECRET"],
    [{ CORS_ORIGINS: "https://ok.test, not a url" }, "CORS_ORIGINS"],
    [{ CORS_ORIGINS: "https://ok.test/path" }, "CORS_ORIGINS"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ DIRECTORY_MS_URL: "ftp://dir" }, "DIRECTORY_MS_URL"],
    [{ MOCK_FALLBACK: "maybe" }, "MOCK_FALLBACK"],
    [{ RATE_LIMIT_USER_PER_MIN: "-1" }, "RATE_LIMIT_USER_PER_MIN"],
    [{ RATE_LIMIT_IP_PER_MIN: "1.5" }, "RATE_LIMIT_IP_PER_MIN"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ NODE_ENV: "staging" }, "NODE_ENV"],
    [{ HOST: "every interface" }, "HOST"],
    [{ CACHE_TTL_SECONDS: "five" }, "CACHE_TTL_SECONDS"],
    [{ SNAPSHOT_TTL_SECONDS: "-1" }, "SNAPSHOT_TTL_SECONDS"],
    [{ SNAPSHOT_REFRESH_MINUTES: "often" }, "SNAPSHOT_REFRESH_MINUTES"],
    [{ SNAPSHOT_REFRESH_BATCH: "0" }, "SNAPSHOT_REFRESH_BATCH"],
    [{ SNAPSHOT_REFRESH_BATCH: "5000" }, "SNAPSHOT_REFRESH_BATCH"],
    [{ GEMINI_BASE_URL: "not a url" }, "GEMINI_BASE_URL"],
    [{ NODE_ENV: "production", SERVICE_SECRET: TEST_SERVICE_SECRET }, "JWT_SECRET"],
    [{ NODE_ENV: "production", JWT_SECRET: TEST_JWT_SECRET }, "SERVICE_SECRET"],
    [{ JWT_SECRET: TEST_JWT_SECRET, SERVICE_SECRET: TEST_JWT_SECRET }, "SERVICE_SECRET"],
  ])("%o is refused naming %s", (env, variable) => {
    expect(problemsOf(env as Record<string, string>)).toContain(variable);
  });

  it("reads the lists and URLs", () => {
    const c = parseConfig({
      CORS_ORIGINS: "https://a.test, http://localhost:5173/",
      AUTH_MS_URL: "http://127.0.0.1:4001/",
      RATE_LIMIT_IP_PER_MIN: "0",
      MOCK_FALLBACK: "false",
      SNAPSHOT_REFRESH_MINUTES: "0",
      SNAPSHOT_REFRESH_BATCH: "25",
    });
    expect(c.snapshotRefresh).toEqual({ everyMinutes: 0, batch: 25 });
    expect(c.corsOrigins).toEqual(["https://a.test", "http://localhost:5173"]);
    expect(c.upstreamUrls).toEqual({ ...SIMULATOR_DEFAULT_URLS, auth: "http://127.0.0.1:4001" });
    expect(c.simulatedUpstreams).not.toContain("auth");
    expect(c.simulatedUpstreams).toHaveLength(8);
    expect(c.rateLimitIpPerMin).toBe(0);
    expect(c.mockFallback).toBe(false);
  });
});

describe("node.ts start-up", () => {
  it("stops with a message naming a malformed variable", async () => {
    const { code, stderr } = await runNode(["src/node.ts"], { PORT: "eighty", NODE_ENV: "test" });
    expect(code).toBe(1);
    expect(stderr).toContain("PORT");
  });

  it("stops in production without secrets, naming them", async () => {
    const { code, stderr } = await runNode(["src/node.ts"], { NODE_ENV: "production", PORT: "0" });
    expect(code).toBe(1);
    expect(stderr).toContain("JWT_SECRET");
    expect(stderr).toContain("SERVICE_SECRET");
  });
});

describe("pnpm ms8 token", () => {
  const env = { JWT_SECRET: TEST_JWT_SECRET, SERVICE_SECRET: TEST_SERVICE_SECRET, NODE_ENV: "test" };
  const verifier = createTokenVerifier({
    jwtSecret: TEST_JWT_SECRET,
    serviceSecret: TEST_SERVICE_SECRET,
    clock: { now: () => new Date() },
  });

  it("mints a user token the BFF accepts", async () => {
    const { code, stdout } = await runNode(
      ["src/cli/ms8.ts", "token", "--sub", "u1", "--org", "o1", "--roles", "learner,trainer", "--ttl", "120"],
      env,
    );
    expect(code).toBe(0);
    const principal = await verifier.user(stdout.trim());
    expect(principal).toMatchObject({ userId: "u1", orgId: "o1", roles: ["learner", "trainer"] });
    expect(principal.exp! - Date.now() / 1000).toBeLessThanOrEqual(120);
  });

  it("mints a service token that is only a service token", async () => {
    const { code, stdout } = await runNode(
      ["src/cli/ms8.ts", "token", "--service", "course-builder", "--scope", "events:write", "--json"],
      env,
    );
    expect(code).toBe(0);
    const { token } = JSON.parse(stdout) as { token: string };
    expect(await verifier.service(token)).toEqual({ service: "course-builder", scopes: ["events:write"] });
    await expect(verifier.user(token)).rejects.toThrow();
  });

  it("refuses an unknown role", async () => {
    const { code, stderr } = await runNode(
      ["src/cli/ms8.ts", "token", "--sub", "u1", "--org", "o1", "--roles", "admin"],
      env,
    );
    expect(code).toBe(2);
    expect(stderr).toContain("--roles");
  });
});
