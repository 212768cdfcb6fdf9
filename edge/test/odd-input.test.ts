/** Odd client input never reaches a 500: each gets its 4xx problem (in-process app.request, Node). */
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { callers, userToken } from "./doubles/tokens.ts";
import { createTestWorld } from "./doubles/world.ts";

describe("odd input", async () => {
  const app = createApp(createTestWorld().deps);
  const token = await userToken(callers.adminA);
  const A = { Authorization: `Bearer ${token}` };
  const J = { ...A, "Content-Type": "application/json" };
  const post = (body: string, headers: Record<string, string> = J) => ({ method: "POST", headers, body });

  it.each([
    ["/api/v1/learners/%E0%A4%A/velocity", { headers: A }, 400],
    ["/api/v1/learners/%00/velocity", { headers: A }, 400],
    ["/api/v1/orgs/acme/learners?limit=1e3", { headers: A }, 400],
    ["/api/v1/orgs/acme/learners?limit=5&limit=6", { headers: A }, 400],
    ["/api/v1/orgs/acme/at-risk?minLevel=", { headers: A }, 400],
    ["/api/v1/orgs/acme/learners?cursor=", { headers: A }, 400],
    ["/api/v1/auth/login", post("null"), 400],
    ["/api/v1/auth/login", post(""), 400],
    ["/api/v1/auth/login", post('"a string"'), 400],
    ["/api/v1/auth/embed-token", post("null"), 400],
    ["/api/v1/auth/embed-token", post("[]"), 400],
    ["/api/v1/auth/embed-token", post('{"widgets":[]}'), 400],
    ["/api/v1/me", { headers: { Authorization: `Bearer ${"a".repeat(10_000)}` } }, 401],
    ["/api/v1/me", { headers: { Authorization: "Bearer a.b.c" } }, 401],
    ["/api/v1/me", { headers: { Authorization: "Bearer e30.e30.e30" } }, 401],
    ["/api/v1/me", { headers: { Authorization: "Basic Zm9vOmJhcg==" } }, 401],
    ["/api/v1/events", post("{}", { "Content-Type": "application/json" }), 401],
    ["/api/v1/me", { method: "PUT", headers: A }, 405],
    ["/api/v1/me", { method: "PATCH", headers: J, body: "{}" }, 405],
  ] as [string, RequestInit, number][])("%s %o -> %i", async (path, init, status) => {
    const res = await app.request(path, init);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
