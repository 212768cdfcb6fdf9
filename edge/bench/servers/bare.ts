/**
 * The limit: a bare node:http server answering the BFF's cached velocity bytes with no auth, no
 * routing and no logging. Anything the BFF does beyond this is its per-request cost.
 *
 * Env: PORT, BENCH_FIXTURE (JSON file written by the runner: {velocity: {[learnerId]: body}}).
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const fixture = JSON.parse(readFileSync(process.env.BENCH_FIXTURE!, "utf8")) as {
  velocity: Record<string, string>;
};
const body = Buffer.from(Object.values(fixture.velocity)[0]!);
const headers = { "content-type": "application/json", "content-length": String(body.length) };

const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log(JSON.stringify({ listening: true })));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
