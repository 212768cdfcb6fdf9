/** `pnpm ms8 token` refuses a mix of user and service flags instead of minting one and ignoring the rest. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { run } from "../src/cli/commands/token.ts";

describe("ms8 token flags", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    [["--sub", "lrn-acme-0001", "--org", "acme", "--roles", "learner", "--service", "course-builder"]],
    [["--service", "course-builder", "--scope", "events:write", "--org", "acme"]],
    [["--sub", "lrn-acme-0001", "--org", "acme", "--roles", "learner", "--scope", "events:write"]],
  ])("%j -> exit 2 naming both kinds, nothing printed to stdout", async (args) => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...m: unknown[]) => {
      errors.push(m.join(" "));
    });
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(await run(args)).toBe(2);
    expect(out).not.toHaveBeenCalled();
    expect(errors.join("\n")).toMatch(/user flags .* and service flags .* cannot be mixed/);
  });

  it("a plain service token still mints (the check rejects only the mix)", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const printed: string[] = [];
    vi.spyOn(console, "log").mockImplementation((m: unknown) => {
      printed.push(String(m));
    });
    vi.stubEnv("NODE_ENV", "test");
    vi.stubEnv("JWT_SECRET", "local-dev-only-test-jwt-secret-0123456789abcdef");
    vi.stubEnv("SERVICE_SECRET", "local-dev-only-test-service-secret-0123456789ab");
    try {
      expect(await run(["--service", "course-builder", "--scope", "events:write"])).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(printed[0]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});
