/**
 * Script-tag build of the chart loader: a classic script cannot split chunks, so it imports the
 * ES module `ms8-chart.js` published beside `ms8-widgets.js` (dynamic import works in classic
 * scripts and needs no eval, so strict CSPs allow it).
 */
import type { PaceChartModule } from "./chart-loader.ts";

// Read while the script is being evaluated; later `currentScript` is null.
const scriptUrl =
  (document.currentScript as HTMLScriptElement | null)?.src ||
  document.querySelector<HTMLScriptElement>('script[src*="ms8-widgets"]')?.src ||
  document.baseURI;

export const loadPaceChart = (): Promise<PaceChartModule> =>
  import(/* @vite-ignore */ new URL("ms8-chart.js", scriptUrl).href) as Promise<PaceChartModule>;
