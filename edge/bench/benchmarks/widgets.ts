/**
 * 7. Widgets: gzip size of every bundle file against issue 6's budgets, and in headless Chromium the
 * time from an element's connection to its data painted, with the BFF warm on loopback.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { table } from "../lib/report.ts";
import { castFrom, getAnswer } from "../lib/scenario.ts";
import { startBff, startSimulator } from "../lib/stack.ts";
import { fmt, median, percentile } from "../lib/stats.ts";
import type { BenchContext, Benchmark, Goal } from "../lib/types.ts";
import { NotReady } from "../lib/types.ts";

const KB = 1024;
export const BUDGET_WIDGETS_KB = 25;
export const BUDGET_CHART_KB = 70;

const WIDGETS = [
  { tag: "ms8-velocity", path: (id: string) => `/api/v1/learners/${id}/velocity` },
  { tag: "ms8-dropoff-risk", path: (id: string) => `/api/v1/learners/${id}/dropoff-risk` },
  { tag: "ms8-badges", path: (id: string) => `/api/v1/learners/${id}/gamification` },
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** gzip -9 size of every .js file of widgets/dist, and the two budgeted totals. */
export function bundleSizes(dist: string) {
  const files = walk(dist)
    .filter((f) => f.endsWith(".js"))
    .sort()
    .map((path) => {
      const body = readFileSync(path);
      return {
        file: relative(dist, path),
        bytes: body.length,
        gzip: gzipSync(body, { level: 9 }).length,
        chart: /chart/i.test(path),
      };
    });
  const scriptTag = files.find((f) => f.file === "ms8-widgets.js");
  // The ES module graph of all three widgets without Chart.js: every module but the chart chunk
  // and the script-tag bundle (which repeats the same code in one file).
  const esm = files.filter((f) => !f.chart && f.file !== "ms8-widgets.js");
  const chart = files.filter((f) => f.chart);
  return {
    files,
    scriptTagGzip: scriptTag?.gzip ?? Number.NaN,
    esmGzip: esm.reduce((s, f) => s + f.gzip, 0),
    chartGzip: chart.reduce((s, f) => s + f.gzip, 0),
    scriptTagHasChart: scriptTag
      ? /new Chart\(|Chart\.register|registerables/.test(readFileSync(join(dist, scriptTag.file), "utf8"))
      : false,
  };
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript",
  ".html": "text/html",
  ".json": "application/json",
  ".map": "application/json",
};

/** The host page: served from its own loopback origin, the bundle by one script tag, as a stranger would. */
function startHostPage(dist: string): Promise<{ server: Server; origin: string }> {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ms8 bench host</title><script src="/ms8-widgets.js"></script></head><body></body></html>`;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(page);
      return;
    }
    const file = join(dist, path);
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

/** Runs in the page: connect one element, resolve after the frame showing its data is painted. */
const measureInPage = async ({
  tag,
  learnerId,
  apiBase,
  token,
}: {
  tag: string;
  learnerId: string;
  apiBase: string;
  token: string;
}) => {
  await customElements.whenDefined(tag);
  const el = document.createElement(tag) as HTMLElement & { updateComplete: Promise<unknown> };
  el.setAttribute("learner-id", learnerId);
  el.setAttribute("api-base", apiBase);
  el.setAttribute("token", token);
  const painted = new Promise<number>((resolve, reject) => {
    el.addEventListener(
      "ms8-data",
      async () => {
        await el.updateComplete;
        // rAF runs before the frame is painted; a task queued from it runs after that paint.
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
      },
      { once: true },
    );
    el.addEventListener("ms8-error", (e) => reject(new Error(JSON.stringify((e as CustomEvent).detail))), {
      once: true,
    });
  });
  const t0 = performance.now();
  document.body.append(el);
  const t1 = await painted;
  const text = el.shadowRoot?.textContent?.replace(/\s+/g, " ").trim() ?? "";
  // Where the time went: the API request's own span, from Resource Timing.
  const api = performance
    .getEntriesByType("resource")
    .filter((e) => e.name.startsWith(apiBase) && e.startTime >= t0)
    .map((e) => e as PerformanceResourceTiming);
  const first = api[0];
  const last = api.at(-1);
  return {
    ms: t1 - t0,
    textLength: text.length,
    requests: api.length,
    fetchStartMs: first ? first.startTime - t0 : Number.NaN,
    fetchEndMs: last ? last.responseEnd - t0 : Number.NaN,
  };
};

export const widgets: Benchmark = {
  name: "widgets",
  title: "7. Widgets: bundle sizes and time to data painted",
  budgetSec: 60,
  async run(ctx: BenchContext) {
    const dist = join(ctx.root, "widgets", "dist");
    if (!existsSync(join(dist, "ms8-widgets.js")))
      throw new NotReady("widgets/dist/ms8-widgets.js is not built (pnpm --dir widgets build)");
    const sizes = bundleSizes(dist);
    const goals: Goal[] = [
      {
        label: "three widgets without Chart.js, script-tag bundle (gzip -9)",
        target: `≤ ${BUDGET_WIDGETS_KB} KB`,
        figure: `${fmt(sizes.scriptTagGzip / KB, 1)} KB`,
        met: sizes.scriptTagGzip <= BUDGET_WIDGETS_KB * KB && !sizes.scriptTagHasChart,
      },
      {
        label: "three widgets without Chart.js, ES modules (gzip -9, summed)",
        target: `≤ ${BUDGET_WIDGETS_KB} KB`,
        figure: `${fmt(sizes.esmGzip / KB, 1)} KB`,
        met: sizes.esmGzip <= BUDGET_WIDGETS_KB * KB,
      },
      {
        label: "chart chunk (gzip -9)",
        target: `≤ ${BUDGET_CHART_KB} KB`,
        figure: `${fmt(sizes.chartGzip / KB, 1)} KB`,
        met: sizes.chartGzip > 0 && sizes.chartGzip <= BUDGET_CHART_KB * KB,
      },
    ];

    // Time to data painted.
    const host = await startHostPage(dist);
    const simulator = await startSimulator(ctx);
    const bff = await startBff(ctx, { upstreamEnv: simulator.env, env: { CORS_ORIGINS: host.origin } });
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    const timings: Record<string, number[]> = {};
    const phases: Record<string, { fetchStartMs: number; fetchEndMs: number; ms: number; requests: number }[]> = {};
    const notes: string[] = [];
    let timingError: string | null = null;
    try {
      const cast = await castFrom(simulator);
      const learnerId = cast.learnerIds[0]!;
      const token = cast.adminAuth.authorization.slice("Bearer ".length);
      for (const w of WIDGETS) {
        const warm = await getAnswer(`${bff.url}${w.path(learnerId)}`, cast.adminAuth);
        if (warm.status !== 200) notes.push(`warm-up of ${w.path(learnerId)} answered ${warm.status}`);
        await getAnswer(`${bff.url}${w.path(learnerId)}`, cast.adminAuth);
      }
      const n = ctx.quick ? 5 : 15;
      const context = await browser.newContext();
      for (let i = 0; i < n + 1; i++) {
        for (const w of WIDGETS) {
          // A fresh page each time: the bundle is loaded and defined, then one element connects.
          const page = await context.newPage();
          await page.goto(`${host.origin}/`);
          const result = await page.evaluate(measureInPage, { tag: w.tag, learnerId, apiBase: bff.url, token });
          await page.close();
          if (i === 0) continue; // the first of each is the browser's own warm-up
          if (result.textLength === 0) notes.push(`${w.tag}: painted an empty shadow root`);
          timings[w.tag] = [...(timings[w.tag] ?? []), result.ms];
          phases[w.tag] = [...(phases[w.tag] ?? []), result];
        }
      }
      await context.close();
    } catch (error) {
      // Keep the sizes: report the timing as not measured, with the reason.
      timingError = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    } finally {
      await browser.close();
      host.server.close();
      await Promise.all([bff.stop(), simulator.program.stop()]);
    }
    for (const w of WIDGETS) {
      const med = median(timings[w.tag] ?? []);
      const ph = phases[w.tag] ?? [];
      goals.push({
        label: `<${w.tag}> connection → data painted, median`,
        target: "< 150 ms",
        figure: timingError ? "not measured" : `${fmt(med, 1)} ms`,
        met: !timingError && med < 150,
        reason:
          timingError ??
          `median phases: API request sent at ${fmt(median(ph.map((p) => p.fetchStartMs)), 1)} ms, answered at ${fmt(median(ph.map((p) => p.fetchEndMs)), 1)} ms, data painted at ${fmt(med, 1)} ms after connection`,
      });
    }
    const markdown = [
      `Sizes: every \`.js\` file of \`widgets/dist\` compressed with gzip level 9 (node:zlib), KB = 1024 bytes. The script-tag bundle \`ms8-widgets.js\` holds all three widgets; the ES-module total sums every module except the chart chunk and the script-tag bundle. ${sizes.scriptTagHasChart ? "**The script-tag bundle contains Chart.js code.**" : "The script-tag bundle contains no Chart.js code (it loads the chart chunk lazily)."}`,
      "",
      table(
        ["File", "bytes", "gzip bytes", "gzip KB"],
        sizes.files.map((f) => [`\`${f.file}\``, fmt(f.bytes), fmt(f.gzip), fmt(f.gzip / KB, 1)]),
      ),
      "",
      `Time to data painted: headless Chromium (/usr/bin/chromium through playwright-core), a host page on its own loopback origin loading \`ms8-widgets.js\` with one script tag, the BFF on Node warm (each resource fetched twice beforehand, so the server answers from its cache). Per sample a fresh page; after the bundle is defined, the time from \`document.body.append(element)\` to the first task after the frame painted following \`ms8-data\` and \`updateComplete\` (the data is on screen). The org admin's token is given by the \`token\` attribute. One unmeasured warm-up round first.`,
      "",
      table(
        [
          "Widget",
          "samples",
          "median ms",
          "p95 ms",
          "min ms",
          "max ms",
          "API request sent → answered (median ms)",
          "API requests per element",
        ],
        WIDGETS.map((w) => {
          const t = timings[w.tag] ?? [];
          return [
            `\`<${w.tag}>\``,
            t.length,
            fmt(median(t), 1),
            fmt(percentile(t, 95), 1),
            fmt(Math.min(...t), 1),
            fmt(Math.max(...t), 1),
            `${fmt(median((phases[w.tag] ?? []).map((p) => p.fetchStartMs)), 1)} → ${fmt(median((phases[w.tag] ?? []).map((p) => p.fetchEndMs)), 1)}`,
            fmt(median((phases[w.tag] ?? []).map((p) => p.requests)), 0),
          ];
        }),
      ),
      "",
      timingError ? `**Time to data painted not measured**: ${timingError}` : "",
      notes.length ? `Notes: ${notes.join("; ")}.` : "",
    ].join("\n");
    return { goals, markdown, raw: { sizes, timings, phases } };
  },
};
