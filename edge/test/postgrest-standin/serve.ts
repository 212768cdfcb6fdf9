/**
 * `node test/postgrest-standin/serve.ts`: a migrated test database with the PostgREST stand-in in
 * front, and the simulator of the nine services, for runtimes that cannot start servers (the
 * workerd tests). Prints one JSON line {url, jwtSecret, simulator: {urls, serviceSecret}} when
 * ready; cleans up on SIGTERM or when stdin closes.
 */
import { startSimulator } from "../../simulator/server.ts";
import { freshDatabase } from "../../src/store/testing.ts";
import { startPostgrestStandin } from "./server.ts";

export const STANDIN_JWT_SECRET = "local-dev-only-supabase-jwt-secret-0123456789abcdef";
const SIMULATOR_SECRET = "local-dev-only-simulator-service-secret-0123456789";

const db = await freshDatabase();
const standin = await startPostgrestStandin({ databaseUrl: db.url, jwtSecret: STANDIN_JWT_SECRET });
const simulator = await startSimulator({ serviceSecret: SIMULATOR_SECRET, learners: 40 });
process.stdout.write(
  `${JSON.stringify({
    url: standin.url,
    jwtSecret: STANDIN_JWT_SECRET,
    simulator: {
      env: simulator.env,
      serviceSecret: SIMULATOR_SECRET,
      learners: [...simulator.world.learners.keys()]
        .slice(0, 3)
        .map((id) => ({ learnerId: id, orgId: simulator.world.users.get(id)!.orgId })),
    },
  })}\n`,
);

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  await standin.close();
  await simulator.stop();
  await db.drop();
  process.exit(0);
}
process.on("SIGTERM", close);
process.stdin.on("end", close);
process.stdin.resume();
