import { defineConfig } from "vitest/config";

// Two projects: plain Node, and the same kind of tests inside workerd (files named *.worker.test.ts).
export default defineConfig({
  test: {
    projects: ["./vitest.node.config.ts", "./vitest.workers.config.ts"],
  },
});
