/**
 * Locale lookup: the widget's `lang`, else the document's, else the browser's, narrowed to the
 * catalogues we ship ("de-AT" uses "de"); numbers and dates are formatted by Intl in the full tag.
 */
import { ar } from "./ar.ts";
import { de } from "./de.ts";
import { en, type Messages } from "./en.ts";

export type { Messages };
export const catalogues: Record<string, Messages> = { en, de, ar };
export const supportedLocales = Object.keys(catalogues);

export function resolveLocale(lang: string | null | undefined): string {
  const candidates = [lang, globalThis.document?.documentElement.lang, globalThis.navigator?.language];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return Intl.getCanonicalLocales(candidate)[0] ?? "en";
    } catch {
      // An invalid tag in an attribute falls through to the next source.
    }
  }
  return "en";
}

export function messagesFor(locale: string): Messages {
  const base = locale.toLowerCase().split("-")[0] ?? "en";
  return catalogues[base] ?? en;
}
