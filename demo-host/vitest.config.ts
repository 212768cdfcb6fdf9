import { defineConfig } from "vitest/config";

// End-to-end tests in real headless Chromium against the stack `npm start` runs (scripts/dev.mjs),
// started once for all files by e2e/global-setup.ts. Files run one after another: they share the
// simulator, whose faults one file switches on and off, and the machine has two cores.
export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default; what these tests poll for often waits on a fetch
    // (release.json right after sign-in) that a busy BFF on a loaded 2-core machine answers later.
    expect: { poll: { timeout: 10_000 } },
  },
});
