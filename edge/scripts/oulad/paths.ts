import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

const RELATIVE = join("shared", "data", "oulad-2013");
const repository = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Where a clone made from a local checkout came from (`git clone /work/main /tmp/x/p`): its
 * `shared/` sits beside that checkout, not beside the clone. Null for remote origins or no git.
 */
function localOrigin(): string | null {
  try {
    const url = execFileSync("git", ["-C", repository, "config", "--get", "remote.origin.url"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const path = url.startsWith("file://") ? fileURLToPath(url) : url;
    return isAbsolute(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * The OULAD 2013 tables: MS8_OULAD_DIR when set, else `../shared/data/oulad-2013` beside the
 * repository (CI lays a copy there too), else beside the local checkout this one was cloned from.
 * The first candidate when none exists, so the error names where the data was expected.
 */
function findOuladDir(): string {
  if (process.env.MS8_OULAD_DIR) return process.env.MS8_OULAD_DIR;
  const beside = join(dirname(repository.replace(/\/+$/, "")), RELATIVE);
  if (existsSync(beside)) return beside;
  const origin = localOrigin();
  const besideOrigin = origin && join(dirname(origin.replace(/\/+$/, "")), RELATIVE);
  return besideOrigin && existsSync(besideOrigin) ? besideOrigin : beside;
}

export const defaultOuladDir = findOuladDir();
