/**
 * A reference, not a goal: the leanest Hono app with the BFF's checks (HS256 token verified with
 * hono/jwt, a verified token kept until it expires, role, organization and learner checked, cache
 * lookup, c.json). It shows what the framework and runtime allow on this machine, so the gap to
 * the BFF is the BFF's own per-request work.
 *
 * With BENCH_ANSWER_HEADERS (a JSON file of the headers a BFF answer carried: security headers,
 * request id, rate-limit state, ETag, Cache-Control, Vary, Content-Type), the answer carries exactly
 * those, with the values copied once, handed over as a plain record as the BFF does: an app that
 * answers as the BFF does with none of its work behind the answer, to hold the BFF against.
 *
 * Env: PORT, JWT_SECRET, BENCH_FIXTURE (as for servers/express.ts), BENCH_ANSWER_HEADERS (optional).
 */
import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { verify } from "hono/jwt";

const fixture = JSON.parse(readFileSync(process.env.BENCH_FIXTURE!, "utf8")) as {
  directory: Record<string, string>;
  velocity: Record<string, string>;
};
const secret = process.env.JWT_SECRET!;
const directory = new Map(Object.entries(fixture.directory));
const cache = new Map(Object.entries(fixture.velocity).map(([id, body]) => [`velocity:${id}`, JSON.parse(body)]));
const answerHeaders = process.env.BENCH_ANSWER_HEADERS
  ? (JSON.parse(readFileSync(process.env.BENCH_ANSWER_HEADERS, "utf8")) as Record<string, string>)
  : undefined;
const LEARNER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ROLES = new Set(["learner", "trainer", "org_admin"]);

interface Claims {
  sub: string;
  org: string;
  roles: string[];
  exp: number;
}
// Verified tokens until they expire: WebCrypto's key import and HMAC are paid once per token.
const verified = new Map<string, Claims>();

async function claimsOf(header: string | undefined): Promise<Claims | null> {
  if (!header?.startsWith("Bearer ")) return null;
  const token = header.slice(7);
  const known = verified.get(token);
  if (known && known.exp * 1000 > Date.now()) return known;
  try {
    const claims = (await verify(token, secret, "HS256")) as unknown as Claims;
    if (
      typeof claims.sub !== "string" ||
      typeof claims.org !== "string" ||
      !Array.isArray(claims.roles) ||
      !claims.roles.every((r) => ROLES.has(r))
    )
      return null;
    if (verified.size > 10_000) verified.clear();
    verified.set(token, claims);
    return claims;
  } catch {
    return null;
  }
}

const problem = (status: 400 | 401 | 403 | 404, title: string) =>
  new Response(JSON.stringify({ type: "about:blank", title, status }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });

const app = new Hono().get("/api/v1/learners/:learnerId/velocity", async (c) => {
  const claims = await claimsOf(c.req.header("authorization"));
  if (!claims) return problem(401, "Unauthorized");
  const learnerId = c.req.param("learnerId");
  if (!LEARNER_ID.test(learnerId)) return problem(400, "Bad Request");
  const orgId = directory.get(learnerId);
  if (orgId === undefined || orgId !== claims.org) return problem(404, "Not Found");
  const staff = claims.roles.includes("org_admin") || claims.roles.includes("trainer");
  if (!staff && claims.sub !== learnerId) return problem(403, "Forbidden");
  const answer = cache.get(`velocity:${learnerId}`);
  if (answer === undefined) return problem(404, "Not Found");
  // A plain header record, as the BFF builds its answer (@hono/node-server writes it without a
  // Headers object; c.json with headers would build one and measure that instead).
  if (answerHeaders) return new Response(JSON.stringify(answer), { status: 200, headers: answerHeaders });
  c.header("cache-control", "private");
  return c.json(answer);
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" }, () =>
  console.log(JSON.stringify({ listening: true })),
);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
