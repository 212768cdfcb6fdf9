import type { Meta, Velocity } from "@ms8/edge/contract";
import { html, type PropertyValues, svg, type TemplateResult } from "lit";
import type { Messages } from "../i18n/index.ts";
import { baseStyles } from "../shared/base.styles.ts";
import { Ms8Element } from "../shared/base-element.ts";
import { loadPaceChart } from "../shared/chart-loader.ts";
import type { LocaleFormat } from "../shared/format.ts";
import type { PaceChart, PaceChartInput } from "./pace-chart.ts";
import { velocityStyles } from "./velocity.styles.ts";

const trendArrows = {
  up: svg`<path d="M12 4 4 14h5v6h6v-6h5z" />`,
  down: svg`<path d="M12 20 4 10h5V4h6v6h5z" />`,
  flat: svg`<path d="M20 12 10 4v5H4v6h6v5z" />`,
};

/**
 * A learner's pace: current against target, the trend, status, estimated completion and a weekly
 * pace chart with the target line (and the same numbers as a table for screen readers).
 *
 * @summary Learning pace of one learner, current versus target, with a weekly chart.
 * @tag ms8-velocity
 *
 * @attr {string} learner-id - The learner whose pace is shown.
 * @attr {string} api-base - Base URL of the MS8 BFF; defaults to `MS8.configure({apiBase})`.
 * @attr {string} token - An embed token for this element only. Read once and removed from the DOM;
 *   prefer `MS8.configure({getToken})`, which can hand out a fresh token after a 401.
 * @attr {string} lang - Locale for text, numbers and dates (`en`, `de`, `ar`; others fall back to English text).
 * @attr {"light" | "dark" | "auto"} theme - Colour scheme; `auto` follows `prefers-color-scheme`.
 * @attr {number} refresh-interval - Seconds between automatic refreshes (0: never).
 *
 * @event {CustomEvent<{data: Velocity, meta: Meta}>} ms8-data - Data arrived (first load and every refresh). Bubbles, composed.
 * @event {CustomEvent<{status: number, title?: string, detail: string}>} ms8-error - Loading failed. Bubbles, composed.
 *
 * @csspart card - The outer card.
 * @csspart heading - The widget title.
 * @csspart metric - Each of the current and target pace figures.
 * @csspart trend - Trend arrow and percentage.
 * @csspart status - The pace status (ahead, on track, behind, at risk).
 * @csspart completion - Estimated completion date.
 * @csspart chart - The sized wrapper around the chart canvas.
 * @csspart chart-table - The chart's data as a table (a disclosure).
 * @csspart skeleton - The loading placeholder.
 * @csspart empty - The message shown before the first enrolment.
 * @csspart error - The error message with its retry button.
 * @csspart error-detail - The human-readable reason of an error.
 * @csspart retry-button - The retry button.
 * @csspart not-allowed - The message for 401, 403 and 404.
 * @csspart freshness - "Sample data" or "Updated 3 h ago" when the data is not live.
 *
 * @cssproperty --ms8-font-family - Font; defaults to the host page's font.
 * @cssproperty --ms8-font-size - Base font size (default 1rem).
 * @cssproperty --ms8-surface - Card background.
 * @cssproperty --ms8-surface-raised - Background of inner panels.
 * @cssproperty --ms8-text - Main text colour.
 * @cssproperty --ms8-text-muted - Secondary text colour.
 * @cssproperty --ms8-border - Borders and grid lines.
 * @cssproperty --ms8-accent - Accent: the pace line, buttons, focus ring.
 * @cssproperty --ms8-accent-text - Text on the accent colour.
 * @cssproperty --ms8-target - The target line.
 * @cssproperty --ms8-good - Status colour for ahead / on track.
 * @cssproperty --ms8-warn - Status colour for behind.
 * @cssproperty --ms8-bad - Status colour for at risk.
 * @cssproperty --ms8-skeleton - Loading placeholder colour.
 * @cssproperty --ms8-radius - Corner radius of the card.
 * @cssproperty --ms8-gap - Spacing unit.
 * @cssproperty --ms8-chart-height - Height of the chart area (default 160px).
 */
export class Ms8Velocity extends Ms8Element<Velocity> {
  static override styles = [baseStyles, velocityStyles];

  #chart: PaceChart | undefined;
  #chartCanvas: HTMLCanvasElement | undefined;
  #chartInput: PaceChartInput | undefined;
  #chartGeneration = 0;
  #schemeQuery = globalThis.matchMedia?.("(prefers-color-scheme: dark)");
  readonly #onSchemeChange = () => this.requestUpdate();

  protected resourcePath(learnerId: string): string {
    return `/api/v1/learners/${encodeURIComponent(learnerId)}/velocity`;
  }

  protected isEmpty(data: Velocity): boolean {
    return data.unitsTotal === 0;
  }

  protected heading(t: Messages): string {
    return t.velocity.title;
  }

  protected emptyMessage(t: Messages): string {
    return t.velocity.empty;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#schemeQuery?.addEventListener("change", this.#onSchemeChange);
    // The chart was destroyed on removal; draw it again if the element comes back.
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#schemeQuery?.removeEventListener("change", this.#onSchemeChange);
    this.#destroyChart();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    void this.#syncChart();
  }

  /** The Chart.js instance, once drawn (for tests and hosts that want to export the chart). */
  get chart(): PaceChart | undefined {
    return this.#chart;
  }

