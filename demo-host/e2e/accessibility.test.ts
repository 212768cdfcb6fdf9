/**
 * The dashboard's own pages pass an axe check (WCAG 2.1 A and AA rules) in light and dark, widgets
 * included (axe reads open shadow roots). One deliberately broken page proves the check can fail.
 */
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launchBrowser, openPage, persona, signIn, stack, widgetState, widgets } from "./support.ts";

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axeSource });
  const result = await page.evaluate(() =>
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page at run time
    (window as any).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    }),
  );
  return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[]).map(
    (v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

test.each(["light", "dark"] as const)(
  "sign-in, learner and organization views have no WCAG violations (%s)",
  async (theme) => {
    const { page, close } = await openPage(browser);
    await page.goto(`${stack().urls.dashboard}/#/sign-in`);
    await page.selectOption('select[name="theme"]', theme);
    expect(await violations(page)).toEqual([]);

    await signIn(page, persona("learner", 0));
    const w = widgets(page);
    for (const widget of [w.velocity, w.risk, w.badges]) await widgetState(widget);
    await page.locator('[data-field="projectedCompletion"]').waitFor();
    expect(await violations(page)).toEqual([]);
    await close();

    const admin = await openPage(browser);
    await admin.page.goto(`${stack().urls.dashboard}/#/sign-in`);
    await admin.page.selectOption('select[name="theme"]', theme);
    await signIn(admin.page, persona("org_admin", 0));
    await admin.page.locator("table.at-risk tbody tr[data-learner-id]").first().waitFor();
    await admin.page.locator('[data-stat="calls"]').waitFor();
    expect(await violations(admin.page)).toEqual([]);
    await admin.close();
  },
);

test("the check fails on a page with a broken control", async () => {
  const { page, close } = await openPage(browser);
  await page.setContent('<html lang="en"><body><main><button></button><img src="x.png"></main></body></html>');
  const found = await violations(page);
  expect(found.some((v) => v.includes("button-name"))).toBe(true);
  expect(found.some((v) => v.includes("image-alt"))).toBe(true);
  await close();
});
