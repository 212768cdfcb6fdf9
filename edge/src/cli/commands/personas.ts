/**
 * `pnpm ms8 personas [--json]`: who to sign in as in the demo. Prints the simulator's personas
 * (learner, trainer and org admin of each organization: ids, organization, roles, email, local-only
 * password) and the learner ids of each organization.
 *
 * With SIM_ADMIN_URL (the simulator's admin base URL, printed first by `node edge/simulator/main.ts`)
 * it asks the running simulator; otherwise it builds the same seeded world locally, honouring
 * SIM_SEED and SIM_NOW exactly as the simulator does.
 */
import { parseArgs } from "node:util";

export const summary = "list the demo personas (ids, org, roles, email, password) and each org's learner ids";

interface PersonasReport {
  seed: number;
  now: string;
  personas: {
    role: string;
    userId: string;
    orgId: string;
    roles: string[];
    email: string;
    password: string;
    displayName: string;
    pattern?: string;
  }[];
  organizations: { orgId: string; name: string; learnerIds: string[] }[];
}

async function fromRunningSimulator(adminUrl: string): Promise<PersonasReport> {
  const response = await fetch(`${adminUrl.replace(/\/$/, "")}/__admin/personas`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`the simulator at ${adminUrl} answered ${response.status}`);
  return (await response.json()) as PersonasReport;
}

async function fromLocalWorld(): Promise<PersonasReport> {
  // Developer tooling only: the product itself never imports the simulator.
  const simulator = "../../../simulator/";
  const world = (await import(`${simulator}world.ts`)) as typeof import("../../../simulator/world.ts");
  const server = (await import(`${simulator}server.ts`)) as typeof import("../../../simulator/server.ts");
  const seed = process.env.SIM_SEED ? Number(process.env.SIM_SEED) : world.DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0)
    throw new Error(`SIM_SEED must be a non-negative integer, got "${process.env.SIM_SEED}"`);
  const now = process.env.SIM_NOW ? new Date(process.env.SIM_NOW) : undefined;
  if (now && Number.isNaN(now.getTime()))
    throw new Error(`SIM_NOW must be an ISO 8601 instant, got "${process.env.SIM_NOW}"`);
  return server.personasReport(world.generateWorld({ seed, now }));
}

export async function run(args: string[]): Promise<number> {
  let json = false;
  try {
    const { values } = parseArgs({ args, options: { json: { type: "boolean", default: false } }, strict: true });
    json = values.json ?? false;
  } catch (error) {
    console.error(`ms8 personas: ${(error as Error).message}\nusage: pnpm ms8 personas [--json]`);
    return 2;
  }
  let report: PersonasReport;
  try {
    const admin = process.env.SIM_ADMIN_URL;
    report = admin ? await fromRunningSimulator(admin) : await fromLocalWorld();
  } catch (error) {
    console.error(`ms8 personas: ${(error as Error).message}`);
    return 1;
  }
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  console.log(`Demo personas (simulator seed ${report.seed}; passwords are local-only)\n`);
  for (const p of report.personas) {
    const note = p.pattern ? ` (${p.pattern})` : "";
    console.log(
      `  ${p.orgId.padEnd(14)} ${p.role.padEnd(10)} ${p.userId.padEnd(17)} ${p.email.padEnd(26)} ${p.password}${note}`,
    );
  }
  console.log("");
  for (const org of report.organizations) {
    console.log(
      `  ${org.orgId} (${org.name}): ${org.learnerIds.length} learners, ${org.learnerIds[0]} .. ${org.learnerIds.at(-1)}`,
    );
  }
  return 0;
}
