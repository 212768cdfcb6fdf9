/**
 * The reader's language for the AI's texts, from Accept-Language (RFC 9110: tags with q-values,
 * highest first; q=0 means "not this one"). The first language MS8 writes in wins; a page in any
 * other language, or none, gets English. "de-AT" counts as German.
 */
import type { Context } from "hono";
import { type TextLanguage, TextLanguage as TextLanguages } from "../contract.ts";

const SUPPORTED = new Set<string>(TextLanguages.options);

export function textLanguageOf(acceptLanguage: string | undefined): TextLanguage {
  if (!acceptLanguage) return "en";
  const ranked = acceptLanguage
    .slice(0, 1000) // a header longer than any real one is not read to its end
    .split(",")
    .map((part, position) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q\s*=(.*)$/i.exec(p)?.[1]).find((v) => v !== undefined);
      // No q is 1; a q that is no number is not a weight anyone meant: 0, not this one.
      const weight = q === undefined ? 1 : /^\s*[0-9.]+\s*$/.test(q) ? Number(q) : 0;
      return {
        base: tag.trim().toLowerCase().split("-")[0] ?? "",
        weight: Number.isFinite(weight) ? weight : 0,
        position,
      };
    })
    .filter((l) => l.weight > 0 && SUPPORTED.has(l.base))
    .sort((a, b) => b.weight - a.weight || a.position - b.position);
  return (ranked[0]?.base as TextLanguage | undefined) ?? "en";
}

/** The language this request's AI texts are written in. */
export const requestLanguage = (c: Context): TextLanguage => textLanguageOf(c.req.header("Accept-Language"));

/**
 * Says an answer's language (Content-Language) and that it depends on the request's
 * Accept-Language (Vary), so no cache hands a German answer to an English page. Called as the
 * answer is made: a problem that ends the request instead is English and says nothing of it.
 */
export function sayLanguage(c: Context, language: TextLanguage): void {
  c.header("Content-Language", language);
  c.header("Vary", "Accept-Language", { append: true });
}
