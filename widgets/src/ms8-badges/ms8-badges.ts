import type { Gamification, Meta } from "@ms8/edge/contract";
import { html, type TemplateResult } from "lit";
import type { Messages } from "../i18n/index.ts";
import { badgeTexts, levelName } from "../i18n/server-texts.ts";
import { baseStyles } from "../shared/base.styles.ts";
import { Ms8Element } from "../shared/base-element.ts";
import type { LocaleFormat } from "../shared/format.ts";
import { badgesStyles } from "./badges.styles.ts";

/**
 * A learner's points, level and progress to the next, current and longest streak, and the badges
 * earned and still locked, each with how to earn it.
 *
 * @summary Points, level, streaks and badges of one learner.
 * @tag ms8-badges
 *
 * @attr {string} learner-id - The learner whose achievements are shown.
 * @attr {string} api-base - Base URL of the MS8 BFF; defaults to `MS8.configure({apiBase})`.
 * @attr {string} token - An embed token for this element only. Read once and removed from the DOM.
 * @attr {string} lang - Locale for text, numbers and dates (`en`, `de`, `ar`).
 * @attr {"light" | "dark" | "auto"} theme - Colour scheme; `auto` follows `prefers-color-scheme`.
 * @attr {number} refresh-interval - Seconds between automatic refreshes (0: never).
 *
 * @event {CustomEvent<{data: Gamification, meta: Meta}>} ms8-data - Data arrived. Bubbles, composed.
 * @event {CustomEvent<{status: number, title?: string, detail: string}>} ms8-error - Loading failed. Bubbles, composed.
 *
 * @csspart card - The outer card.
 * @csspart heading - The widget title.
 * @csspart points - The points total.
 * @csspart level - Level name and the progress bar to the next level.
 * @csspart level-progress - The progress bar itself.
 * @csspart streaks - Current and longest streak.
 * @csspart badge-grid - The grid of badges.
 * @csspart badge - One badge (earned or locked).
 * @csspart badge-earned - An earned badge (in addition to `badge`).
 * @csspart badge-locked - A locked badge (in addition to `badge`).
 * @csspart skeleton - The loading placeholder.
 * @csspart empty - Unused by this widget: an empty ledger shows zero points with the `no-points` note.
 * @csspart no-points - The note above zero points, streaks and locked badges.
 * @csspart error - The error message with its retry button.
 * @csspart error-detail - The human-readable reason of an error.
 * @csspart retry-button - The retry button.
 * @csspart not-allowed - The message for 401, 403 and 404.
 * @csspart freshness - "Sample data" or "Updated 3 h ago" when the data is not live.
 *
 * @cssproperty --ms8-font-family - Font; defaults to the host page's font.
 * @cssproperty --ms8-surface - Card background.
 * @cssproperty --ms8-surface-raised - Background of badges and figures.
 * @cssproperty --ms8-text - Main text colour.
 * @cssproperty --ms8-text-muted - Secondary text colour.
 * @cssproperty --ms8-border - Borders.
 * @cssproperty --ms8-accent - Accent: progress bar, earned badges, focus ring.
 * @cssproperty --ms8-track - Unfilled part of the progress bar.
 * @cssproperty --ms8-radius - Corner radius of the card.
 * @cssproperty --ms8-gap - Spacing unit.
 * @cssproperty --ms8-badge-min-width - Smallest badge tile width in the grid (default 7.5rem).
 */
export class Ms8Badges extends Ms8Element<Gamification> {
  static override styles = [baseStyles, badgesStyles];
  protected override readonly wordsServerTexts = true;

  protected resourcePath(learnerId: string): string {
    return `/api/v1/learners/${encodeURIComponent(learnerId)}/gamification`;
  }

  protected isEmpty(_data: Gamification): boolean {
    // An empty ledger does not mean "no enrolments" (a learner with progress may have no points
    // yet), and this resource cannot tell the two apart: zero points are shown as they are.
    return false;
  }

  protected heading(t: Messages): string {
    return t.badges.title;
  }

