/**
 * Embed tokens as a host page lives with them: one expires while the page is open, the BFF says
 * 401, the widgets ask `getToken()` once more and the dashboard mints a fresh one; nobody sees an
 * error. And the issue-2 promise: a plain third-party page with one script tag and one element
 * shows real data from the running BFF. And the "How to embed" setup, run as a page of its own,
 * shares one mint between the three widgets, also after a 401.
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
  signal,
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

test("the How to embed setup, run as a page of its own: one mint for three widgets, and one more after a 401", async () => {
  const learner = persona("learner", 0);
  const api = await apiSession(learner);
  // The snippet exactly as the dashboard prints it for this learner.
  const dashboard = await openPage(browser);
  await signIn(dashboard.page, learner);
  await dashboard.page.goto(`${stack().urls.dashboard}/#/embed`);
  const snippet = dashboard.page.locator("#snippet-html");
  await expect.poll(async () => (await snippet.textContent()) ?? "").toContain("integrity=");
  const setup = (await snippet.textContent())!;
  await dashboard.close();
  // docs/embedding.md teaches the same token handling (its getToken and fetch, line for line).
  const lines = (text: string) =>
    text
      .split("\n")
      .map((line) => line.trim())
      .join("\n");
  const tokenHandling = setup.slice(setup.indexOf("getToken: async"), setup.indexOf("</script>"));
  expect(lines(readFileSync(new URL("../../docs/embedding.md", import.meta.url), "utf8"))).toContain(
    lines(tokenHandling).replace(/\n\/\/ A failed or refused mint[^\n]*/, ""),
  );
  const { origin, dir } = stack().thirdParty;
  writeFileSync(
    join(dir, "embed-snippet.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The embed panel's setup</title></head><body>\n${setup}\n</body></html>`,
  );

  // This test is the host's server behind POST /ms8/embed-token. Its first token is one the BFF
  // has already seen expire (while the host believes it fresh: clock skew), so all three widgets
  // are refused it at once; later mints are real ones from the BFF.
  const now = Math.floor(Date.now() / 1000);
  const expired = signHs256(
    {
      sub: learner.userId,
      org: learner.orgId,
      roles: learner.roles,
      embed: { learnerId: learner.userId, widgets: ["velocity", "dropoff-risk", "gamification"] },
      iat: now - 120,
      exp: now - 1,
    },
    stack().secrets.JWT_SECRET,
  );
  const { page, problems, close } = await openPage(browser, 900, 900);
  let mints = 0;
  await page.route("**/ms8/embed-token*", async (route) => {
    mints += 1;
    if (mints === 1) {
      const expiresAt = new Date(Date.now() + 600_000).toISOString();
      return route.fulfill({ json: { token: expired, expiresAt, learnerId: learner.userId } });
    }
    const answer = await fetch(`${stack().urls.edge}/api/v1/auth/embed-token`, {
      method: "POST",
      headers: { authorization: `Bearer ${api.token}`, "content-type": "application/json" },
      body: JSON.stringify({ learnerId: new URL(route.request().url()).searchParams.get("learnerId") }),
    });
    return route.fulfill({ status: answer.status, json: await answer.json() });
  });
  const refused: string[] = [];
  page.on("response", (r) => {
    if (r.status() === 401 && r.url().includes("/api/v1/learners/")) refused.push(r.url());
  });
  await page.goto(`${origin}/embed-snippet.html`);
  const w = widgets(page);
  for (const widget of [w.velocity, w.risk, w.badges]) expect(await widgetState(widget)).toBe("data");
  expect(new Set(refused).size, "each widget was refused the expired token").toBe(3);
  expect(mints - 1, "mints after the 401: one, shared by the three widgets").toBe(1);
  expect(problems).toEqual([]);
  await close();
});

test("a learner opened while the previous learner's token is minting gets a token of their own", async () => {
  const admin = persona("org_admin", 0);
  const api = await apiSession(admin);
  const listed = await api.get<{ items: { learnerId: string }[] }>(
    `/api/v1/orgs/${admin.orgId}/at-risk?minLevel=low&limit=2`,
  );
  const [first, second] = listed.items.map((item) => item.learnerId);
  expect(second, "two learners the admin may open").toBeDefined();
  const { page, problems, close } = await openPage(browser);
  const mintFor = (r: { url(): string; method(): string; postData(): string | null }) =>
    r.url().endsWith("/api/v1/auth/embed-token") && r.method() === "POST"
      ? (JSON.parse(r.postData() ?? "{}") as { learnerId?: string }).learnerId
      : null;
  // The first learner's mint answers only once the second learner's widgets have asked for a token.
  const { promise: firstHeld, resolve: releaseFirst } = signal();
  const { promise: firstMintAsked, resolve: firstAsked } = signal();
  await page.route("**/api/v1/auth/embed-token", async (route) => {
    if (mintFor(route.request()) !== first) return route.fallback();
    firstAsked();
    const answer = await route.fetch();
    await firstHeld;
    await route.fulfill({ response: answer });
  });
  const widgetAnswers: { url: string; status: number }[] = [];
  page.on("response", (r) => {
    if (r.url().includes(`/api/v1/learners/${second}/`)) widgetAnswers.push({ url: r.url(), status: r.status() });
  });
  await signIn(page, admin);
  await page.evaluate((id) => {
    location.hash = `#/learners/${id}`;
  }, first!);
  await firstMintAsked;
  await page.evaluate((id) => {
    location.hash = `#/learners/${id}`;
  }, second!);
  const w = widgets(page);
  for (const tag of ["ms8-velocity", "ms8-dropoff-risk", "ms8-badges"])
    await page.locator(`${tag}[learner-id="${second}"]`).waitFor();
  // The second learner's widgets have started their loads (and so asked for a token) by the next frames.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const firstArrived = page.waitForResponse((r) => mintFor(r.request()) === first);
  releaseFirst();
  await firstArrived;
  for (const widget of [w.velocity, w.risk, w.badges]) expect(await widgetState(widget)).toBe("data");
  expect(widgetAnswers.filter((a) => a.status === 403)).toEqual([]);
  // The first learner's token, arriving last, is not kept for the learner now shown.
  const held = await page.evaluate(() => JSON.parse(sessionStorage.getItem("ms8-demo.embed-token") ?? "null"));
  expect(held?.learnerId).toBe(second);
  expect(problems).toEqual([]);
  await close();
});
