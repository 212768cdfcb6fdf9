/**
 * The app keeps Hono's fastest router. One route pairing a static and a parameter segment at the
 * same place sends the whole app to the TrieRouter (0.8 us and 5 KB of garbage per request instead
 * of 0.15 us, measured in the cached-read benchmark), so this fails when a route brings one in.
 */
import { describe, expect, it } from "vitest";
import { createTestWorld } from "../test/doubles/world.ts";
import { createApp } from "./app.ts";
import { nodeWidgetAssets } from "./routes/widget-assets.ts";

describe("createApp's router", () => {
  it("is Hono's RegExpRouter for the whole route table, widget files included", async () => {
    const app = createApp({ ...createTestWorld().deps, widgetAssets: nodeWidgetAssets("/nonexistent") });
    expect(app.routes.some((r) => r.path.startsWith("/widgets/"))).toBe(true);
    await app.request("/health");
    expect(app.router.name).toBe("SmartRouter + RegExpRouter");
  });
});
