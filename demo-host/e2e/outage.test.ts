/**
 * The operator panel takes the Course Builder simulator down: the widgets keep showing the last
 * numbers with their "stale" label instead of an error, and show fresh numbers after recovery.
 * The stack runs with short cache and snapshot lifetimes (see global-setup.ts) so "hours later"
 * is seconds.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
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
afterAll(async () => {
  // Whatever happened, leave the simulator healthy for the files after this one.
  await fetch(`${stack().urls.simulatorAdmin}/__admin/faults`, { method: "DELETE" }).catch(() => {});
  await browser?.close();
});

const sources = (page: Page) =>
  Promise.all(
    ["ms8-velocity", "ms8-dropoff-risk"].map((tag) =>
      page
        .locator(`${tag} [part="freshness"]`)
        .getAttribute("data-source", { timeout: 500 })
        .then((source) => source ?? "fresh")
        .catch(() => "fresh"),
    ),
  );

async function reloadUntil(page: Page, wanted: (s: string[]) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  while (Date.now() < deadline) {
    await page.reload();
    const w = widgets(page);
    for (const widget of [w.velocity, w.risk]) expect(await widgetState(widget)).toBe("data");
    last = await sources(page);
    if (wanted(last)) return last;
    await page.waitForTimeout(1000);
  }
  throw new Error(`widgets still show ${last.join(", ")} after ${timeoutMs / 1000} s`);
}

test("with Course Builder down the widgets show stale data with the label, and fresh data after recovery", async () => {
  const learner = persona("learner", 2);
  const { page, problems, close } = await openPage(browser);
  await signIn(page, learner);
  const w = widgets(page);
  for (const widget of [w.velocity, w.risk]) expect(await widgetState(widget)).toBe("data");

  // Down, through the operator panel as a person would do it.
  await page.goto(`${stack().urls.dashboard}/#/operator`);
  const courseDown = page.locator('tr[data-service="course"] input[data-fault="down"]');
  await courseDown.check();
  await expect
    .poll(() => fetch(`${stack().urls.simulatorAdmin}/__admin/faults`).then((r) => r.json()), { timeout: 5000 })
    .toMatchObject({ course: { down: true } });
  await screenshot(page, "05-operator-course-down");

  await page.goto(`${stack().urls.dashboard}/#/me`);
  // Stale as soon as the BFF's copies of the Course Builder answers run out: seconds with the
  // suite's short lifetimes (global-setup.ts), at most the 60 s default of the upstream cache.
  const stale = await reloadUntil(page, (s) => s.every((x) => x === "stale_cache"), 75_000);
  expect(stale).toEqual(["stale_cache", "stale_cache"]);
  await expect(w.velocity.locator('[part="freshness"]').textContent()).resolves.toMatch(/updated/i);
  expect(await page.locator("[data-state='error']").count()).toBe(0);
  await screenshot(page, "06-stale-while-course-builder-down");

  // Recovery, again through the panel; the BFF's breaker probes again within its half-open delay
  // (10 s, restarted by every failed probe), so allow several of them on a loaded 2-core run.
  await page.goto(`${stack().urls.dashboard}/#/operator`);
  await courseDown.uncheck();
  // Up again as far as the simulator knows, and answering (so a failure below is the BFF's).
  await expect
    .poll(() => fetch(`${stack().urls.simulatorAdmin}/__admin/faults`).then((r) => r.json()), { timeout: 5000 })
    .not.toMatchObject({ course: { down: true } });
  await expect
    .poll(
      () =>
        fetch(`${stack().urls.simulator!.COURSE_MS_URL}/health`).then(
          (r) => r.status,
          () => 599,
        ),
      { timeout: 5000 },
    )
    .toBeLessThan(500);
  await page.goto(`${stack().urls.dashboard}/#/me`);
  const fresh = await reloadUntil(page, (s) => s.every((x) => x === "fresh"), 60_000);
  expect(fresh).toEqual(["fresh", "fresh"]);
  expect(problems).toEqual([]);
  await close();
}, 200_000);

test("a faults read started before a switch changed, arriving after the read that shows it, does not turn it back", async () => {
  const learner = persona("learner", 2);
  const { page, problems, close } = await openPage(browser);
  const admin = `${stack().urls.simulatorAdmin}/__admin/faults`;
  const devlabDown = page.locator('tr[data-service="devlab"] input[data-fault="down"]');
  // "Restore" on a service without a fault changes nothing, but reads the faults again, at once.
  const readAgain = () => page.locator('tr[data-service="skills"] button.link').click();
  try {
    await signIn(page, learner);
    await page.goto(`${stack().urls.dashboard}/#/operator`);
    await expect.poll(() => devlabDown.isEnabled()).toBe(true);
    expect(await devlabDown.isChecked()).toBe(false);
    // The next read answers with the faults as they are now (DevLab up), but only when released.
    const { promise: held, resolve: release } = signal();
    const { promise: staleReadTaken, resolve: staleRead } = signal();
    const { promise: staleDelivered, resolve: delivered } = signal();
    let armed = true;
    await page.route("**/__simulator/__admin/faults", async (route) => {
      if (!armed || route.request().method() !== "GET") return route.fallback();
      armed = false;
      const answer = await route.fetch();
      staleRead();
      await held;
      await route.fulfill({ response: answer });
      delivered();
    });
    await readAgain();
    await staleReadTaken;
    // DevLab goes down (as from another operator's tab): the switch turns on only when a read says so.
    const put = await fetch(`${admin}/devlab`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ down: true }),
    });
    expect(put.status).toBe(200);
    await readAgain();
    await expect.poll(() => devlabDown.isChecked()).toBe(true);
    // Now the read from before arrives last: the switch stays on, as DevLab is.
    release();
    await staleDelivered;
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await devlabDown.isChecked()).toBe(true);
    expect(problems).toEqual([]);
  } finally {
    await fetch(`${admin}/devlab`, { method: "DELETE" });
    await close();
  }
});
