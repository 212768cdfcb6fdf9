/**
 * How the widgets reach a language's server-text catalogue. In the ES module build an ordinary
 * dynamic import (the bundler keeps each catalogue in its own file, `ms8-texts-<lang>.js`); the
 * script-tag build swaps in `server-texts-loader.script.ts`, which imports the same files from
 * next to the script.
 */
import type { ServerTexts } from "./server-wording.ts";

export type CatalogueLocale = "de" | "ar";

export const loadCatalogue = (locale: CatalogueLocale): Promise<ServerTexts> =>
  locale === "de" ? import("./server-texts.de.ts").then((m) => m.de) : import("./server-texts.ar.ts").then((m) => m.ar);
