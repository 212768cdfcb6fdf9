/**
 * The shape of a server-text catalogue (server-texts.ts) and what it is given to word with. Types
 * only: each catalogue file stays self-contained (no shared chunk for a host to copy or pin).
 */
import type { BadgeId, MissedAssessment, RiskLevel, RiskMessageId, RiskMessages } from "@ms8/edge/contract";

/** What a locale's catalogue words: every risk message and badge the BFF can send, and the levels. */
export interface ServerTexts {
  risk: { [K in RiskMessageId]: (v: RiskMessages[K], w: Wording) => string };
  badges: Record<BadgeId, { name: string; description: string; criteria: string }>;
  /** Level names from level 1. */
  levels: readonly string[];
}

/** Numbers, dates and lists in the reader's locale, for the catalogues. */
export interface Wording {
  n(value: number): string;
  percent(whole: number): string;
  dayMonth(isoDate: string): string;
  list(items: string[]): string;
  /** Intl's plural category of `n` in the locale ("one", "two", "few", "many", "other", "zero"). */
  plural(n: number): Intl.LDMLPluralRule;
  /**
   * The missed work by name, at most three named: `untitled` words one without a title from its
   * localized due date, `many` words "the n missed ..., starting with A and B".
   */
  named(
    missed: MissedAssessment[],
    untitled: (dayMonth: string) => string,
    many: (count: string, firstTwo: string) => string,
  ): string;
}

export type Urgency = Record<RiskLevel, { learner: string; trainer: string }>;
