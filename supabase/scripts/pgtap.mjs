// `pnpm --dir supabase test:ci`: the pgTAP suite on a fresh database. Uses $MS8_TEST_DATABASE_URL
// (a superuser URL; the root runner passes one) or starts a throwaway server, creates a database
// with a random name, installs pgTAP, applies compat/auth.sql, the migrations and the seed as
// Supabase would, runs pg_prove over tests/database/*.test.sql in name order, and writes
// {"passed","failed"} to $MS8_RESULTS_DIR/supabase.json.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startPostgres } from "../../scripts/postgres-server.mjs";

const here = new URL("..", import.meta.url).pathname;
const resultsDir = process.env.MS8_RESULTS_DIR ?? join(here, "..", ".test-results");

function psql(url, args, input) {
  const r = spawnSync("psql", [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", ...args], { encoding: "utf8", input });
  if (r.status !== 0) throw new Error(`psql ${args.join(" ")} failed:\n${r.stderr || r.stdout}`);
  return r.stdout;
}

const own = process.env.MS8_TEST_DATABASE_URL ? null : await startPostgres();
const serverUrl = new URL(process.env.MS8_TEST_DATABASE_URL ?? own.url);
const dbName = `ms8_pgtap_${randomBytes(4).toString("hex")}`;
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${dbName}`;

let passed = 0;
let failed = 0;
try {
  psql(serverUrl.href, ["-c", `create database ${dbName}`]);
  // Supabase keeps extensions in their own schema on the search path.
  psql(dbUrl.href, [
    "-c",
    `create schema extensions; create extension pgtap with schema extensions;
     alter database ${dbName} set search_path = "$user", public, extensions;`,
  ]);
  psql(dbUrl.href, ["-f", join(here, "compat/auth.sql")]);
  psql(dbUrl.href, ["-c", "grant usage on schema extensions to anon, authenticated, service_role"]);
  for (const file of readdirSync(join(here, "migrations"))
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    psql(dbUrl.href, ["-f", join(here, "migrations", file)]);
  }
  psql(dbUrl.href, ["-f", join(here, "seed.sql")]);

  const testDir = join(here, "tests/database");
  const files = readdirSync(testDir)
    .filter((f) => f.endsWith(".test.sql"))
    .sort();
  const prove = spawnSync(
    "pg_prove",
    [
      "--verbose",
      "-h",
      dbUrl.hostname,
      "-p",
      dbUrl.port || "5432",
      "-U",
      decodeURIComponent(dbUrl.username),
      "-d",
      dbName,
      ...files,
    ],
    { cwd: testDir, encoding: "utf8", env: { ...process.env, PGPASSWORD: decodeURIComponent(dbUrl.password) } },
  );
  process.stdout.write(
    prove.stdout
      .split("\n")
      .filter((l) => !/^\s*ok \d+/.test(l))
      .join("\n"),
  );
  process.stderr.write(prove.stderr);
  passed = prove.stdout.match(/^\s*ok \d+/gm)?.length ?? 0;
  failed = prove.stdout.match(/^\s*not ok \d+/gm)?.length ?? 0;
  // A file that dies or runs fewer tests than planned fails without a "not ok" line.
  if (prove.status !== 0 && failed === 0) failed = 1;
  console.log(`pgTAP: ${passed} passed, ${failed} failed`);
} catch (error) {
  console.error(error.message);
  failed += 1;
} finally {
  try {
    psql(serverUrl.href, ["-c", `drop database if exists ${dbName} with (force)`]);
  } catch {}
  own?.stop();
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "supabase.json"), JSON.stringify({ passed, failed }));
}
process.exit(failed === 0 ? 0 : 1);
