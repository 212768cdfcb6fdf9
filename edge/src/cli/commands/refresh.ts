/**
 * `pnpm ms8 refresh`: run the snapshot refresh job now, with the BFF's own configuration
 * (DATABASE_URL, the services' URLs, SERVICE_SECRET: the same environment as the server).
 *   pnpm ms8 refresh                      one run of the timer's job: recompute the due snapshots,
 *                                         then (room left) organizations' roster checks
 *   pnpm ms8 refresh --org org-aurora     compute every learner the Directory lists for these
 *                                         organizations (after a deploy, before any event came in)
 * Prints one JSON summary per job on stdout; exit 1 when a learner failed, 2 on bad arguments.
 * With the embedded PGlite (no DATABASE_URL) stop the BFF first: PGlite serves one process.
 */
import { parseArgs } from "node:util";
import { ConfigError, parseConfig } from "../../config.ts";
import { refreshOrgSnapshots } from "../../insights/index.ts";
import { buildNodeDeps } from "../../node-deps.ts";

export const summary =
  "recompute due snapshots now, or every learner of --org <id> (fills the org lists after a deploy)";

const usage = `usage:
  pnpm ms8 refresh [--batch <1-1000>]          one run of the timer's job: the snapshots that are due,
                                               then learners the Directory lists, not yet stored
  pnpm ms8 refresh --org <orgId> [--org ...]   compute every learner the Directory lists for these orgs`;

export async function run(args: string[]): Promise<number> {
  let values: { org?: string[]; batch?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        org: { type: "string", multiple: true },
        batch: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`ms8 refresh: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const env = { ...process.env, ...(values.batch !== undefined ? { SNAPSHOT_REFRESH_BATCH: values.batch } : {}) };
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) {
      const name = p.variable === "SNAPSHOT_REFRESH_BATCH" && values.batch !== undefined ? "--batch" : p.variable;
      console.error(`ms8 refresh: ${name} ${p.message}`);
    }
    return 2;
  }

  // Log lines to stderr: stdout carries the summaries, one JSON line per job.
  const deps = await buildNodeDeps(config, { logLines: (line) => void process.stderr.write(`${line}\n`) });
  let failed = 0;
  try {
    if (values.org?.length) {
      for (const orgId of values.org) {
        const result = await refreshOrgSnapshots({ insights: deps.insights, upstreams: deps.upstreams, orgId });
        failed += result.failed.length;
        if (result.learners === 0) console.error(`ms8 refresh: the Directory lists no learners for ${orgId}`);
        console.log(JSON.stringify({ orgId, ...result }));
      }
    } else {
      const result = await deps.refreshSnapshots();
      failed += result.failed.length;
      console.log(JSON.stringify(result));
    }
  } finally {
    await deps.close();
  }
  return failed > 0 ? 1 : 0;
}
