import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

// Runs inside workerd against the Worker built from wrangler.toml's entry.
describe("GET /health inside workerd", () => {
  it("answers healthy from the workerd runtime", async () => {
    const res = await SELF.fetch("http://ms8.test/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; runtime: string };
    expect(body).toMatchObject({ status: "healthy", runtime: "workerd" });
  });
});
