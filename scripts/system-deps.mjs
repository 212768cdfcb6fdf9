// The system programs the tests need, from Debian's packages: PostgreSQL 15 with pgTAP and
// pg_prove, and Chromium. Installed with apt when missing and we are root; otherwise we stop
// with the exact command to run.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const needs = [
  {
    what: "PostgreSQL 15 server",
    present: () => existsSync("/usr/lib/postgresql/15/bin/initdb"),
    apt: "postgresql-15",
  },
  {
    what: "pgTAP",
    present: () => existsSync("/usr/share/postgresql/15/extension/pgtap.control"),
    apt: "postgresql-15-pgtap",
  },
  { what: "pg_prove", present: () => existsSync("/usr/bin/pg_prove"), apt: "libtap-parser-sourcehandler-pgtap-perl" },
  { what: "Chromium", present: () => existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"), apt: "chromium" },
];

export function ensureSystemDeps() {
  const missing = needs.filter((n) => !n.present());
  if (missing.length === 0) return;
  const packages = missing.map((n) => n.apt);
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing ${missing.map((n) => n.what).join(", ")}: run  sudo apt-get install -y ${packages.join(" ")}`,
    );
  }
  console.log(`installing ${packages.join(", ")} with apt (once per machine)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env });
  const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
  if (update.status !== 0 || install.status !== 0) throw new Error(`apt-get install ${packages.join(" ")} failed`);
  const still = needs.filter((n) => !n.present());
  if (still.length) throw new Error(`still missing after apt: ${still.map((n) => n.what).join(", ")}`);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSystemDeps();
