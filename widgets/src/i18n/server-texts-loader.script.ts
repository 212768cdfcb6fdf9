/**
 * Script-tag build of the catalogue loader: imports `ms8-texts-<lang>.js`, published beside
 * `ms8-widgets.js` (see chart-loader.script.ts for why a classic script can do so under strict CSPs).
 */
import { besideTheScript } from "../shared/script-url.ts";
import type { CatalogueLocale } from "./server-texts-loader.ts";
import type { ServerTexts } from "./server-wording.ts";

export type { CatalogueLocale };

export const loadCatalogue = (locale: CatalogueLocale): Promise<ServerTexts> =>
  (import(/* @vite-ignore */ besideTheScript(`ms8-texts-${locale}.js`)) as Promise<Record<string, ServerTexts>>).then(
    (m) => m[locale]!,
  );
