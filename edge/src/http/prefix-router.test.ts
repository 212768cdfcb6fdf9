/**
 * The split router answers every path exactly as one Hono router over the whole table would: the
 * same handlers in the same order with the same parameters. And the API side keeps RegExpRouter.
 */
import type { Result } from "hono/router";
import { TrieRouter } from "hono/router/trie-router";
import { describe, expect, it } from "vitest";
import { createTestWorld } from "../../test/doubles/world.ts";
import { createApp } from "../app.ts";
import { nodeWidgetAssets } from "../routes/widget-assets.ts";
import { PrefixRouter } from "./prefix-router.ts";

type Handler = unknown;

/** Handlers with their decoded parameters, whatever the result's shape (stash or params). */
function resolved(result: Result<Handler>) {
  const [matches, stash] = result as [[Handler, Record<string, number | string>][], string[]?];
  return matches.map(([handler, params]) => ({
    handler,
    params: Object.fromEntries(
      Object.entries(params).map(([name, at]) => [name, stash ? stash[at as number] : (at as string)]),
    ),
  }));
}

describe("PrefixRouter", () => {
  const app = createApp({ ...createTestWorld().deps, widgetAssets: nodeWidgetAssets("/nonexistent") });
  const table = app.routes.map((r) => [r.method, r.path, r.handler] as const);
  const paths = [
    "/api/v1/learners/lrn-a1/velocity",
    "/api/v1/learners/lrn-a1/dropoff-risk",
    "/api/v1/orgs/acme/at-risk",
    "/api/v1/me",
    "/api/v1/events",
    "/api/v1/nothing",
    "/api",
    "/health",
    "/docs",
    "/openapi.json",
    "/",
    "/widgets",
    "/widgets/",
    "/widgets/release.json",
    "/widgets/v1.2.3/ms8-widgets.js",
    "/widgets/v1.2.3/deeper/ms8-widgets.js",
    "/widgetsx/release.json",
    "/nothing/here",
  ];

  it("matches like one TrieRouter over the same table, for every method", () => {
    const split = new PrefixRouter<Handler>("/widgets/");
    const single = new TrieRouter<Handler>();
    for (const [method, path, handler] of table) {
      split.add(method, path, handler);
      single.add(method, path, handler);
    }
    for (const method of ["GET", "POST", "PUT", "DELETE", "OPTIONS"]) {
      for (const path of paths) {
        expect(resolved(split.match(method, path)), `${method} ${path}`).toEqual(resolved(single.match(method, path)));
      }
    }
  });

  it("keeps the API on RegExpRouter although the widget routes need the TrieRouter", () => {
    app.router.match("GET", "/api/v1/me");
    app.router.match("GET", "/widgets/release.json");
    expect(app.router.name).toBe(
      "PrefixRouter(/widgets/: SmartRouter + TrieRouter inside, SmartRouter + RegExpRouter outside)",
    );
  });
});
