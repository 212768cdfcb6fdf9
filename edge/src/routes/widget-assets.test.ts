import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createRouter } from "../http/context.ts";
import { ProblemError, problemResponse } from "../http/problem.ts";
import { nodeWidgetAssets, widgetAssetRoutes, workersWidgetAssets } from "./widget-assets.ts";

const dist = mkdtempSync(join(tmpdir(), "ms8-widgets-dist-"));
writeFileSync(join(dist, "release.json"), JSON.stringify({ version: "1.2.3", files: {} }));
writeFileSync(join(dist, "ms8-widgets.js"), "window.MS8={};");
afterAll(() => rmSync(dist, { recursive: true, force: true }));

function appWith(source: Parameters<typeof widgetAssetRoutes>[0]) {
  const app = createRouter();
  app.onError((err, c) => (err instanceof ProblemError ? problemResponse(c, err.code, err.init) : c.text("boom", 500)));
  return app.route("/", widgetAssetRoutes(source));
}

describe("widget assets", () => {
  const app = appWith(nodeWidgetAssets(dist));

  it("serves a file of the current version, immutable and loadable from any origin", async () => {
    const res = await app.request("/widgets/v1.2.3/ms8-widgets.js");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("window.MS8={};");
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
  });

  it("answers release.json without long caching", async () => {
    const res = await app.request("/widgets/release.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.json()).toMatchObject({ version: "1.2.3" });
  });

  it.each([
    ["another version", "/widgets/v9.9.9/ms8-widgets.js"],
    ["a missing file", "/widgets/v1.2.3/nothing.js"],
    ["a path outside dist", "/widgets/v1.2.3/..%2F..%2Fetc%2Fpasswd"],
    ["a hidden file", "/widgets/v1.2.3/.env.json"],
    ["no version prefix", "/widgets/1.2.3/ms8-widgets.js"],
  ])("404 problem for %s", async (_, path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("404 problem while the widgets are not built", async () => {
    const res = await appWith(nodeWidgetAssets(join(dist, "missing"))).request("/widgets/v1.2.3/ms8-widgets.js");
    expect(res.status).toBe(404);
    expect((await res.json()).detail).toMatch(/not built/);
  });

  it("reads through a Workers assets binding", async () => {
    const binding = {
      fetch: async (request: Request) => {
        const file = join(dist, new URL(request.url).pathname.slice(1));
        return existsSync(file) ? new Response(readFileSync(file)) : new Response("", { status: 404 });
      },
    };
    const res = await appWith(workersWidgetAssets(binding)).request("/widgets/v1.2.3/ms8-widgets.js");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("window.MS8={};");
  });

  const built = new URL("../../../widgets/dist/", import.meta.url).pathname;
  it.skipIf(!existsSync(join(built, "release.json")))(
    "serves the real build with the SRI hash release.json names",
    async () => {
      const real = appWith(nodeWidgetAssets(built));
      const release = (await (await real.request("/widgets/release.json")).json()) as {
        version: string;
        files: Record<string, { integrity: string }>;
      };
      const res = await real.request(`/widgets/v${release.version}/ms8-widgets.js`);
      expect(res.status).toBe(200);
      const hash = createHash("sha384")
        .update(Buffer.from(await res.arrayBuffer()))
        .digest("base64");
      expect(release.files["ms8-widgets.js"]!.integrity).toBe(`sha384-${hash}`);
    },
  );
});
