/**
 * The harness itself, fast: the report's arithmetic on known numbers, the profile reader on a
 * hand-made profile, and the comparison servers answering the BFF contract's bytes with the
 * BFF's checks. The heavy runs stay in `pnpm bench`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envelope, Velocity } from "../src/contract.ts";
import { type Fixture, startComparison } from "./benchmarks/cached-read.ts";
import { type Program, stopAll } from "./lib/proc.ts";
import { hotSpots } from "./lib/profile.ts";
import { BENCH_SECRETS } from "./lib/stack.ts";
import { median, percentile, ratio } from "./lib/stats.ts";
import { signHs256, userToken } from "./lib/tokens.ts";
import type { BenchContext } from "./lib/types.ts";

describe("report arithmetic", () => {
  it("takes the median of odd and even counts without reordering the input", () => {
    const rounds = [30, 10, 20];
    expect(median(rounds)).toBe(20);
    expect(rounds).toEqual([30, 10, 20]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("uses nearest-rank percentiles", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(() => percentile(samples, 101)).toThrow(RangeError);
  });

  it("never reports a ratio against a dead comparison", () => {
    expect(ratio(3000, 1000)).toBe(3);
    expect(ratio(3000, 0)).toBeNaN();
    expect(ratio(Number.NaN, 10)).toBeNaN();
  });
});

describe("profile reader", () => {
  it("ranks self time by function and groups node_modules by package", () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
    const spots = hotSpots(
      {
        nodes: [
          { id: 1, callFrame: frame("(root)", "") },
          { id: 2, callFrame: frame("verify", "file:///x/node_modules/hono/dist/utils/jwt/jwt.js") },
          { id: 3, callFrame: frame("authorize", "file:///repo/edge/src/http/access.ts") },
        ],
        samples: [2, 2, 2, 3, 1],
        timeDeltas: [1000, 1000, 1000, 1000, 1000],
      },
      "/repo",
    );
    expect(spots.totalMs).toBe(5);
    expect(spots.functions[0]).toMatchObject({ name: "verify hono/dist/utils/jwt/jwt.js:10", share: 0.6 });
    expect(spots.files.map((f) => f.name)).toEqual(["hono", "edge/src/http/access.ts", "(native)"]);
  });
});

describe("comparison servers", () => {
  const learnerId = "lrn-ada";
  const velocity = {
    data: {
      learnerId,
      currentPace: 4.5,
      targetPace: 4,
      trendDirection: "up",
      trendPercentage: 12.5,
      status: "ahead",
      estimatedCompletion: "2026-12-18",
      unitsCompleted: 30,
      unitsTotal: 48,
      weekly: [{ weekStart: "2026-11-16", units: 5, targetUnits: 4 }],
    },
    meta: { dataSource: "cached", calculatedAt: "2026-11-25T10:00:00.000Z", expiresAt: "2026-11-25T10:05:00.000Z" },
  };
  // The bytes the BFF would send: the contract's envelope, serialized once.
  const body = JSON.stringify(envelope(Velocity).parse(velocity));
  const fixture: Fixture = { directory: { [learnerId]: "org-a", "lrn-bob": "org-b" }, velocity: { [learnerId]: body } };
  const dir = mkdtempSync(join(tmpdir(), "ms8-bench-test-"));
  const fixtureFile = join(dir, "fixture.json");
  writeFileSync(fixtureFile, JSON.stringify(fixture));
  const ctx: BenchContext = {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    edgeDir: fileURLToPath(new URL("..", import.meta.url)),
    logDir: dir,
    quick: true,
    say: () => {},
  };
  const servers: Record<string, { program: Program; url: string }> = {};
  const path = `/api/v1/learners/${learnerId}/velocity`;
  const token = (claims: { sub: string; org: string; roles: string[] }, secret = BENCH_SECRETS.JWT_SECRET) =>
    `Bearer ${userToken(claims, secret)}`;
  const admin = token({ sub: "usr-admin", org: "org-a", roles: ["org_admin"] });

  // As a BFF answer carries them (its Content-Type included: the reference sends exactly these).
  const answerHeaders = {
    "content-type": "application/json",
    etag: '"0123abcd"',
    "x-frame-options": "SAMEORIGIN",
    "cache-control": "private, no-cache",
  };
  const answerHeadersFile = join(dir, "answer-headers.json");
  writeFileSync(answerHeadersFile, JSON.stringify(answerHeaders));

  beforeAll(async () => {
    [servers.bare, servers.express, servers["hono-minimal"], servers["hono-minimal-headers"]] = await Promise.all([
      startComparison(ctx, "bare", fixtureFile),
      startComparison(ctx, "express", fixtureFile),
      startComparison(ctx, "hono-minimal", fixtureFile),
      startComparison(ctx, "hono-minimal", fixtureFile, {
        name: "hono-minimal-headers",
        env: { BENCH_ANSWER_HEADERS: answerHeadersFile },
      }),
    ]);
  }, 30_000);
  afterAll(stopAll);

  it("answer the contract's bytes, byte for byte", async () => {
    for (const [name, headers] of [
      ["bare", {}],
      ["express", { authorization: admin }],
      ["hono-minimal", { authorization: admin }],
      ["hono-minimal-headers", { authorization: admin }],
    ] as const) {
      const response = await fetch(`${servers[name]!.url}${path}`, { headers });
      expect(response.status, name).toBe(200);
      expect(response.headers.get("content-type"), name).toMatch(/^application\/json/);
      expect(await response.text(), name).toBe(body);
    }
  });

  it("give the headers reference the answer headers it was handed, and the plain one none of them", async () => {
    const withHeaders = await fetch(`${servers["hono-minimal-headers"]!.url}${path}`, {
      headers: { authorization: admin },
    });
    const plain = await fetch(`${servers["hono-minimal"]!.url}${path}`, { headers: { authorization: admin } });
    for (const [name, value] of Object.entries(answerHeaders)) {
      expect(withHeaders.headers.get(name), name).toBe(value);
      if (name !== "content-type") expect(plain.headers.get(name), name).not.toBe(value);
    }
  });

  it.each(["express", "hono-minimal"])(
    "make %s do the BFF's checks: token, role, organization, learner",
    async (name) => {
      const status = async (authorization: string | undefined, url = path) =>
        (await fetch(`${servers[name]!.url}${url}`, { headers: authorization ? { authorization } : {} })).status;
      expect(await status(undefined)).toBe(401);
      expect(
        await status(
          token({ sub: "usr-admin", org: "org-a", roles: ["org_admin"] }, "a-different-secret-of-enough-length!"),
        ),
      ).toBe(401);
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from(
        JSON.stringify({ sub: "x", org: "org-a", roles: ["org_admin"], exp: 2e9 }),
      ).toString("base64url")}.`;
      expect(await status(`Bearer ${none}`)).toBe(401);
      const expired = signHs256(
        { sub: "usr-admin", org: "org-a", roles: ["org_admin"], exp: 1 },
        BENCH_SECRETS.JWT_SECRET,
      );
      expect(await status(`Bearer ${expired}`)).toBe(401);
      expect(await status(token({ sub: "usr-admin", org: "org-a", roles: ["wizard"] }))).toBe(401);
      expect(await status(token({ sub: "usr-admin", org: "org-b", roles: ["org_admin"] }))).toBe(404);
      expect(await status(token({ sub: "lrn-bob", org: "org-a", roles: ["learner"] }))).toBe(403);
      expect(await status(token({ sub: learnerId, org: "org-a", roles: ["learner"] }))).toBe(200);
      expect(await status(admin, "/api/v1/learners/bad%20id/velocity")).toBe(400);
    },
  );
});
