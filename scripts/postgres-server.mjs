// A throwaway PostgreSQL server for tests and benchmarks: initdb into a temp dir on a free
// loopback port, as the postgres user (initdb refuses root), fsync off. The server comes from the
// distribution (/usr/lib/postgresql/<major>/bin); scripts/system-deps.mjs installs it when missing.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresBin } from "./system-deps.mjs";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Run a command as the postgres user when we are root, as ourselves otherwise. */
function asPostgres(cmd, args) {
  const isRoot = process.getuid?.() === 0;
  // runuser lives in /usr/sbin, which a minimal PATH may lack.
  const runuser = existsSync("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser";
  const [file, argv] = isRoot ? [runuser, ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  const result = spawnSync(file, argv, { encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`${cmd} failed: ${result.error?.message ?? (result.stderr || result.stdout)}`);
  return result.stdout;
}

/** Start a server; resolves to { url, port, stop() }. `url` connects as the superuser `postgres`. */
export async function startPostgres() {
  const bin = postgresBin();
  if (!bin) throw new Error("no PostgreSQL server installed: run  apt-get install -y postgresql");
  const dir = mkdtempSync(join(tmpdir(), "ms8-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  if (process.getuid?.() === 0)
    execFileSync(existsSync("/usr/bin/chown") ? "/usr/bin/chown" : "chown", ["postgres:postgres", dir]);
  asPostgres(`${bin}/initdb`, ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  asPostgres(`${bin}/pg_ctl`, ["-D", data, "-o", opts, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      asPostgres(`${bin}/pg_ctl`, ["-D", data, "-m", "immediate", "-w", "stop"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return { url, port, socketDir: dir, stop };
}

// `node scripts/postgres-server.mjs`: start one for manual work and print its URL until Ctrl-C.
if (import.meta.url === `file://${process.argv[1]}`) {
  const pg = await startPostgres();
  console.log(pg.url);
  const bye = () => {
    pg.stop();
    process.exit(0);
  };
  process.on("SIGINT", bye);
  process.on("SIGTERM", bye);
  setInterval(() => {}, 1 << 30);
}
