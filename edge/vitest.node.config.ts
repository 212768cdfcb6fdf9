import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "node",
    include: [
      "src/**/*.test.ts",
      "test/**/*.test.ts",
      "simulator/**/*.test.ts",
      "scripts/**/*.test.ts",
      "bench/**/*.test.ts",
    ],
    exclude: ["**/*.worker.test.ts", "**/node_modules/**"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
