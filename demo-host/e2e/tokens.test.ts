/**
 * Embed tokens as a host page lives with them: one expires while the page is open, the BFF says
 * 401, the widgets ask `getToken()` once more and the dashboard mints a fresh one; nobody sees an
 * error. And the issue-2 promise: a plain third-party page with one script tag and one element
 * shows real data from the running BFF.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { signHs256 } from "./jwt.ts";
import {
  apiFigures,
  apiSession,
  asShown,
  launchBrowser,
  openPage,
  persona,
  readWidgets,
  screenshot,
  signIn,
  stack,
  widgetState,
  widgets,
} from "./support.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

test("an embed token that expires during the session is replaced without a visible error", async () => {
  const learner = persona("learner", 0);
  const { page, problems, close } = await openPage(browser);
  await signIn(page, learner);
  const w = widgets(page);
  for (const widget of [w.velocity, w.risk, w.badges]) expect(await widgetState(widget)).toBe("data");

  // The tab holds an embed token that the BFF has already seen expire, while the page's clock still
  // believes in it (clock skew, a laptop waking from sleep): exactly the case only a 401 reveals.
  const now = Math.floor(Date.now() / 1000);
  const expired = signHs256(
    {
      sub: learner.userId,
      org: learner.orgId,
      roles: learner.roles,
      embed: {
        learnerId: learner.userId,
        widgets: ["velocity", "dropoff-risk", "forecast", "recommendations", "gamification"],
      },
      iat: now - 120,
      exp: now - 1,
    },
    stack().secrets.JWT_SECRET,
  );
  await page.evaluate(
    ([token, learnerId]) =>
      sessionStorage.setItem(
        "ms8-demo.embed-token",
        JSON.stringify({ learnerId, token, issuedAt: Date.now(), expiresAt: Date.now() + 600_000 }),
      ),
    [expired, learner.userId] as const,
  );
  const refused: string[] = [];
  const minted: number[] = [];
  page.on("response", (r) => {
    if (r.status() === 401 && r.url().includes("/api/v1/learners/")) refused.push(r.url());
    if (r.url().endsWith("/api/v1/auth/embed-token") && r.request().method() === "POST") minted.push(r.status());
  });
  await page.reload();
  for (const widget of [w.velocity, w.risk, w.badges]) expect(await widgetState(widget)).toBe("data");
  expect(refused.length).toBeGreaterThan(0); // the expired token really was refused…
  expect(minted).toContain(200); // …a new one was minted…
  expect(await page.locator("[data-state='error'], [data-state='not-allowed'], [role='alert']").count()).toBe(0); // …unseen
  expect(await readWidgets(page)).toEqual(await apiFigures(await apiSession(learner), learner.userId));
  expect(problems).toEqual([]);
  await close();
});

test("a plain HTML page with one script tag and <ms8-velocity> shows real data from the BFF", async () => {
  const learner = persona("learner", 1);
  const api = await apiSession(learner);
  // The third party's server would mint this with the user's session; here the test is that server.
  const embed = await fetch(`${stack().urls.edge}/api/v1/auth/embed-token`, {
    method: "POST",
    headers: { authorization: `Bearer ${api.token}`, "content-type": "application/json" },
    body: JSON.stringify({ learnerId: learner.userId }),
  }).then((r) => r.json() as Promise<{ token: string }>);
  const { origin, dir } = stack().thirdParty;
  // The bundle as the BFF serves it (versioned path, immutable), with its Subresource Integrity hash.
  const release = JSON.parse(readFileSync(new URL("../../widgets/dist/release.json", import.meta.url), "utf8")) as {
    path: string;
    files: Record<string, { integrity: string }>;
  };
  writeFileSync(
    join(dir, "plain.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A plain page</title></head><body>
<h1>Someone else's page</h1>
<script src="${stack().urls.edge}${release.path}ms8-widgets.js" integrity="${release.files["ms8-widgets.js"]?.integrity}" crossorigin="anonymous"></script>
<ms8-velocity learner-id="${learner.userId}" api-base="${stack().urls.edge}" token="${embed.token}"></ms8-velocity>
</body></html>`,
  );
  const { page, problems, close } = await openPage(browser, 800, 700);
  await page.goto(`${origin}/plain.html`);
  const velocity = page.locator("ms8-velocity");
  expect(await widgetState(velocity)).toBe("data");
  const v = await api.get<{ data: { currentPace: number } }>(`/api/v1/learners/${learner.userId}/velocity`);
  const shown = await velocity.locator('[part~="current-pace"] .metric-value').textContent();
  expect(shown?.trim()).toBe(asShown.pace(v.data.currentPace));
  await screenshot(page, "07-plain-third-party-page");
  expect(problems).toEqual([]);
  await close();
});
