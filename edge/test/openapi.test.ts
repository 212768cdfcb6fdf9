/** GET /openapi.json is a valid OpenAPI 3.1 document that lists every route the app serves. */
import { tmpdir } from "node:os";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { nodeWidgetAssets } from "../src/routes/widget-assets.ts";
import { createTestWorld } from "./doubles/world.ts";

describe("GET /openapi.json", () => {
  const app = createApp(createTestWorld({ widgetAssets: nodeWidgetAssets(tmpdir()) }).deps);

  it("validates as OpenAPI 3.1", async () => {
    const res = await app.request("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string };
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(doc as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("the validator does reject a broken document (so the test above can fail)", async () => {
    const res = await app.request("/openapi.json");
    const doc = (await res.json()) as { paths: Record<string, Record<string, { responses?: unknown }>> };
    const first = Object.values(doc.paths)[0]!;
    Object.values(first)[0]!.responses = "none";
    expect((await new Validator().validate(doc as unknown as Parameters<Validator["validate"]>[0])).valid).toBe(false);
  });

  it("lists every route of the app, with its method", async () => {
    const doc = (await (await app.request("/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    const served = app.routes
      // The reference itself and the static widget files are not API operations.
      .filter(
        (r) => r.method !== "ALL" && !["/openapi.json", "/docs"].includes(r.path) && !r.path.startsWith("/widgets/"),
      )
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThanOrEqual(10);
    for (const route of served) expect(documented, route).toContain(route);
    expect(documented.size).toBe(new Set(served).size);
  });

  it("serves the interactive reference at /docs", async () => {
    const res = await app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("/openapi.json");
  });

  it("/docs loads one pinned release of the reference and links the raw document for when it cannot", async () => {
    const html = await (await app.request("/docs")).text();
    const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(src).toMatch(/@scalar\/api-reference@\d+\.\d+\.\d+(\/|$)/);
    // No unpinned module import either (the package's default ESM build is unversioned).
    expect(html).not.toMatch(/@scalar\/api-reference(\/|['"])/);
    expect(html).toMatch(/<a href="\/openapi\.json">/);
  });

  it("documents the organization summary's activity figures the dashboard shows", async () => {
    const doc = (await (await app.request("/openapi.json")).json()) as {
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }>;
      components?: { schemas?: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    let schema = doc.paths["/api/v1/orgs/{orgId}/summary"]!.get.responses["200"]!.content["application/json"]!
      .schema as { $ref?: string; properties?: Record<string, unknown>; required?: string[] };
    if (schema.$ref) schema = doc.components!.schemas![schema.$ref.split("/").pop()!]!;
    for (const field of ["activeLearners7d", "events7d", "totalPoints", "badgesAwarded"]) {
      expect(schema.properties, field).toHaveProperty(field);
      expect(schema.required, field).toContain(field);
    }
  });
});
