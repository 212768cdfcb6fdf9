/**
 * The page-wide switches reach the widgets (theme and lang are the widgets' own attributes), and
 * the "How to embed" panel offers the exact setup of the page, ready to copy.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launchBrowser, openPage, persona, screenshot, signIn, stack, widgetState, widgets } from "./support.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

test("dark theme and Arabic reach the widgets, laid out right to left", async () => {
  const learner = persona("learner", 1);
  const { page, problems, close } = await openPage(browser);
  await signIn(page, learner);
  const w = widgets(page);
  expect(await widgetState(w.velocity)).toBe("data");
  await page.selectOption('select[name="theme"]', "dark");
  await page.selectOption('select[name="lang"]', "ar");
  for (const widget of [w.velocity, w.risk, w.badges]) {
    await expect.poll(() => widget.getAttribute("theme")).toBe("dark");
    expect(await widget.getAttribute("lang")).toBe("ar");
    expect(await widgetState(widget)).toBe("data");
    await expect.poll(() => widget.locator('[part="card"]').getAttribute("dir")).toBe("rtl");
  }
  expect(await page.evaluate(() => [document.documentElement.dir, document.documentElement.dataset.theme])).toEqual([
    "rtl",
    "dark",
  ]);
  // The AI's texts are asked for again in Arabic (Accept-Language): the forecast commentary and the
  // recommendations' reasons (course titles are the catalogue's own words).
  const arabicText = /^[\u0600-\u06FF]/;
  await expect.poll(async () => (await page.locator(".commentary").textContent())?.trim()).toMatch(arabicText);
  await expect
    .poll(async () => (await page.locator(".recommendations .reasoning").first().textContent())?.trim())
    .toMatch(arabicText);
  // Whatever server text is still English (a course title) keeps its own direction (dir="auto"), so
  // its full stop stays at the end.
  const serverText = page.locator(
    ".commentary, .recommendations strong, .recommendations .reasoning, .recommendations .outcomes li, ms8-dropoff-risk .factor-reason, ms8-dropoff-risk [part~=actions] li",
  );
  const seen = await serverText.evaluateAll((elements) =>
    elements.map((e) => ({
      text: e.textContent!.trim(),
      dir: e.getAttribute("dir"),
      direction: getComputedStyle(e).direction,
    })),
  );
  expect(seen.length).toBeGreaterThan(5);
  // The risk widget words the BFF's reasons and steps in Arabic from their messages (the catalogue
  // comes from the BFF beside the widgets); only the AI's texts stay English.
  const riskTexts = await page
    .locator("ms8-dropoff-risk .factor-reason, ms8-dropoff-risk [part~=actions] li")
    .evaluateAll((elements) => elements.map((e) => e.textContent!.trim()));
  expect(riskTexts.length).toBeGreaterThan(1);
  for (const text of riskTexts) expect(text, text).toMatch(/^[\u0600-\u06FF]/);
  for (const element of seen) {
    expect(element.dir, element.text).toBe("auto");
    if (/^[A-Za-z]/.test(element.text)) expect(element.direction, element.text).toBe("ltr");
  }
  // The page's own background really is dark, not just labelled so.
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
  expect((r! + g! + b!) / 3).toBeLessThan(60);
  await screenshot(page, "08-learner-dark-arabic");
  expect(problems).toEqual([]);
  await close();
});

test("the embed panel shows this page's exact setup and copies it", async () => {
  const learner = persona("learner", 0);
  const { page, close } = await openPage(browser);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack().urls.dashboard });
  await signIn(page, learner);
  await page.selectOption('select[name="theme"]', "light");
  await page.goto(`${stack().urls.dashboard}/#/embed`);
  const snippet = page.locator("#snippet-html");
  await snippet.waitFor();
  // The snippet embeds from the BFF's versioned path with the release's SRI hash, as a host should.
  const release = (await (await fetch(`${stack().urls.edge}/widgets/release.json`)).json()) as {
    path: string;
    files: Record<string, { integrity: string }>;
  };
  const tag = `<script src="${stack().urls.edge}${release.path}ms8-widgets.js"`;
  await expect.poll(async () => (await snippet.textContent()) ?? "").toContain(tag);
  const text = (await snippet.textContent()) ?? "";
  expect(text).toContain(`integrity="${release.files["ms8-widgets.js"]?.integrity}" crossorigin="anonymous"`);
  expect(text).toContain("CORS_ORIGINS");
  expect(text).toContain(`<ms8-velocity learner-id="${learner.userId}" theme="light"></ms8-velocity>`);
  expect(text).toContain(`apiBase: "${stack().urls.edge}"`);
  await page.click('button[data-copy="snippet-html"]');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(text);
  await screenshot(page, "09-how-to-embed");
  await close();
});

test("moving between views keeps the widgets' data (a cross-origin revalidation with If-None-Match)", async () => {
  const learner = persona("learner", 0);
  const { page, problems, close } = await openPage(browser);
  await signIn(page, learner);
  const w = widgets(page);
  for (const widget of [w.velocity, w.risk, w.badges]) expect(await widgetState(widget)).toBe("data");
  const revalidated: number[] = [];
  page.on("response", (r) => {
    if (r.url().includes("/api/v1/learners/") && r.request().headers()["if-none-match"]) revalidated.push(r.status());
  });
  // Same document, new elements: they ask again with the ETag they saw; a 304 must reach them, so
  // it needs the CORS headers too (hono/etag keeps only RETAINED_304_HEADERS on a 304 unless told).
  await page.click('a[href="#/embed"]');
  await page.locator("#snippet-html").waitFor();
  await page.click('a[href="#/me"]');
  for (const widget of [w.velocity, w.risk, w.badges]) expect(await widgetState(widget)).toBe("data");
  expect(revalidated.length).toBeGreaterThan(0);
  expect(problems).toEqual([]);
  await close();
});

test("at 320 px the header stays compact and the at-risk list fits: nothing cut off, no sideways scroll", async () => {
  const trainer = persona("trainer", 0);
  const { page, problems, close } = await openPage(browser, 320, 800);
  await signIn(page, trainer);
  await page.waitForURL(/#\/org$/);
  await page.locator("table.at-risk tbody tr[data-learner-id]").first().waitFor();
  const fits = await page.evaluate(() => {
    const inside = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.left >= 0 && r.right <= document.documentElement.clientWidth + 0.5 && r.width > 0;
    };
    const header = document.querySelector(".topbar")!;
    return {
      pageScrollsSideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      headerHeight: header.getBoundingClientRect().height,
      headerSticky: getComputedStyle(header).position === "sticky",
      tabsInside: [...document.querySelectorAll(".mainnav a")].every(inside),
      userNameShown: inside(document.querySelector(".user-name")!),
      cellsInside: [...document.querySelectorAll("table.at-risk tbody tr[data-learner-id] > *")].every(inside),
      tableScrolls: (() => {
        const wrap = document.querySelector(".table-wrap")!;
        return wrap.scrollWidth > wrap.clientWidth;
      })(),
    };
  });
  expect(fits).toMatchObject({
    pageScrollsSideways: false,
    headerSticky: false,
    tabsInside: true,
    userNameShown: true,
    cellsInside: true,
    tableScrolls: false,
  });
  expect(fits.headerHeight).toBeLessThan(180);
  await screenshot(page, "10-org-320px");
  expect(problems).toEqual([]);
  await close();
});
