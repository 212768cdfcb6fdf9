/**
 * Inside workerd, through the Worker entry (SELF): the widgets ship with the Worker as static
 * assets (`[assets]` in wrangler.toml, directory widgets/dist, binding ASSETS) and are served by
 * worker.ts at their versioned paths with the asset headers, never straight from the asset store.
 * Needs widgets/dist: the test command builds it before the tests (`pnpm --dir widgets build`).
 */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("the widgets on Workers (ASSETS binding)", () => {
  it("names the release and serves its script-tag bundle, cross-origin loadable and cached for good", async () => {
    const release = await SELF.fetch("http://ms8.test/widgets/release.json");
    expect(release.status, "widgets/dist missing? run `pnpm --dir widgets build` first").toBe(200);
    const { version, files } = (await release.json()) as { version: string; files: Record<string, string> };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(files)).toContain("ms8-widgets.js");

    const script = await SELF.fetch(`http://ms8.test/widgets/v${version}/ms8-widgets.js`, {
      headers: { Origin: "https://shop.example" },
    });
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(script.headers.get("access-control-allow-origin")).toBe("*");
    expect(script.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(script.headers.get("cache-control")).toContain("immutable");
    expect((await script.text()).length).toBeGreaterThan(1000);
  });

  it("keeps the asset store behind the Worker: a file at its bare path is the API's 404, not the file", async () => {
    const bare = await SELF.fetch("http://ms8.test/ms8-widgets.js");
    expect(bare.status).toBe(404);
    expect(bare.headers.get("content-type")).toContain("application/problem+json");
    const unknown = await SELF.fetch("http://ms8.test/widgets/v0.0.0-nope/ms8-widgets.js");
    expect(unknown.status).toBe(404);
  });
});
