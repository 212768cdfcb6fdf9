/** The shape of a server-text catalogue (server-texts.ts) and what its wordings share. */
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
}

/** What the catalogues share: the missed work, named (at most three, then "the n missed ..."). */
export function namedWork(
  missed: MissedAssessment[],
  w: Wording,
  untitled: (dueDate: string) => string,
  many: (count: string, firstTwo: string) => string,
): string {
  const names = missed.map((a) => a.title ?? untitled(w.dayMonth(a.dueDate)));
  if (names.length <= 3) return w.list(names);
  return many(w.n(missed.length), w.list(names.slice(0, 2)));
}

export type Urgency = Record<RiskLevel, { learner: string; trainer: string }>;
