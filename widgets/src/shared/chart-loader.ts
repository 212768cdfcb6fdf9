/**
 * How a widget reaches the chart code. In the ES module build this is an ordinary dynamic import,
 * which the bundler turns into the separate chart chunk; the script-tag build swaps in
 * `chart-loader.script.ts`, which imports the same chunk from next to the script file.
 */
export type PaceChartModule = typeof import("../ms8-velocity/pace-chart.ts");

export const loadPaceChart = (): Promise<PaceChartModule> => import("../ms8-velocity/pace-chart.ts");
