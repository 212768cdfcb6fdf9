/**
 * The weekly pace line chart: the only module that touches Chart.js, loaded on demand and
 * registering just the pieces a line chart with a target line needs (tree-shaking drops the rest).
 * Chart.js draws on a canvas and styles it through the CSSOM only, so strict CSPs do not block it.
 */
import {
  CategoryScale,
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Tooltip);

export interface PaceChartColors {
  pace: string;
  target: string;
  grid: string;
  text: string;
  font: string;
}

export interface PaceChartInput {
  labels: string[];
  units: number[];
  targets: number[];
  paceLabel: string;
  targetLabel: string;
  colors: PaceChartColors;
  locale: string;
  rtl: boolean;
  reducedMotion: boolean;
}

export type PaceChart = Chart<"line", number[], string>;

export function createPaceChart(canvas: HTMLCanvasElement, input: PaceChartInput): PaceChart {
  return new Chart(canvas, {
    type: "line",
    data: datasets(input),
    options: options(input),
  });
}

export function updatePaceChart(chart: PaceChart, input: PaceChartInput): void {
  chart.data = datasets(input);
  chart.options = options(input);
  chart.update(input.reducedMotion ? "none" : undefined);
}

function datasets(input: PaceChartInput) {
  return {
    labels: input.labels,
    datasets: [
      {
        label: input.paceLabel,
        data: input.units,
        borderColor: input.colors.pace,
        backgroundColor: input.colors.pace,
        pointRadius: 3,
        borderWidth: 2,
        // Monotone interpolation never overshoots: a curve below a real 0 or above the peak would lie.
        cubicInterpolationMode: "monotone" as const,
      },
      {
        label: input.targetLabel,
        data: input.targets,
        borderColor: input.colors.target,
        backgroundColor: input.colors.target,
        borderDash: [6, 4],
        pointRadius: 0,
        borderWidth: 2,
      },
    ],
  };
}

function options(input: PaceChartInput) {
  const font = { family: input.colors.font };
  return {
    responsive: true,
    maintainAspectRatio: false,
    locale: input.locale,
    animation: input.reducedMotion ? (false as const) : { duration: 400 },
    interaction: { mode: "index" as const, intersect: false },
    // Room for the outermost date label, which Chart.js would otherwise clip at the edge.
    layout: { padding: { left: 12, right: 12 } },
    plugins: {
      legend: { display: false },
      tooltip: { rtl: input.rtl, bodyFont: font, titleFont: font },
    },
    scales: {
      x: {
        reverse: input.rtl,
        grid: { display: false },
        ticks: { color: input.colors.text, font, maxRotation: 0, autoSkipPadding: 12 },
      },
      y: {
        beginAtZero: true,
        position: input.rtl ? ("right" as const) : ("left" as const),
        grid: { color: input.colors.grid },
        ticks: { color: input.colors.text, font, precision: 0 },
      },
    },
  };
}