  protected emptyMessage(t: Messages): string {
    return t.badges.empty;
  }

  protected renderData(data: Gamification, _meta: Meta, format: LocaleFormat, t: Messages): TemplateResult {
    const b = t.badges;
    const next = data.pointsForNextLevel;
    const progress = next ? Math.min(1, data.pointsIntoLevel / next) : 1;
    const progressText = next
      ? b.toNext(format.number(data.pointsIntoLevel, 0), format.number(next, 0), format.number(data.level + 1, 0))
      : b.topLevel;
    const earned = data.badges.filter((badge) => badge.earnedAt);
    const locked = data.badges.filter((badge) => !badge.earnedAt);
    const zeroLedger = data.points === 0 && earned.length === 0 && data.longestStreak === 0;
    return html`
      ${zeroLedger ? html`<p class="muted no-points" part="no-points">${b.noPoints}</p>` : null}
      <div class="figures">
        <div class="figure" part="points">
          <span class="figure-label">${b.points}</span>
          <span class="figure-value">${format.number(data.points, 0)}</span>
        </div>
        <div class="figure" part="streaks">
          <span class="figure-label">${b.currentStreak}</span>
          <span class="figure-value">${format.days(data.currentStreak)}</span>
          <span class="figure-label">${b.longestStreak}: ${format.days(data.longestStreak)}</span>
        </div>
      </div>
      <div class="level" part="level">
        <p class="level-name">${b.level(format.number(data.level, 0), levelName(data.level, data.levelName, format))}</p>
        <div
          class="progress"
          part="level-progress"
          role="progressbar"
          aria-valuemin="0"
          aria-valuemax="100"
          aria-valuenow=${Math.round(progress * 100)}
          aria-valuetext=${progressText}
          aria-label=${b.level(format.number(data.level, 0), levelName(data.level, data.levelName, format))}
        >
          <svg viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
            <rect class="bar-track" width="100" height="8" rx="4" />
            <rect class="bar-fill" width=${Math.max(2, progress * 100)} height="8" rx="4" />
          </svg>
        </div>
        <p class="muted progress-text">${progressText}</p>
      </div>
      <h3 class="subheading">${b.badgeList}</h3>
      <ul class="badge-grid" part="badge-grid">
        ${earned.map(
          (badge) => html`<li class="badge earned" part="badge badge-earned">
            <svg class="badge-icon" viewBox="0 0 24 24" aria-hidden="true">
              <path d="M12 2 9 8.5 2 9.3l5.2 4.8L5.8 21 12 17.5 18.2 21l-1.4-6.9L22 9.3l-7-.8Z" />
            </svg>
            <span class="badge-name" dir="auto">${badgeTexts(badge, format).name}</span>
            <span class="badge-state">${b.earnedOn(format.date(badge.earnedAt!))}</span>
            <span class="badge-how" dir="auto">${badgeTexts(badge, format).description}</span>
          </li>`,
        )}
        ${locked.map(
          (badge) => html`<li class="badge locked" part="badge badge-locked">
            <svg class="badge-icon" viewBox="0 0 24 24" aria-hidden="true">
              <path d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5Zm-3 8V7a3 3 0 1 1 6 0v3H9Z" />
            </svg>
            <span class="badge-name" dir="auto">${badgeTexts(badge, format).name}</span>
            <span class="badge-state">${b.locked}</span>
            <span class="badge-how" dir="auto">${b.howToEarn(badgeTexts(badge, format).criteria)}</span>
          </li>`,
        )}
      </ul>
    `;
  }

  protected renderSkeleton(): TemplateResult {
    return html`<div class="figures"><span class="bone figure-bone"></span><span class="bone figure-bone"></span></div>
      <span class="bone level-bone"></span>
      <span class="bone sub-bone"></span>
      <div class="badge-grid">
        <span class="bone badge-bone"></span><span class="bone badge-bone"></span><span class="bone badge-bone"></span>
        <span class="bone badge-bone"></span>
      </div>`;
  }
}
