/** The widget files through the whole app: public, cross-origin loadable, outside the API document. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { nodeWidgetAssets } from "../src/routes/widget-assets.ts";
import { createTestWorld } from "./doubles/world.ts";

const dist = mkdtempSync(join(tmpdir(), "ms8-widgets-mount-"));
writeFileSync(join(dist, "release.json"), JSON.stringify({ version: "2.0.0", files: {} }));
writeFileSync(join(dist, "ms8-widgets.js"), "export {};");
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe("widget assets mounted in createApp", () => {
  const app = createApp(createTestWorld({ widgetAssets: nodeWidgetAssets(dist) }).deps);

  it("keeps the asset route's cross-origin headers (the API's same-origin CORP does not apply)", async () => {
    const res = await app.request("/widgets/v2.0.0/ms8-widgets.js", { headers: { Origin: "https://shop.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("an unknown version is a problem+json 404, and the API keeps CORP same-origin", async () => {
    const res = await app.request("/widgets/v9.9.9/ms8-widgets.js");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect((await app.request("/health")).headers.get("cross-origin-resource-policy")).toBe("same-origin");
  });
});
