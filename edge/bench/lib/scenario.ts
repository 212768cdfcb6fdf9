/** The callers and learners the benchmarks use, taken from the simulator's documented personas. */
import type { SimulatorHandle } from "./stack.ts";
import { BENCH_SECRETS } from "./stack.ts";
import { userToken } from "./tokens.ts";
import { NotReady } from "./types.ts";

export interface Persona {
  role: string;
  userId: string;
  orgId: string;
  roles: string[];
}

export interface Cast {
  orgId: string;
  admin: Persona;
  /** A header for the org admin, valid long enough for any run. */
  adminAuth: { authorization: string };
  /** Learners of that organization with history (not new joiners first). */
  learnerIds: string[];
  /** Every learner id and its organization, for the comparison servers' directory. */
  directory: Record<string, string>;
}

export async function castFrom(simulator: SimulatorHandle): Promise<Cast> {
  const report = await simulator.admin<{ personas: Persona[] }>("/__admin/personas");
  const admin = report.personas.find((p) => p.role === "org_admin");
  if (!admin) throw new NotReady("the simulator lists no org_admin persona");
  const learners = await simulator.learners();
  const directory = Object.fromEntries(learners.map((l) => [l.id, l.orgId]));
  const own = learners.filter((l) => l.orgId === admin.orgId);
  const withHistory = [
    ...own.filter((l) => l.pattern !== "new_joiner"),
    ...own.filter((l) => l.pattern === "new_joiner"),
  ];
  const token = userToken(
    { sub: admin.userId, org: admin.orgId, roles: ["org_admin"] },
    BENCH_SECRETS.JWT_SECRET,
    3600,
  );
  return {
    orgId: admin.orgId,
    admin,
    adminAuth: { authorization: `Bearer ${token}` },
    learnerIds: withHistory.map((l) => l.id),
    directory,
  };
}

export const velocityPath = (learnerId: string) => `/api/v1/learners/${encodeURIComponent(learnerId)}/velocity`;

/** GET an analytics answer; NotReady when the route is not there yet. */
export async function getAnswer(url: string, headers: Record<string, string>) {
  const t0 = performance.now();
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
  const body = await response.text();
  const ms = performance.now() - t0;
  if (response.status === 404 && !body.includes("learner")) {
    // A 404 from the router (no such route) rather than from authorization.
    throw new NotReady(`${new URL(url).pathname} answers 404: the route is not wired yet (${body.slice(0, 200)})`);
  }
  let dataSource: string | undefined;
  try {
    dataSource = (JSON.parse(body) as { meta?: { dataSource?: string } }).meta?.dataSource;
  } catch {}
  return { status: response.status, body, ms, dataSource, headers: response.headers };
}
