/**
 * `npm start` keeps the user's CORS_ORIGINS: the stack's BFF answers a page of one's own (the
 * plain-page example of docs/embedding.md) as well as the dashboard.
 */
import { expect, test } from "vitest";
import { corsOriginsFor } from "../../scripts/dev.mjs";
import { stack } from "./support.ts";

test("the user's CORS_ORIGINS are merged with the dashboard's, not replaced", () => {
  expect(corsOriginsFor(5173, " http://127.0.0.1:9100, https://lms.example.com ,", ["http://127.0.0.1:9100"])).toEqual([
    "http://127.0.0.1:5173",
    "http://localhost:5173",
    "http://127.0.0.1:9100",
    "https://lms.example.com",
  ]);
  expect(corsOriginsFor(5173, undefined)).toEqual(["http://127.0.0.1:5173", "http://localhost:5173"]);
});

test("the running stack's BFF answers the dashboard's origin and refuses an unlisted one", async () => {
  const preflight = (origin: string) =>
    fetch(`${stack().urls.edge}/api/v1/learners/x/velocity`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    }).then((r) => r.headers.get("access-control-allow-origin"));
  expect(await preflight(stack().urls.dashboard)).toBe(stack().urls.dashboard);
  expect(await preflight("http://127.0.0.1:1")).toBeNull();
});
