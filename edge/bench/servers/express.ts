/**
 * What the seed design would have been: Express 5, jsonwebtoken and node-cache, answering
 * GET /api/v1/learners/:learnerId/velocity with the same checks as the BFF (HS256 token verified
 * with the algorithm pinned, role, organization and learner checked, cache lookup, JSON), written
 * as lean as its author would: no logging, clones off in the cache, x-powered-by off.
 *
 * Env: PORT, JWT_SECRET, BENCH_FIXTURE (JSON file written by the runner:
 * {directory: {[learnerId]: orgId}, velocity: {[learnerId]: body}}).
 */
import { readFileSync } from "node:fs";
import express from "express";
import jwt from "jsonwebtoken";
import NodeCache from "node-cache";

const fixture = JSON.parse(readFileSync(process.env.BENCH_FIXTURE!, "utf8")) as {
  directory: Record<string, string>;
  velocity: Record<string, string>;
};
const secret = process.env.JWT_SECRET!;
const directory = new Map(Object.entries(fixture.directory));
const cache = new NodeCache({ stdTTL: 300, useClones: false });
// The upstream fetch and computation that fills the cache; the benchmark only reads it warm.
const computeVelocity = (learnerId: string) => {
  const body = fixture.velocity[learnerId];
  return body === undefined ? undefined : JSON.parse(body);
};

const LEARNER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ROLES = new Set(["learner", "trainer", "org_admin"]);

interface Claims {
  sub: string;
  org: string;
  roles: string[];
}

function problem(res: express.Response, status: number, title: string) {
  res.status(status).type("application/problem+json").json({ type: "about:blank", title, status });
}

const app = express();
app.disable("x-powered-by");

app.get("/api/v1/learners/:learnerId/velocity", (req, res) => {
  const header = req.headers.authorization;
  if (!header?.startsWith("Bearer ")) return problem(res, 401, "Unauthorized");
  let claims: Claims;
  try {
    claims = jwt.verify(header.slice(7), secret, { algorithms: ["HS256"] }) as Claims;
  } catch {
    return problem(res, 401, "Unauthorized");
  }
  if (
    typeof claims.sub !== "string" ||
    typeof claims.org !== "string" ||
    !Array.isArray(claims.roles) ||
    !claims.roles.every((role) => ROLES.has(role))
  )
    return problem(res, 401, "Unauthorized");

  const { learnerId } = req.params;
  if (!LEARNER_ID.test(learnerId)) return problem(res, 400, "Bad Request");
  const orgId = directory.get(learnerId);
  if (orgId === undefined || orgId !== claims.org) return problem(res, 404, "Not Found");
  const staff = claims.roles.includes("org_admin") || claims.roles.includes("trainer");
  if (!staff && claims.sub !== learnerId) return problem(res, 403, "Forbidden");

  const key = `velocity:${learnerId}`;
  let answer = cache.get(key);
  if (answer === undefined) {
    answer = computeVelocity(learnerId);
    if (answer === undefined) return problem(res, 404, "Not Found");
    cache.set(key, answer);
  }
  res.set("cache-control", "private").json(answer);
});

const server = app.listen(Number(process.env.PORT), "127.0.0.1", () =>
  console.log(JSON.stringify({ listening: true })),
);
server.keepAliveTimeout = 60_000;
process.on("SIGTERM", () => server.close(() => process.exit(0)));
