/** The machine and versions a report was measured on. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";

function version(edgeDir: string, pkg: string): string {
  try {
    return JSON.parse(readFileSync(join(edgeDir, "node_modules", pkg, "package.json"), "utf8")).version;
  } catch {
    return "not installed";
  }
}

function run(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: "utf8", timeout: 15_000, stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unavailable";
  }
}

export function describeMachine(root: string, edgeDir: string): Record<string, string> {
  const cpu = cpus();
  const pgMajors = run("ls", ["/usr/lib/postgresql"]).split("\n").filter(Boolean);
  const pgBin = pgMajors.length ? `/usr/lib/postgresql/${pgMajors.at(-1)}/bin/postgres` : "postgres";
  return {
    CPU: `${cpu[0]?.model ?? "unknown"} × ${cpu.length} cores`,
    Memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    Kernel: `Linux ${release()}`,
    "Load average at start": loadavg()
      .map((l) => l.toFixed(2))
      .join(" / "),
    Node: process.version,
    Commit: run("git", ["-C", root, "rev-parse", "--short", "HEAD"]),
    hono: version(edgeDir, "hono"),
    "@hono/node-server": version(edgeDir, "@hono/node-server"),
    autocannon: version(edgeDir, "autocannon"),
    express: version(edgeDir, "express"),
    jsonwebtoken: version(edgeDir, "jsonwebtoken"),
    "node-cache": version(edgeDir, "node-cache"),
    wrangler: version(edgeDir, "wrangler"),
    postgres: run(pgBin, ["--version"]),
    "postgres.js": version(edgeDir, "postgres"),
    Chromium: run("/usr/bin/chromium", ["--version"]),
  };
}
