/**
 * Reads a V8 CPU profile (`node --cpu-prof`) into the hot spots a report can show: self time by
 * function and by file, as shares of all samples.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  name: string;
  share: number;
  ms: number;
}

function shortUrl(url: string, root: string): string {
  if (!url) return "(native)";
  const path = url.replace(/^file:\/\//, "");
  const inModules = path.lastIndexOf("node_modules/");
  if (inModules >= 0) {
    const rest = path.slice(inModules + "node_modules/".length);
    return rest;
  }
  return path.startsWith(root) ? path.slice(root.length + 1) : path;
}

export function hotSpots(profile: CpuProfile, root: string, top = 15) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return `${functionName || "(anonymous)"} ${shortUrl(url, root)}${url ? `:${lineNumber + 1}` : ""}`;
  };
  // Inclusive (total) time of the application's own functions: where native work is paid for.
  const totalByOwnFunction = new Map<string, number>();
  // Native self time (crypto, socket writes, ...) charged to the JavaScript that called it.
  const nativeByCaller = new Map<string, number>();
  const PSEUDO = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);
  const selfByFunction = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = shortUrl(url, root);
    const fn = `${functionName || "(anonymous)"} ${file}${url ? `:${lineNumber + 1}` : ""}`;
    selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + dt);
    if (!url && !PSEUDO.has(functionName)) {
      // The nearest JavaScript caller, then the nearest two outside Node's own internals (the
      // library or application code that asked for the work).
      const chain: string[] = [];
      let outside = 0;
      for (let at = parentOf.get(id); at !== undefined && outside < 2; at = parentOf.get(at)) {
        const frame = byId.get(at);
        const frameUrl = frame?.callFrame.url ?? "";
        if (!frameUrl) continue;
        const internal = frameUrl.startsWith("node:");
        if (chain.length === 0 || !internal) chain.push(label(frame!));
        if (!internal) outside++;
      }
      const key = [functionName || "(native)", ...chain].join(" ← ");
      nativeByCaller.set(key, (nativeByCaller.get(key) ?? 0) + dt);
    }
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at);
      if (!frame?.callFrame.url.includes("/edge/src/")) continue;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      totalByOwnFunction.set(key, (totalByOwnFunction.get(key) ?? 0) + dt);
    }
    // Group node_modules by package, our own code by file.
    const group = url.includes("node_modules/")
      ? file
          .split("/")
          .slice(0, file.startsWith("@") ? 2 : 1)
          .join("/")
      : file;
    selfByFile.set(group, (selfByFile.get(group) ?? 0) + dt);
  });
  const rank = (map: Map<string, number>): HotSpot[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, share: us / total, ms: us / 1000 }));
  return {
    totalMs: total / 1000,
    functions: rank(selfByFunction),
    files: rank(selfByFile),
    ownInclusive: rank(totalByOwnFunction),
    nativeByCaller: rank(nativeByCaller).slice(0, 8),
  };
}

export function readProfiles(dir: string): CpuProfile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as CpuProfile);
}
