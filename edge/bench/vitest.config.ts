// Runs the harness test alone (`pnpm --dir edge exec vitest run --config bench/vitest.config.ts`);
// the package's node project picks up bench/*.test.ts once its include lists it.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { name: "bench", root: import.meta.dirname, include: ["*.test.ts"], testTimeout: 20_000, hookTimeout: 30_000 },
});
