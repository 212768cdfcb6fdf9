/**
 * Each demo persona signs in through the dashboard, and what the widgets and panels show equals
 * what the API answers that persona. Screenshots of each view go to .artifacts/demo-host/.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiFigures, apiSession, launchBrowser, openPage, readWidgets, screenshot, signIn, stack } from "./support.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

test("the demo page loads in Chromium and offers the personas", async () => {
  const { page, problems, close } = await openPage(browser);
  await page.goto(stack().urls.dashboard);
  await expect(page.locator("h1").first().textContent()).resolves.toBe("Sign in");
  const cards = await page.locator("button.persona").count();
  expect(cards).toBe(stack().personas.personas.length);
  await screenshot(page, "01-sign-in");
  expect(problems).toEqual([]);
  await close();
});

test("a malformed email gets a sentence in the page's words, not the validator's", async () => {
  const { page, close } = await openPage(browser);
  await page.goto(`${stack().urls.dashboard}/#/sign-in`);
  await page.fill('input[name="email"]', "not-an-email");
  await page.fill('input[name="password"]', "anything");
  await page.click("#sign-in-submit");
  const alert = page.locator('.sign-in-card [role="alert"]');
  await alert.waitFor();
  const shown = (await alert.textContent()) ?? "";
  expect(shown).toMatch(/valid email address/);
  expect(shown).not.toMatch(/body\.|Invalid email/);
  await close();
});

test("a wrong password is refused in the dashboard's words and nothing else happens", async () => {
  const { page, close } = await openPage(browser);
  await page.goto(`${stack().urls.dashboard}/#/sign-in`);
  const learner = stack().personas.personas.find((p) => p.role === "learner")!;
  await page.fill('input[name="email"]', learner.email);
  await page.fill('input[name="password"]', "not-the-password");
  await page.click("#sign-in-submit");
  await expect(page.locator('.sign-in-card [role="alert"]').textContent()).resolves.toMatch(/wrong/i);
  expect(await page.locator("button.signout").count()).toBe(0);
  await close();
});

describe.each(stack().personas.personas.map((p) => [`${p.role} of ${p.orgId}`, p] as const))("%s", (_, who) => {
  test("signs in and sees the API's numbers", async () => {
    const { page, problems, close } = await openPage(browser);
    await signIn(page, who);
    const api = await apiSession(who);
    let learnerId = who.userId;
    if (who.role === "learner") {
      await page.waitForURL(/#\/me$/);
    } else {
      // Staff land on the organization: the summary equals the API's, then a row opens a learner.
      await page.waitForURL(/#\/org$/);
      const summary = await api.get<{
        learnerCount: number;
        atRiskCount: number;
        activeLearners7d?: number;
        events7d?: number;
        badgesAwarded?: number;
      }>(`/api/v1/orgs/${who.orgId}/summary`);
      await page.locator('[data-stat="learnerCount"]').waitFor();
      expect(Number((await page.locator('[data-stat="learnerCount"]').textContent())?.replaceAll(",", ""))).toBe(
        summary.learnerCount,
      );
      expect(Number((await page.locator('[data-stat="atRiskCount"]').textContent())?.replaceAll(",", ""))).toBe(
        summary.atRiskCount,
      );
      // Labelled for what it counts (high and critical), beside the API's other figures.
      expect(await page.locator('dt:has(+ [data-stat="atRiskCount"])').textContent()).toBe("High or critical risk");
      for (const key of ["activeLearners7d", "events7d", "badgesAwarded"] as const) {
        if (typeof summary[key] !== "number") continue;
        const shown = await page.locator(`[data-stat="${key}"]`).textContent();
        expect(Number(shown?.replaceAll(",", ""))).toBe(summary[key]);
      }
      // "Learners at risk" lists, by default, exactly the learners the summary counts as high or critical.
      await page.locator("table.at-risk tbody :is(tr[data-learner-id], td.empty)").first().waitFor();
      const rowsShown = page.locator("table.at-risk tbody tr[data-learner-id]");
      expect(await page.inputValue('select[name="minLevel"]')).toBe("high");
      expect(await rowsShown.count()).toBe(Math.min(summary.atRiskCount, 10));
      expect(await page.locator('button[data-page="next"]').isDisabled()).toBe(summary.atRiskCount <= 10);
      // Every learner from here on (a trainer's may hold none at high risk). The page's own answer is
      // kept: the suite's snapshots live 2 s, so a second ask may already carry newer figures.
      const everyLevel = page.waitForResponse((r) => /\/at-risk\?.*minLevel=low/.test(r.url()));
      await page.selectOption('select[name="minLevel"]', "low");
      const answered = (await (await everyLevel).json()) as { items: { learnerId: string; calculatedAt: string }[] };
      expect(answered.items.length).toBeGreaterThan(0);
      const firstRow = rowsShown.first();
      // Shown once the first row is the answer's first learner (until then it may be the High list's).
      await expect.poll(() => firstRow.getAttribute("data-learner-id")).toBe(answered.items[0]?.learnerId);
      // The top factor in the API's words, never the machine name.
      const factorCell = firstRow.locator("td[data-factor]");
      const machineName = await factorCell.getAttribute("data-factor");
      const labels: Record<string, string> = {
        missedWork: "Missed work",
        lateWork: "Late hand-ins",
        scoreShortfall: "Scores",
        studyLoad: "Study load",
        courseWeek: "Time in the course",
      };
      if (machineName) expect(await factorCell.textContent()).toBe(labels[machineName]);
      // Each row says when its numbers were computed: the API's calculatedAt for that learner.
      const asOf = firstRow.locator(".as-of");
      expect(await asOf.getAttribute("data-calculated-at")).toBe(answered.items[0]?.calculatedAt);
      expect(await asOf.textContent()).toMatch(/^as of \S/);
      if (who.role === "org_admin") {
        await page.locator('[data-stat="calls"]').waitFor();
        await screenshot(page, `02-org-admin-${who.orgId}`);
      } else await screenshot(page, `02-trainer-${who.orgId}`);
      // A trainer's list holds only the learners they may read (those of the courses they train,
      // by the Directory), so every row on the page opens; the first one is opened below.
      const ids = await page
        .locator("table.at-risk tbody tr[data-learner-id]")
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-learner-id")!));
      const readable = await Promise.all(ids.map((id) => api.status(`/api/v1/learners/${id}/velocity`)));
      expect(readable).toEqual(ids.map(() => 200));
      learnerId = ids[0]!;
      expect(learnerId).toBeDefined();
      await page.locator(`table.at-risk tbody tr[data-learner-id="${learnerId}"]`).click();
      await page.waitForURL(new RegExp(`#/learners/${learnerId}$`));
    }
    const shown = await readWidgets(page);
    expect(shown).toEqual(await apiFigures(api, learnerId));
    // A persona learner has a history: real figures, not an empty state.
    if (who.role === "learner") expect(Object.values(shown).every((w) => typeof w === "object")).toBe(true);
    // The forecast card is the dashboard's own call with the session: its date equals the API's.
    await page.locator('[data-field="projectedCompletion"]').waitFor();
    // Its commentary is written for whoever reads it: to the learner, about the learner to staff.
    const commentary = (await page.locator(".commentary").textContent()) ?? "";
    if (who.role === "learner") expect(commentary).toMatch(/\byour?\b/i);
    else expect(commentary).not.toMatch(/\byour?\b/i);
    // So are the risk widget's next steps: the learner's own, or the trainer's first.
    const actionLabels = await page.locator("ms8-dropoff-risk .action-label").allTextContents();
    expect(actionLabels).toEqual(who.role === "learner" ? ["For you"] : ["For the trainer", "For the learner"]);
    await screenshot(page, `03-learner-view-as-${who.role}-${who.orgId}`);
    expect(problems).toEqual([]);
    await close();
  });
});
