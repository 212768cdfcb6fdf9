import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "../wrangler.toml" },
      miniflare: {
        // Obviously-local test secrets; production gets real ones with `wrangler secret put`.
        bindings: {
          NODE_ENV: "test",
          JWT_SECRET: "local-dev-only-test-jwt-secret-0123456789abcdef",
          SERVICE_SECRET: "local-dev-only-test-service-secret-0123456789ab",
          CORS_ORIGINS: "https://dashboard.acme.test",
          RATE_LIMIT_USER_PER_MIN: "300",
          RATE_LIMIT_IP_PER_MIN: "4",
          LOG_LEVEL: "silent",
        },
        // Small limits for the shared rate-limit cases (the real ones come from wrangler.toml).
        ratelimits: {
          IP_RATE_LIMITER: { namespace_id: "1002", simple: { limit: 4, period: 60 } },
          TEST_USER_LIMITER: { namespace_id: "9001", simple: { limit: 3, period: 60 } },
          TEST_IP_LIMITER: { namespace_id: "9002", simple: { limit: 5, period: 60 } },
        },
      },
    }),
  ],
  test: {
    name: "workerd",
    include: ["src/**/*.worker.test.ts", "test/**/*.worker.test.ts"],
    // workerd cannot start servers: Postgres (MS8_TEST_DATABASE_URL when set) and the PostgREST
    // stand-in run in a Node child that this setup starts and stops around the run.
    globalSetup: ["./test/postgrest-standin/global-setup.ts"],
  },
});
