// Widget tests in real headless Chromium. The widgets call a fake MS8 API over real HTTP on a
// second loopback origin (test/fake-api-server.ts), so CORS, aborts and ETags are genuine.
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { defaultReporter } from "@web/test-runner";
import { chromeLauncher } from "@web/test-runner-chrome";
import { startFakeApiServer } from "./test/fake-api-server.ts";
import { resultsReporter } from "./test/results-reporter.mjs";

const fakeApi = await startFakeApiServer();

// The CSP of test/pages/*.html: nothing inline, no eval; only our own scripts and the API.
const strictCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  `connect-src ${fakeApi.url}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join("; ");

export default {
  files: ["src/**/*.test.ts", "test/**/*.test.ts"],
  nodeResolve: true,
  // One page at a time: a second, background page gets its timers throttled by Chromium.
  concurrency: 1,
  testsFinishTimeout: 180_000,
  // Generous: the machine is shared, and a slow answer here means a loaded CPU, not a bug.
  testFramework: { config: { timeout: 20_000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
        headless: true,
        args: [
          "--no-sandbox",
          "--headless",
          "--disable-gpu",
          "--disable-background-networking",
          "--no-first-run",
          "--disable-dev-shm-usage",
        ],
      },
    }),
  ],
  reporters: [defaultReporter(), resultsReporter(process.env.MS8_WTR_RESULTS)],
  plugins: [
    esbuildPlugin({ ts: true, target: "es2022", tsconfig: new URL("./tsconfig.json", import.meta.url).pathname }),
    {
      name: "ms8-test-env",
      serve(context) {
        if (context.path === "/__ms8-test-env.js") {
          return { body: `export const apiBase = ${JSON.stringify(fakeApi.url)};`, type: "js" };
        }
      },
    },
  ],
  middleware: [
    // The built files as a host that forgot the language catalogues would serve them: /dist without
    // ms8-texts-*.js (test/pages/missing-texts.html).
    function distWithoutTexts(context, next) {
      if (!context.path.startsWith("/dist-without-texts/")) return next();
      if (context.path.includes("/ms8-texts-")) {
        context.status = 404;
        return;
      }
      context.path = context.path.replace("/dist-without-texts/", "/dist/");
      return next();
    },
    function strictCspForTestPages(context, next) {
      if (context.path.startsWith("/test/pages/")) context.set("Content-Security-Policy", strictCsp);
      return next();
    },
  ],
};
