import type { DropoffRisk, Meta, RiskLevel } from "@ms8/edge/contract";
import { html, nothing, svg, type TemplateResult } from "lit";
import type { Messages } from "../i18n/index.ts";
import { serverText } from "../i18n/server-texts.ts";
import { baseStyles } from "../shared/base.styles.ts";
import { Ms8Element } from "../shared/base-element.ts";
import type { LocaleFormat } from "../shared/format.ts";
import { dropoffRiskStyles } from "./dropoff-risk.styles.ts";

// Each level has its own shape as well as its own colour, so colour is never the only signal.
const levelIcons: Record<RiskLevel, TemplateResult> = {
  low: svg`<path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm-1.2 14.2-4-4 1.4-1.4 2.6 2.6 5.6-5.6 1.4 1.4Z" />`,
  medium: svg`<path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2Zm0-4h-2V7h2Z" />`,
  high: svg`<path d="M12 2 1 21h22Zm1 16h-2v-2h2Zm0-4h-2v-4h2Z" />`,
  critical: svg`<path d="M7.9 2 2 7.9v8.2L7.9 22h8.2l5.9-5.9V7.9L16.1 2Zm7.5 5.2 1.4 1.4-3.4 3.4 3.4 3.4-1.4 1.4-3.4-3.4-3.4 3.4-1.4-1.4 3.4-3.4-3.4-3.4 1.4-1.4 3.4 3.4Z" />`,
};

/**
 * How likely a learner is to drop out: the level as colour, icon and words, a score gauge, the
 * factors behind the score with their weights and reasons, and recommended next steps.
 *
 * @summary Drop-off risk of one learner with its reasons and next steps.
 * @tag ms8-dropoff-risk
 *
 * @attr {string} learner-id - The learner whose risk is shown.
 * @attr {string} api-base - Base URL of the MS8 BFF; defaults to `MS8.configure({apiBase})`.
 * @attr {string} token - An embed token for this element only. Read once and removed from the DOM.
 * @attr {string} lang - Locale for text, numbers and dates (`en`, `de`, `ar`).
 * @attr {"light" | "dark" | "auto"} theme - Colour scheme; `auto` follows `prefers-color-scheme`.
 * @attr {number} refresh-interval - Seconds between automatic refreshes (0: never).
 *
 * @event {CustomEvent<{data: DropoffRisk, meta: Meta}>} ms8-data - Data arrived. Bubbles, composed.
 * @event {CustomEvent<{status: number, title?: string, detail: string}>} ms8-error - Loading failed. Bubbles, composed.
 *
 * @csspart card - The outer card.
 * @csspart heading - The widget title.
 * @csspart level - The risk level: icon and words, coloured by level.
 * @csspart gauge - The score gauge.
 * @csspart factors - The list of factors.
 * @csspart factor - One factor with its weight bar and reason.
 * @csspart factor-bar - The weight bar of a factor.
 * @csspart actions - The recommended next steps.
 * @csspart skeleton - The loading placeholder.
 * @csspart empty - The message shown before the first enrolment.
 * @csspart error - The error message with its retry button.
 * @csspart error-detail - The human-readable reason of an error.
 * @csspart retry-button - The retry button.
 * @csspart not-allowed - The message for 401, 403 and 404.
 * @csspart freshness - "Sample data" or "Updated 3 h ago" when the data is not live.
 *
 * @cssproperty --ms8-font-family - Font; defaults to the host page's font.
 * @cssproperty --ms8-surface - Card background.
 * @cssproperty --ms8-surface-raised - Background of inner panels.
 * @cssproperty --ms8-text - Main text colour.
 * @cssproperty --ms8-text-muted - Secondary text colour.
 * @cssproperty --ms8-border - Borders.
 * @cssproperty --ms8-accent - Accent: factor bars, buttons, focus ring.
 * @cssproperty --ms8-track - Unfilled part of the gauge and the bars.
 * @cssproperty --ms8-good - Colour of low risk.
 * @cssproperty --ms8-warn - Colour of medium risk.
 * @cssproperty --ms8-bad - Colour of high risk.
 * @cssproperty --ms8-critical - Colour of critical risk.
 * @cssproperty --ms8-radius - Corner radius of the card.
 * @cssproperty --ms8-gap - Spacing unit.
 */
export class Ms8DropoffRisk extends Ms8Element<DropoffRisk> {
  static override styles = [baseStyles, dropoffRiskStyles];
  protected override readonly wordsServerTexts = true;

  protected resourcePath(learnerId: string): string {
    return `/api/v1/learners/${encodeURIComponent(learnerId)}/dropoff-risk`;
  }

  protected isEmpty(data: DropoffRisk): boolean {
    // With no enrolment there is no signal to weigh, so no factor either.
    return data.factors.length === 0;
  }

  protected heading(t: Messages): string {
    return t.risk.title;
  }

