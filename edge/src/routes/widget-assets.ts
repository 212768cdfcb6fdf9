/**
 * The built widgets (widgets/dist) at a versioned path, so a host can embed them from the origin it
 * calls: `GET /widgets/v<version>/<file>` with immutable caching, and `GET /widgets/release.json`
 * (not cached) naming the current version and the SRI hash of every file. Assets are public: any
 * origin may load them (CORS `*`, CORP cross-origin), which ES modules and SRI both need.
 * Where the files come from is a port: `nodeWidgetAssets(dir)` or `workersWidgetAssets(env.ASSETS)`.
 */
import { createRouter } from "../http/context.ts";
import { ProblemError } from "../http/problem.ts";

export interface WidgetAssetSource {
  /** One file of widgets/dist by its name, or null when there is none. */
  read(file: string): Promise<ReadableStream | Uint8Array<ArrayBuffer> | null>;
}

/** Files from a directory on disk (Node). node:fs is imported on first use, so Workers never load it. */
export function nodeWidgetAssets(distDir: string): WidgetAssetSource {
  return {
    async read(file) {
      const { readFile } = await import("node:fs/promises");
      const bytes = await readFile(`${distDir.replace(/\/+$/, "")}/${file}`).catch(() => null);
      return bytes && new Uint8Array(bytes);
    },
  };
}

/** Files from the Workers static assets binding (`[assets] binding = "ASSETS"` in wrangler.toml). */
export function workersWidgetAssets(assets: { fetch(request: Request): Promise<Response> }): WidgetAssetSource {
  return {
    async read(file) {
      const response = await assets.fetch(new Request(`https://assets.invalid/${file}`));
      return response.ok ? response.body : null;
    },
  };
}

// Static files, not API operations: plain routes, outside the OpenAPI document.
const versionPattern = /^v\d+\.\d+\.\d+[\w.-]*$/;
const filePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(js|map|json)$/;
const contentTypes: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  map: "application/json; charset=utf-8",
  json: "application/json; charset=utf-8",
};
const publicAsset = {
  "Access-Control-Allow-Origin": "*",
  "Cross-Origin-Resource-Policy": "cross-origin",
  "X-Content-Type-Options": "nosniff",
};

export function widgetAssetRoutes(source: WidgetAssetSource) {
  let release: Promise<{ version: string }> | undefined;
  const currentRelease = () => {
    release ??= source.read("release.json").then(async (body) => {
      if (!body) throw new Error("release.json missing");
      return JSON.parse(await new Response(body).text()) as { version: string };
    });
    return release.catch((error) => {
      release = undefined; // built later (dev): look again next time
      throw new ProblemError("not_found", { detail: `the widgets are not built here (${(error as Error).message})` });
    });
  };

  // "/widgets/:name", not the literal "/widgets/release.json": Hono's RegExpRouter cannot hold a
  // static and a parameter segment at the same place, and one such pair sends the whole app (the
  // API's hot path too) to the slower TrieRouter. app.test.ts holds the app to RegExpRouter.
  return createRouter()
    .get("/widgets/:name", async (c) => {
      if (c.req.param("name") !== "release.json") {
        throw new ProblemError("not_found", {
          detail: "widget files live at /widgets/v<version>/<file>; the release is /widgets/release.json",
        });
      }
      await currentRelease();
      const body = await source.read("release.json");
      if (!body) throw new ProblemError("not_found", { detail: "the widgets are not built here" });
      return c.body(body, 200, { ...publicAsset, "Content-Type": contentTypes.json!, "Cache-Control": "no-cache" });
    })
    .get("/widgets/:version/:file", async (c) => {
      const { version, file } = c.req.param();
      if (!versionPattern.test(version) || !filePattern.test(file)) {
        throw new ProblemError("not_found", { detail: "widget files live at /widgets/v<version>/<file>" });
      }
      const current = await currentRelease();
      if (version !== `v${current.version}`) {
        throw new ProblemError("not_found", { detail: `this server has widgets v${current.version}, not ${version}` });
      }
      const body = file === "release.json" ? null : await source.read(file);
      if (!body) throw new ProblemError("not_found", { detail: `no ${file} in widgets v${current.version}` });
      return c.body(body, 200, {
        ...publicAsset,
        "Content-Type": contentTypes[file.split(".").pop()!]!,
        "Cache-Control": "public, max-age=31536000, immutable",
      });
    });
}
