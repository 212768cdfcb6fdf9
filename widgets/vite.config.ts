/**
 * Two builds into dist/ (`vite build` and `vite build --mode script-tag`):
 * - ES modules: the side-effect-free classes (`index.js`, `ms8-<tag>.js`), the define entries
 *   (`define.js`, `ms8-<tag>.define.js`), `ms8-chart.js`, the chart code loaded on demand, and
 *   `ms8-texts-<lang>.js`, the BFF's sentences in German and Arabic, loaded by readers of that language.
 *   Dependencies are bundled, so the files also work straight from the BFF or a CDN.
 * - `ms8-widgets.js`: one classic script for a plain `<script src>`, with the chart loader swapped
 *   for one that imports `ms8-chart.js` from beside the script.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };
const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

/**
 * A classic script is decoded in the host page's charset, so a page without UTF-8 would garble the
 * catalogues' text: escape every non-ASCII code unit as \uXXXX (valid in strings, templates,
 * regexes and identifiers alike). Runs after minification, which would undo it; columns in the
 * source maps drift a little after such characters.
 */
const asciiOnly = (): Plugin => ({
  name: "ms8-ascii-only",
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type !== "chunk") continue;
      file.code = file.code.replace(
        /[\u0080-\uffff]/g,
        (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
      );
    }
  },
});

export default defineConfig(({ mode }) => {
  const scriptTag = mode === "script-tag";
  return {
    define: { __MS8_VERSION__: JSON.stringify(version) },
    plugins: [asciiOnly()],
    resolve: scriptTag
      ? {
          alias: [
            { find: /^.*\/chart-loader\.ts$/, replacement: src("shared/chart-loader.script.ts") },
            { find: /^.*\/server-texts-loader\.ts$/, replacement: src("i18n/server-texts-loader.script.ts") },
          ],
        }
      : {},
    build: {
      outDir: "dist",
      emptyOutDir: !scriptTag,
      target: "es2022",
      minify: true,
      sourcemap: true,
      reportCompressedSize: false,
      lib: scriptTag
        ? { entry: src("script-tag.ts"), formats: ["iife"], name: "MS8Widgets", fileName: () => "ms8-widgets.js" }
        : {
            entry: {
              index: src("index.ts"),
              define: src("define.ts"),
              "ms8-velocity": src("ms8-velocity/ms8-velocity.ts"),
              "ms8-velocity.define": src("ms8-velocity/define.ts"),
              "ms8-dropoff-risk": src("ms8-dropoff-risk/ms8-dropoff-risk.ts"),
              "ms8-dropoff-risk.define": src("ms8-dropoff-risk/define.ts"),
              "ms8-badges": src("ms8-badges/ms8-badges.ts"),
              "ms8-badges.define": src("ms8-badges/define.ts"),
              "ms8-chart": src("ms8-velocity/pace-chart.ts"),
              "ms8-texts-de": src("i18n/server-texts.de.ts"),
              "ms8-texts-ar": src("i18n/server-texts.ar.ts"),
            },
            formats: ["es"],
            fileName: (_format, entry) => `${entry}.js`,
          },
      rolldownOptions: {
        // Lib mode leaves ES whitespace for downstream bundlers; these files are also served as they are.
        output: scriptTag ? { minify: true } : { minify: true, chunkFileNames: "chunk-[name]-[hash].js" },
      },
    },
  };
});
