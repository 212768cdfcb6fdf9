import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "../wrangler.toml" },
      miniflare: { bindings: { NODE_ENV: "test" } },
    }),
  ],
  test: {
    name: "workerd",
    include: ["src/**/*.worker.test.ts", "test/**/*.worker.test.ts"],
  },
});
