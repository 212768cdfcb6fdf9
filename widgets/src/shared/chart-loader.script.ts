/**
 * Script-tag build of the chart loader: a classic script cannot split chunks, so it imports the
 * ES module `ms8-chart.js` published beside `ms8-widgets.js` (dynamic import works in classic
 * scripts and needs no eval, so strict CSPs allow it).
 */
import type { PaceChartModule } from "./chart-loader.ts";
import { besideTheScript } from "./script-url.ts";

export const loadPaceChart = (): Promise<PaceChartModule> =>
  import(/* @vite-ignore */ besideTheScript("ms8-chart.js")) as Promise<PaceChartModule>;
