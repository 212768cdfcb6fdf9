#!/usr/bin/env node
// Size benchmark of the built widgets (run `pnpm --dir widgets build` first): gzip size of every
// file in dist/ and two budgets from issue 7. Prints a table; exits 1 when a budget is missed.
//   - the three widgets without Chart.js <= 25 KB gzip: `ms8-widgets.js` (script tag), and the ES
//     build's `define.js` with every chunk it imports statically (the chart is only imported lazily);
//   - the chart chunk `ms8-chart.js` <= 70 KB gzip.
// `--json <file>` also writes the figures as JSON (for `pnpm bench`).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const KB = 1024;
const dist = new URL("../dist/", import.meta.url).pathname;
if (!existsSync(join(dist, "ms8-widgets.js"))) {
  console.error("widgets/dist is missing: run `pnpm --dir widgets build` first");
  process.exit(2);
}

const walk = (dir) =>
  readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)],
  );
const gzipSize = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** Files a module pulls in before it runs: static `import ... from "./x.js"` and `import "./x.js"`, transitively. */
function staticClosure(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, "utf8");
    for (const [, spec] of code.matchAll(
      /(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.{1,2}\/[^"']+)["']/g,
    )) {
      visit(join(dirname(file), spec));
    }
  };
  visit(entry);
  return [...seen];
}

const files = walk(dist)
  .filter((file) => file.endsWith(".js"))
  .map((file) => ({ name: relative(dist, file), bytes: statSync(file).size, gzip: gzipSize(file) }));

const esClosure = staticClosure(join(dist, "define.js"));
const esWidgets = esClosure.reduce((sum, file) => sum + gzipSize(file), 0);
const budgets = [
  {
    name: "ms8-widgets.js (3 widgets, script tag, no Chart.js)",
    gzip: gzipSize(join(dist, "ms8-widgets.js")),
    limit: 25 * KB,
  },
  {
    name: `define.js + ${esClosure.length - 1} static chunks (3 widgets, ES, no Chart.js)`,
    gzip: esWidgets,
    limit: 25 * KB,
    chartFree: !esClosure.some((file) => file.endsWith("ms8-chart.js")),
  },
  { name: "ms8-chart.js (Chart.js line chart, lazy)", gzip: gzipSize(join(dist, "ms8-chart.js")), limit: 70 * KB },
];

const kb = (n) => `${(n / KB).toFixed(1)} KB`;
console.log("file".padEnd(44), "raw".padStart(10), "gzip".padStart(10));
for (const f of files.sort((a, b) => b.gzip - a.gzip))
  console.log(f.name.padEnd(44), kb(f.bytes).padStart(10), kb(f.gzip).padStart(10));
console.log(`\n${"budget".padEnd(62)} ${"gzip".padStart(9)} ${"limit".padStart(9)}  result`);
let missed = 0;
for (const b of budgets) {
  const ok = b.gzip <= b.limit && b.chartFree !== false;
  if (!ok) missed += 1;
  console.log(`${b.name.padEnd(62)} ${kb(b.gzip).padStart(9)} ${kb(b.limit).padStart(9)}  ${ok ? "ok" : "MISSED"}`);
}

const jsonAt = process.argv.indexOf("--json");
if (jsonAt > 0 && process.argv[jsonAt + 1]) {
  writeFileSync(process.argv[jsonAt + 1], `${JSON.stringify({ files, budgets, missed }, null, 2)}\n`);
}
process.exit(missed === 0 ? 0 : 1);
