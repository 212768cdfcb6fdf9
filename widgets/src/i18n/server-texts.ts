/**
 * The BFF's own sentences (risk reasons, next steps, missing signals, badge and level names) in the
 * widget's language. The BFF sends them in English and, beside each, a message: an id and the
 * values in it (`RiskMessages` in the edge contract). For German and Arabic the widgets word the
 * message themselves; in English, or for a message or badge this catalogue does not know (a newer
 * BFF), they show the BFF's English text, laid out with dir="auto".
 */
import type { BadgeId } from "@ms8/edge/contract";
import type { LocaleFormat } from "../shared/format.ts";
import { type CatalogueLocale, loadCatalogue } from "./server-texts-loader.ts";
import type { ServerTexts, Wording } from "./server-wording.ts";

/**
 * Catalogues are loaded on demand, one per language (a German page never downloads the Arabic
 * texts, an English one neither): the widgets wait for theirs together with the data.
 */
const CATALOGUES: readonly CatalogueLocale[] = ["de", "ar"];
const loaded = new Map<string, ServerTexts>();
const loading = new Map<string, Promise<boolean>>();
const baseOf = (locale: string) => locale.toLowerCase().split("-")[0] ?? "en";
const catalogueFor = (format: LocaleFormat) => loaded.get(baseOf(format.locale));

/** Whether the locale's catalogue is at hand (or it has none: English and unknown languages). */
export function serverTextsReady(locale: string): boolean {
  const base = baseOf(locale);
  return !CATALOGUES.includes(base as CatalogueLocale) || loaded.has(base);
}

const failed = new Set<string>();

/**
 * Loads the locale's catalogue; resolves whether it is now at hand. A load that failed is not
 * tried again until `retry` (the widgets retry with their next data load, never from a render,
 * which would ask again and again): meanwhile the BFF's English shows.
 */
export function loadServerTexts(locale: string, { retry = false } = {}): Promise<boolean> {
  const base = baseOf(locale);
  if (serverTextsReady(locale)) return Promise.resolve(true);
  if (failed.has(base) && !retry) return Promise.resolve(false);
  let pending = loading.get(base);
  if (!pending) {
    failed.delete(base);
    pending = loadCatalogue(base as CatalogueLocale)
      .then(
        (catalogue) => {
          loaded.set(base, catalogue);
          return true;
        },
        () => {
          failed.add(base);
          return false;
        },
      )
      .finally(() => loading.delete(base));
    loading.set(base, pending);
  }
  return pending;
}

function wordingFor(format: LocaleFormat): Wording {
  const plurals = new Intl.PluralRules(format.locale);
  const lists = new Intl.ListFormat(format.locale, { type: "conjunction" });
  const w: Wording = {
    n: (value) => format.number(value, 0),
    percent: (whole) => format.percent(whole / 100),
    dayMonth: (isoDate) => format.dayMonth(isoDate),
    list: (items) => lists.format(items),
    plural: (n) => plurals.select(n),
    named: (missed, untitled, many) => {
      const names = missed.map((a) => a.title ?? untitled(w.dayMonth(a.dueDate)));
      if (names.length <= 3) return w.list(names);
      return many(w.n(missed.length), w.list(names.slice(0, 2)));
    },
  };
  return w;
}

/** A sentence of the BFF's, in the reader's language when the catalogue knows its message. */
export function serverText(
  english: string,
  message: { id: string; values: Record<string, unknown> } | undefined,
  format: LocaleFormat,
): string {
  const catalogue = catalogueFor(format);
  // Own entries only: an id such as "toString" is not a message.
  const word =
    message && catalogue && Object.hasOwn(catalogue.risk, message.id)
      ? (catalogue.risk as Record<string, unknown>)[message.id]
      : undefined;
  if (typeof word !== "function") return english;
  try {
    return (word as (v: unknown, w: Wording) => string)(message!.values, wordingFor(format));
  } catch {
    // Values this catalogue does not expect (another BFF version): the English text is right.
    return english;
  }
}

/** A badge's name, description and criteria in the reader's language, when the catalogue knows it. */
export function badgeTexts<T extends { id: string; name: string; description: string; criteria: string }>(
  badge: T,
  format: LocaleFormat,
): { name: string; description: string; criteria: string } {
  const badges = catalogueFor(format)?.badges as Record<string, ServerTexts["badges"][BadgeId]> | undefined;
  return badges && Object.hasOwn(badges, badge.id) ? badges[badge.id]! : badge;
}

/** The level's name in the reader's language, else the BFF's. */
export function levelName(level: number, english: string, format: LocaleFormat): string {
  return catalogueFor(format)?.levels[level - 1] ?? english;
}
