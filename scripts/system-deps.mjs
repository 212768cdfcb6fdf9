// The system programs the tests need, from the distribution's packages: a PostgreSQL server with
// pgTAP and pg_prove, and Chromium. Installed with apt when missing and we are root; otherwise we
// stop with the exact command to run. Debian 12 gives PostgreSQL 15; any installed major works.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

/** The bin dir of the newest PostgreSQL server installed by the distribution, or null. */
export function postgresBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const majors = readdirSync(base)
    .filter((v) => existsSync(`${base}/${v}/bin/initdb`))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? `${base}/${majors[0]}/bin` : null;
}

const pgMajor = () => postgresBin()?.split("/").at(-2);
const chromium = () => process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const needs = [
  { what: "PostgreSQL server", present: () => postgresBin() !== null, apt: () => "postgresql" },
  {
    what: "pgTAP",
    present: () => existsSync(`/usr/share/postgresql/${pgMajor()}/extension/pgtap.control`),
    apt: () => `postgresql-${pgMajor()}-pgtap`,
  },
  {
    what: "pg_prove",
    present: () => existsSync("/usr/bin/pg_prove"),
    apt: () => "libtap-parser-sourcehandler-pgtap-perl",
  },
  { what: "Chromium", present: () => existsSync(chromium()), apt: () => "chromium" },
];

function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const opts = { stdio: ["ignore", "ignore", "inherit"], env };
  if (spawnSync("apt-get", ["update", "-qq"], opts).status !== 0) throw new Error("apt-get update failed");
  const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], opts);
  if (install.status !== 0) throw new Error(`apt-get install ${packages.join(" ")} failed`);
}

export function ensureSystemDeps() {
  // Two rounds: pgTAP's package name depends on the server's major version.
  for (let round = 0; round < 2; round++) {
    const missing = needs.filter((n) => !n.present() && !(n.what === "pgTAP" && !pgMajor()));
    if (missing.length === 0) continue;
    const packages = missing.map((n) => n.apt());
    if (process.getuid?.() !== 0) {
      throw new Error(
        `missing ${missing.map((n) => n.what).join(", ")}: run  sudo apt-get install -y ${packages.join(" ")}`,
      );
    }
    console.log(`installing ${packages.join(", ")} with apt (once per machine)...`);
    aptInstall(packages);
  }
  const still = needs.filter((n) => !n.present());
  if (still.length) throw new Error(`still missing after apt: ${still.map((n) => n.what).join(", ")}`);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSystemDeps();
