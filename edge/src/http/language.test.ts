/** Accept-Language as browsers and pages send it, to the language of the AI's texts. */
import { describe, expect, it } from "vitest";
import { textLanguageOf } from "./language.ts";

describe("textLanguageOf", () => {
  it.each([
    [undefined, "en"],
    ["", "en"],
    ["de", "de"],
    ["de-AT,de;q=0.9,en;q=0.8", "de"],
    ["ar-EG", "ar"],
    ["fr-FR,fr;q=0.9", "en"], // a language MS8 does not write: English
    ["fr-FR,fr;q=0.9,de;q=0.5", "de"], // the first one MS8 writes
    ["en;q=0.4,de;q=0.8", "de"], // by weight, not by order
    ["de;q=0,ar", "ar"], // q=0 means "not this one"
    ["*", "en"],
    ["DE-de", "de"],
    ["de;q=abc,ar;q=0.1", "ar"], // a weight that is no number counts as none
  ])("%j -> %s", (header, expected) => {
    expect(textLanguageOf(header)).toBe(expected);
  });
});
