/**
 * Who may see what, as a person meets it in the dashboard: a learner who opens another learner's
 * page gets the widgets' "not allowed" state and no data; the trainer's at-risk list pages through
 * all of the trainer's learners with the API's cursor, without repeats or gaps, and holds no
 * learner the trainer may not open.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  apiSession,
  launchBrowser,
  openPage,
  persona,
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

test.each([
  ["in the same organization", 0],
  ["in another organization", 1],
])("a learner opening another learner's page %s sees 'not allowed' and no data", async (_, orgIndex) => {
  const learner = persona("learner", 0);
  const org = stack().personas.organizations[orgIndex]!;
  const other = org.learnerIds.find((id) => id !== learner.userId)!;
  const { page, problems, close } = await openPage(browser);
  await signIn(page, learner);
  await page.goto(`${stack().urls.dashboard}/#/learners/${other}`);
  const w = widgets(page);
  for (const widget of [w.velocity, w.risk, w.badges]) {
    expect(await widgetState(widget)).toBe("not-allowed");
    // No figure of the other learner anywhere in the widget.
    expect(await widget.locator(".metric-value, .figure-value, .gauge-value, [data-state='data']").count()).toBe(0);
  }
  // The dashboard's own cards (forecast, recommendations) refuse too, with nothing of the learner.
  await page.locator(".refusal").nth(1).waitFor();
  expect(await page.locator("[data-field], .recommendations li").count()).toBe(0);
  await screenshot(page, `04-not-allowed-${orgIndex === 0 ? "same-org" : "other-org"}`);
  expect(problems).toEqual([]);
  await close();
});

test("a trainer opening a learner of another organization sees 'not allowed', never 'session ended'", async () => {
  const trainer = persona("trainer", 0);
  const other = stack().personas.organizations.find((o) => o.orgId !== trainer.orgId)!.learnerIds[0]!;
  const { page, problems, close } = await openPage(browser);
  await signIn(page, trainer);
  await page.goto(`${stack().urls.dashboard}/#/learners/${other}`);
  const w = widgets(page);
  for (const widget of [w.velocity, w.risk, w.badges]) {
    expect(await widgetState(widget)).toBe("not-allowed");
    const state = widget.locator('[data-state="not-allowed"]');
    expect(await state.getAttribute("data-status")).not.toBe("401");
    expect(await state.textContent()).not.toMatch(/session has ended/i);
  }
  expect(problems).toEqual([]);
  await close();
});

test("a malformed learner id in the address says so, and asks nothing of the BFF", async () => {
  const trainer = persona("trainer", 0);
  const { page, problems, close } = await openPage(browser);
  await signIn(page, trainer);
  const asked: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/v1/learners/") || r.url().includes("embed-token")) asked.push(r.url());
  });
  await page.goto(`${stack().urls.dashboard}/#/learners/..%2Fx`);
  const refusal = page.locator('[data-refusal="bad-id"]');
  await refusal.waitFor();
  expect(await refusal.textContent()).toContain("“../x” is not a learner id");
  expect(await page.locator("ms8-velocity, ms8-dropoff-risk, ms8-badges").count()).toBe(0);
  expect(asked).toEqual([]);
  expect(problems).toEqual([]);
  await close();
});

test("the trainer's at-risk list pages through their learners without repeats or gaps, and only theirs", async () => {
  const trainer = persona("trainer", 0);
  const api = await apiSession(trainer);
  const summary = await api.get<{ byRiskLevel: Record<string, number>; scope: string }>(
    `/api/v1/orgs/${trainer.orgId}/summary`,
  );
  expect(summary.scope).toBe("trainer");
  const everyone = Object.values(summary.byRiskLevel).reduce((a, b) => a + b, 0);

  const { page, problems, close } = await openPage(browser);
  await signIn(page, trainer);
  await page.waitForURL(/#\/org$/);
  expect(await page.locator("h1").textContent()).toContain("Your learners");
  // Every level ("low" and up) and the largest page the dashboard offers keep the walk short.
  await page.selectOption('select[name="limit"]', "50");
  await page.selectOption('select[name="minLevel"]', "low");
  const seen: string[] = [];
  const rows = page.locator("table.at-risk tbody tr[data-learner-id]");
  for (let pageNumber = 1; ; pageNumber++) {
    await page
      .locator(".pager [aria-live]")
      .filter({ hasText: `Page ${pageNumber}` })
      .waitFor();
    await page.locator('.table-wrap[aria-busy="false"]').first().waitFor();
    await rows.first().waitFor();
    seen.push(...(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-learner-id")!))));
    const next = page.locator('button[data-page="next"]');
    if (await next.isDisabled()) break;
    await next.click();
  }
  expect(seen.length).toBeGreaterThan(50); // really several pages of the cursor
  expect(new Set(seen).size).toBe(seen.length); // no repeats
  expect(seen.length).toBe(everyone); // no gaps: every learner the summary counts
  // And they are the organization's learners, the trainer may open the ones listed, and the ones
  // left out are learners of courses others train.
  const org = stack().personas.organizations.find((o) => o.orgId === trainer.orgId)!;
  expect(seen.every((id) => org.learnerIds.includes(id))).toBe(true);
  const left = org.learnerIds.filter((id) => !seen.includes(id));
  expect(left.length).toBeGreaterThan(0);
  for (const id of [...seen.slice(0, 3), ...seen.slice(-2)]) {
    expect(await api.status(`/api/v1/learners/${id}/velocity`), id).toBe(200);
  }
  for (const id of left.slice(0, 3)) expect(await api.status(`/api/v1/learners/${id}/velocity`), id).toBe(403);
  expect(problems).toEqual([]);
  await close();
});

test("the at-risk list keeps the API's order (level, then score) across pages and claims no page-only sort", async () => {
  const admin = persona("org_admin", 0);
  const api = await apiSession(admin);
  const { page, close } = await openPage(browser);
  await signIn(page, admin);
  const rows = page.locator("table.at-risk tbody tr[data-learner-id]");
  await rows.first().waitFor();
  // A sort of one page would say (aria-sort, a button) that the list is in an order page 2 breaks.
  expect(await page.locator("table.at-risk [aria-sort], table.at-risk thead button").count()).toBe(0);
  // Every learner, so the list has several pages.
  await page.selectOption('select[name="minLevel"]', "low");
  const minLevel = "low";
  const ids = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-learner-id")!));
  type Page = { items: { learnerId: string }[]; nextCursor: string | null };
  const first = await api.get<Page>(`/api/v1/orgs/${admin.orgId}/at-risk?minLevel=${minLevel}&limit=10`);
  await rows.nth(first.items.length - 1).waitFor(); // the longer list of every level has arrived
  expect(await ids()).toEqual(first.items.map((item) => item.learnerId));
  expect(first.nextCursor, "the organization has a second page").not.toBeNull();
  const second = await api.get<Page>(
    `/api/v1/orgs/${admin.orgId}/at-risk?minLevel=${minLevel}&limit=10&cursor=${encodeURIComponent(first.nextCursor!)}`,
  );
  await page.click('button[data-page="next"]');
  await page.locator(".pager [aria-live]").filter({ hasText: "Page 2" }).waitFor();
  await page.locator('.table-wrap[aria-busy="false"]').first().waitFor();
  await page.locator(`table.at-risk tbody tr[data-learner-id="${second.items[0]!.learnerId}"]`).waitFor();
  expect(await ids()).toEqual(second.items.map((item) => item.learnerId));
  await close();
});

test("a level chosen while the first page loads is the list shown, even when the first answer arrives last", async () => {
  const admin = persona("org_admin", 0);
  const api = await apiSession(admin);
  const { page, problems, close } = await openPage(browser);
  // Hold the default list's answer (High and up) until the one for every level has been shown.
  const { promise: highHeld, resolve: releaseHigh } = signal();
  const { promise: highAsked, resolve: heldAsked } = signal();
  await page.route(/\/at-risk\?.*minLevel=high/, async (route) => {
    heldAsked();
    const answer = await route.fetch();
    await highHeld;
    await route.fulfill({ response: answer });
  });
  await signIn(page, admin);
  await highAsked;
  const everyLevel = page.waitForResponse((r) => /\/at-risk\?.*minLevel=low/.test(r.url()));
  await page.selectOption('select[name="minLevel"]', "low");
  await everyLevel;
  const rows = page.locator("table.at-risk tbody tr[data-learner-id]");
  const expected = await api.get<{ items: { learnerId: string }[] }>(
    `/api/v1/orgs/${admin.orgId}/at-risk?minLevel=low&limit=10`,
  );
  await rows.nth(expected.items.length - 1).waitFor();
  const ids = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-learner-id")!));
  expect(await ids()).toEqual(expected.items.map((item) => item.learnerId));
  // Now the stale answer arrives; the list stays the one the select says.
  const staleArrived = page.waitForResponse((r) => /\/at-risk\?.*minLevel=high/.test(r.url()));
  releaseHigh();
  await staleArrived;
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await page.locator('select[name="minLevel"]').inputValue()).toBe("low");
  expect(await ids()).toEqual(expected.items.map((item) => item.learnerId));
  expect(problems).toEqual([]);
  await close();
});

test("the next user signed in to the tab sees their own summary, even when the previous user's answers arrive last", async () => {
  const admin = persona("org_admin", 0);
  const trainer = persona("trainer", 0);
  type Summary = { learnerCount: number };
  const [adminSummary, trainerSummary] = await Promise.all(
    [admin, trainer].map(async (who) => (await apiSession(who)).get<Summary>(`/api/v1/orgs/${who.orgId}/summary`)),
  );
  expect(trainerSummary!.learnerCount, "a trainer's summary counts fewer learners").not.toBe(
    adminSummary!.learnerCount,
  );
  const { page, problems, close } = await openPage(browser);
  // Hold the admin's summary and AI usage until the trainer's summary is on screen.
  const orgFigures = /\/api\/v1\/orgs\/[^/]+\/(summary|ai-usage)$/;
  const { promise: held, resolve: release } = signal();
  const asked = new Set<string>();
  const { promise: bothAsked, resolve: adminAsked } = signal();
  await page.route(orgFigures, async (route) => {
    const kind = route.request().url().split("/").pop()!;
    if (asked.has(kind)) return route.fallback();
    asked.add(kind);
    if (asked.size === 2) adminAsked();
    const answer = await route.fetch();
    await held;
    await route.fulfill({ response: answer });
  });
  await signIn(page, admin);
  await bothAsked;
  await page.locator("button.signout").click();
  // The trainer signs in on the same page (no reload: the admin's requests are still on their way).
  await page.locator(`button.persona[data-email="${trainer.email}"]`).click();
  await page.locator("#sign-in-submit").click();
  const learnerCount = page.locator('[data-stat="learnerCount"]');
  const shownCount = async () => Number((await learnerCount.textContent())?.replaceAll(",", ""));
  await learnerCount.waitFor();
  expect(await shownCount()).toBe(trainerSummary!.learnerCount);
  const staleArrived = Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/summary")),
    page.waitForResponse((r) => r.url().endsWith("/ai-usage")),
  ]);
  release();
  await staleArrived;
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await shownCount()).toBe(trainerSummary!.learnerCount);
  expect(await page.locator('[data-stat="calls"]').count(), "no AI usage card for a trainer").toBe(0);
  expect(problems).toEqual([]);
  await close();
});

test("a refusal (401) of the previous user's request does not sign out the user who signed in since", async () => {
  const admin = persona("org_admin", 0);
  const trainer = persona("trainer", 0);
  const { page, close } = await openPage(browser);
  // The admin's summary is held, then refused as an expired session would be, once the trainer is in.
  const { promise: held, resolve: release } = signal();
  const { promise: adminAsked, resolve: asked } = signal();
  let first = true;
  await page.route(/\/api\/v1\/orgs\/[^/]+\/summary$/, async (route) => {
    if (!first) return route.fallback();
    first = false;
    asked();
    await held;
    await route.fulfill({
      status: 401,
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "about:blank", title: "Unauthorized", status: 401, detail: "token expired" }),
    });
  });
  await signIn(page, admin);
  await adminAsked;
  await page.locator("button.signout").click();
  await page.locator(`button.persona[data-email="${trainer.email}"]`).click();
  await page.locator("#sign-in-submit").click();
  await page.locator('[data-stat="learnerCount"]').waitFor();
  const refused = page.waitForResponse((r) => r.url().endsWith("/summary") && r.status() === 401);
  release();
  await refused;
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  // Still the trainer's dashboard: no trip back to sign-in with "your session ended".
  expect(page.url()).toMatch(/#\/org$/);
  expect(await page.locator('[data-stat="learnerCount"]').count()).toBe(1);
  await close();
});

test("the keyboard reaches each at-risk learner as a link named by the learner, and Enter opens them", async () => {
  const admin = persona("org_admin", 0);
  const { page, close } = await openPage(browser);
  await signIn(page, admin);
  const firstRow = page.locator("table.at-risk tbody tr[data-learner-id]").first();
  await firstRow.waitFor();
  const id = (await firstRow.getAttribute("data-learner-id"))!;
  const name = (await firstRow.locator("th a").textContent())!.trim();
  // Tab on from the list's last control until focus enters the table's body, as a keyboard user would.
  await page.focus('select[name="limit"]');
  for (let presses = 0; presses < 10; presses++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => Boolean(document.activeElement?.closest("table.at-risk tbody")))) break;
  }
  expect(await page.evaluate(() => document.activeElement?.localName)).toBe("a");
  // The focused element is the link whose accessible name (as assistive technology computes it) is the learner's.
  const link = page.getByRole("link", { name, exact: true });
  expect(await link.evaluate((a) => a === document.activeElement)).toBe(true);
  await page.keyboard.press("Enter");
  await page.waitForURL(new RegExp(`#/learners/${id}$`));
  await close();
});