  protected emptyMessage(t: Messages): string {
    return t.risk.empty;
  }

  protected renderData(data: DropoffRisk, meta: Meta, format: LocaleFormat, t: Messages): TemplateResult {
    const r = t.risk;
    const score = format.percent(data.riskScore);
    const filled = Math.round(data.riskScore * 1000) / 10;
    return html`
      <div class="summary">
        <svg class="gauge" part="gauge" viewBox="0 0 100 56" role="img" aria-label=${r.scoreOf(score)}>
          <path class="gauge-track" d="M8 50 A42 42 0 0 1 92 50" pathLength="100" />
          <path class="gauge-fill" data-level=${data.riskLevel} d="M8 50 A42 42 0 0 1 92 50" pathLength="100"
            stroke-dasharray=${`${filled} 100`} />
          <text class="gauge-value" x="50" y="48" text-anchor="middle" aria-hidden="true">${score}</text>
        </svg>
        <div class="level-box">
          <p class="level" part="level" data-level=${data.riskLevel}>
            <svg class="level-icon" viewBox="0 0 24 24" aria-hidden="true">${levelIcons[data.riskLevel]}</svg>
            <span>${r.level[data.riskLevel]}</span>
          </p>
          <p class="muted score-label">${r.scoreOf(score)}</p>
          ${
            data.typicalRiskScore === undefined
              ? nothing
              : html`<p class="muted score-label" part="typical">${r.typical(format.percent(data.typicalRiskScore))}</p>`
          }
        </div>
      </div>
      <h3 class="subheading">${r.factors}</h3>
      <ul class="factors" part="factors">
        ${data.factors.map(
          (factor) => html`<li class="factor" part="factor">
            <div class="factor-head">
              <span class="factor-name" data-factor=${factor.name} dir="auto">${r.factorNames[factor.name] ?? factor.label ?? factor.name}</span>
              <span class="muted">${r.share(format.percent(factor.weight), factor.effect ?? "raises")}</span>
            </div>
            <svg class="factor-bar" part="factor-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
              <rect class="bar-track" x="0" y="0" width="100" height="6" rx="3" />
              <rect class="bar-fill" x="0" y="0" width=${Math.max(1, factor.weight * 100)} height="6" rx="3" />
            </svg>
            <!-- Server text: worded in the widget's language when its catalogue knows the message, else the
                 BFF's English, for which dir="auto" keeps the punctuation in place inside a right-to-left card. -->
            <span class="factor-reason" dir="auto">${serverText(factor.reason, factor.reasonMessage, format)}</span>
          </li>`,
        )}
      </ul>
      <h3 class="subheading">${r.actions}</h3>
      <div class="actions" part="actions">${this.#actions(data, meta, r, format)}</div>
      ${
        data.missingSignals.length
          ? html`<p class="muted missing" dir="auto">${r.missing(
              new Intl.ListFormat(format.locale).format(
                data.missingSignals.map((text, i) => serverText(text, data.missingSignalMessages?.[i], format)),
              ),
            )}</p>`
          : null
      }
    `;
  }

  /**
   * Whose next steps to show, by the BFF's `meta.audience`: learners reading their own risk get
   * theirs only ("For you"; the trainer's steps talk about them in the third person), a trainer
   * gets the trainer's first, then the learner's. A BFF that does not say shows both, learner first.
   */
  #actions(data: DropoffRisk, meta: Meta, r: Messages["risk"], format: LocaleFormat) {
    // Each step in the widget's language when its message is known, else the BFF's English.
    const worded = (who: "learner" | "trainer") =>
      data.recommendedActions[who].map((text, i) =>
        serverText(text, data.recommendedActionMessages?.[who]?.[i], format),
      );
    const learner = worded("learner");
    const trainer = worded("trainer");
    const audience = (meta as Meta & { audience?: "learner" | "trainer" }).audience;
    if (audience === "learner") return this.#actionList(r.forYou, learner);
    if (audience === "trainer")
      return [this.#actionList(r.forTrainer, trainer), this.#actionList(r.forLearner, learner)];
    return [this.#actionList(r.forLearner, learner), this.#actionList(r.forTrainer, trainer)];
  }

  #actionList(label: string, actions: string[]) {
    if (actions.length === 0) return null;
    return html`<div class="action-group">
      <p class="action-label">${label}</p>
      <ul>
        ${actions.map((action) => html`<li dir="auto">${action}</li>`)}
      </ul>
    </div>`;
  }

  protected renderSkeleton(): TemplateResult {
    return html`<div class="summary"><span class="bone gauge-bone"></span><span class="bone level-bone"></span></div>
      <span class="bone sub-bone"></span>
      <span class="bone factor-bone"></span><span class="bone factor-bone"></span><span class="bone factor-bone"></span>
      <span class="bone sub-bone"></span>
      <span class="bone actions-bone"></span>`;
  }
}