  /** Creates the chart when a canvas appears, updates it when data or theme change, destroys it when the canvas goes. */
  async #syncChart(): Promise<void> {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>("canvas");
    if (canvas !== this.#chartCanvas) this.#destroyChart();
    if (!canvas || !this.#chartInput || !this.isConnected) return;
    const input = { ...this.#chartInput, colors: this.#chartColors() };
    if (this.#chart) {
      const chartModule = await loadPaceChart();
      if (this.#chart) chartModule.updatePaceChart(this.#chart, input);
      return;
    }
    this.#chartCanvas = canvas;
    const generation = ++this.#chartGeneration;
    const { createPaceChart } = await loadPaceChart();
    // Removed or re-rendered while the chart code was loading: do not draw on a stale canvas.
    if (generation !== this.#chartGeneration || !canvas.isConnected) return;
    this.#chart = createPaceChart(canvas, input);
  }

  #destroyChart(): void {
    this.#chartGeneration += 1;
    this.#chart?.destroy();
    this.#chart = undefined;
    this.#chartCanvas = undefined;
  }

  #chartColors() {
    const style = getComputedStyle(this);
    const read = (name: string) => style.getPropertyValue(name).trim();
    return {
      pace: read("--_ms8-accent"),
      target: read("--_ms8-target"),
      grid: read("--_ms8-border"),
      text: read("--_ms8-text-muted"),
      font: style.fontFamily,
    };
  }

  protected renderData(data: Velocity, _meta: Meta, format: LocaleFormat, t: Messages): TemplateResult {
    const v = t.velocity;
    const labels = data.weekly.map((week) => format.date(week.weekStart, "short"));
    this.#chartInput = {
      // The axis gets day and month only: a full numeric date ("2026/11/23") is clipped at the
      // chart's edge, worst in right-to-left text; the table below keeps the full dates.
      labels: data.weekly.map((week) => format.dayMonth(week.weekStart)),
      units: data.weekly.map((week) => week.units),
      targets: data.weekly.map((week) => week.targetUnits),
      paceLabel: v.unitsCompleted,
      targetLabel: v.target,
      colors: { pace: "", target: "", grid: "", text: "", font: "" },
      locale: format.locale,
      rtl: t.dir === "rtl",
      reducedMotion: globalThis.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false,
    };
    const last = data.weekly.at(-1);
    const summary = last
      ? v.chartSummary(format.number(data.weekly.length, 0), format.number(last.units), format.number(last.targetUnits))
      : v.chartLabel;
    // null: units again after two weeks with none, where a percentage would mean nothing.
    const trendText =
      data.trendPercentage === null
        ? v.trendFromNone
        : v.trendVsEarlier(data.trendDirection, format.percent(Math.abs(data.trendPercentage) / 100));
    return html`
      <div class="metrics">
        <div class="metric" part="metric current-pace">
          <span class="metric-label">${v.currentPace}</span>
          <span class="metric-value">${format.number(data.currentPace)}</span>
          <span class="metric-unit">${v.perWeek}</span>
        </div>
        <div class="metric" part="metric target-pace">
          <span class="metric-label">${v.targetPace}</span>
          <span class="metric-value">${format.number(data.targetPace)}</span>
          <span class="metric-unit">${v.perWeek}</span>
        </div>
      </div>
      <div class="row">
        <p class="status" part="status" data-status=${data.status}>
          <svg class="dot" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="5" /></svg>
          ${v.status[data.status]}
        </p>
        <p class="trend" part="trend" data-trend=${data.trendDirection}>
          <svg class="arrow" viewBox="0 0 24 24" aria-hidden="true">${trendArrows[data.trendDirection]}</svg>
          <span>${trendText}</span>
        </p>
      </div>
      <p class="completion" part="completion">
        <span class="muted">${v.estimatedCompletion}:</span>
        ${data.estimatedCompletion ? format.date(data.estimatedCompletion) : v.noEstimate}
        <span class="muted">· ${v.progress(format.number(data.unitsCompleted, 0), format.number(data.unitsTotal, 0))}</span>
      </p>
      <div class="legend" aria-hidden="true">
        <span><svg viewBox="0 0 20 4"><line class="pace-line" x1="0" y1="2" x2="20" y2="2" /></svg>${v.unitsCompleted}</span>
        <span><svg viewBox="0 0 20 4"><line class="target-line" x1="0" y1="2" x2="20" y2="2" /></svg>${v.target}</span>
      </div>
      <div class="chart" part="chart">
        <canvas role="img" aria-label=${`${v.chartLabel}. ${summary}`}></canvas>
      </div>
      <details part="chart-table">
        <summary>${t.common.showTable}</summary>
        <table>
          <caption class="visually-hidden">${v.chartLabel}</caption>
          <thead>
            <tr><th scope="col">${v.week}</th><th scope="col">${v.units}</th><th scope="col">${v.target}</th></tr>
          </thead>
          <tbody>
            ${data.weekly.map(
              (week, i) =>
                html`<tr><th scope="row">${labels[i]}</th><td>${format.number(week.units)}</td><td>${format.number(week.targetUnits)}</td></tr>`,
            )}
          </tbody>
        </table>
      </details>
    `;
  }

  protected renderSkeleton(): TemplateResult {
    return html`<div class="metrics">
        <span class="bone metric-bone"></span><span class="bone metric-bone"></span>
      </div>
      <span class="bone line-bone wide"></span>
      <span class="bone line-bone"></span>
      <span class="bone legend-bone"></span>
      <span class="bone chart chart-bone"></span>
      <span class="bone summary-bone"></span>`;
  }
}
