/**
 * `node test/postgrest-standin/serve.ts`: a migrated test database with the PostgREST stand-in in
 * front, for runtimes that cannot start them (the workerd tests). Prints one JSON line
 * {url, jwtSecret} when ready; cleans up on SIGTERM or when stdin closes.
 */
import { freshDatabase } from "../../src/store/testing.ts";
import { startPostgrestStandin } from "./server.ts";

export const STANDIN_JWT_SECRET = "local-dev-only-supabase-jwt-secret-0123456789abcdef";

const db = await freshDatabase();
const standin = await startPostgrestStandin({ databaseUrl: db.url, jwtSecret: STANDIN_JWT_SECRET });
process.stdout.write(`${JSON.stringify({ url: standin.url, jwtSecret: STANDIN_JWT_SECRET })}\n`);

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  await standin.close();
  await db.drop();
  process.exit(0);
}
process.on("SIGTERM", close);
process.stdin.on("end", close);
process.stdin.resume();
