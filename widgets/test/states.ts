/**
 * The states every widget must show, run for each of the three tags: loading skeleton (final
 * height), data in both themes, empty, error with retry, the three not-allowed answers, the
 * freshness label, RTL, and an axe check in every one of them.
 */
import { expect, fixture, waitUntil } from "@open-wc/testing";
import { html as staticHtml, unsafeStatic } from "lit/static-html.js";
import type { Ms8Element } from "../src/shared/base-element.ts";
import { apiBase, eventFromLearner, learner, part, requestsFor, text, useFakeApi, waitForState } from "./helpers.ts";

export type AnyWidget = Ms8Element<unknown> & HTMLElement;

export function mountWidget(tag: string, learnerId: string, attrs: { lang?: string; theme?: string } = {}) {
  const name = unsafeStatic(tag);
  return fixture<HTMLDivElement>(
    staticHtml`<div class="frame">
      <${name} learner-id=${learnerId} api-base=${apiBase} lang=${attrs.lang ?? "en"} theme=${attrs.theme ?? "light"}></${name}>
    </div>`,
  ).then((frame) => frame.firstElementChild as AnyWidget);
}

// A fixed width so heights compare like for like.
const frameStyle = new CSSStyleSheet();
frameStyle.replaceSync(".frame { width: 380px; }");
document.adoptedStyleSheets = [...document.adoptedStyleSheets, frameStyle];

/** `zero-ledger`: the widget has no empty state; a learner with nothing yet sees honest zeros. */
export function describeStates(tag: string, resource: string, options: { empty?: "state" | "zero-ledger" } = {}) {
  describe(`<${tag}> states`, () => {
    beforeEach(() => useFakeApi());

    it("loading: a skeleton with the final height, then data with no layout shift", async () => {
      const el = await mountWidget(tag, learner("slow"));
      expect(part(el, "skeleton"), "skeleton while loading").to.exist;
      expect(part(el, "skeleton")!.getAttribute("aria-busy")).to.equal("true");
      const loadingHeight = el.getBoundingClientRect().height;
      await expect(el).to.be.accessible();
      await waitForState(el, "data");
      expect(el.getBoundingClientRect().height).to.equal(loadingHeight);
    });

    for (const theme of ["light", "dark"]) {
      it(`data (${theme} theme): fires ms8-data and passes axe`, async () => {
        const id = learner("ok");
        const dataEvent = eventFromLearner<{ data: { learnerId: string } }>(id, "ms8-data");
        const el = await mountWidget(tag, id, { theme });
        const event = await dataEvent;
        expect(event.bubbles && event.composed).to.equal(true);
        expect(event.detail.data.learnerId).to.equal(id);
        await waitForState(el, "data");
        expect(part(el, "freshness"), "live data has no freshness label").to.equal(null);
        const [request] = await requestsFor(id);
        expect(request!.path).to.equal(`/api/v1/learners/${id}/${resource}`);
        await expect(el).to.be.accessible();
      });
    }

    if (options.empty === "zero-ledger") {
      it("nothing earned yet: zero points shown honestly, never 'no enrolments'", async () => {
        const el = await mountWidget(tag, learner("empty"));
        await waitForState(el, "data");
        expect(part(el, "no-points")!.textContent).to.match(/No points yet/);
        expect(text(el)).not.to.match(/enrolment/i);
        await expect(el).to.be.accessible();
      });
    } else {
      it("empty: explains there are no enrolments yet", async () => {
        const el = await mountWidget(tag, learner("empty"));
        await waitForState(el, "empty");
        expect(part(el, "empty")!.textContent).to.match(/No enrolments yet/);
        await expect(el).to.be.accessible();
      });
    }

    it("error in the dark theme passes axe (retry button contrast)", async () => {
      const el = await mountWidget(tag, learner("broken"), { theme: "dark" });
      await waitForState(el, "error");
      expect(part(el, "error-detail")!.textContent).to.equal("The analytics database did not answer in time.");
      await expect(el).to.be.accessible();
    });

    it("error: shows the problem's detail, fires ms8-error and recovers with the retry button", async () => {
      const id = learner("flaky");
      const errorEvent = eventFromLearner<{ status: number; detail: string }>(id, "ms8-error");
      const el = await mountWidget(tag, id);
      const event = await errorEvent;
      expect(event.detail.status).to.equal(503);
      await waitForState(el, "error");
      expect(part(el, "error-detail")!.textContent).to.equal("The analytics service is restarting.");
      await expect(el).to.be.accessible();
      const retry = part(el, "retry-button") as HTMLButtonElement;
      retry.focus();
      expect(el.shadowRoot!.activeElement, "the retry button takes keyboard focus").to.equal(retry);
      retry.click();
      await waitForState(el, "data");
    });

    const notAllowed = [
      ["forbidden", 403, /do not have permission/],
      ["unknown", 404, /no learner with this ID/],
    ] as const;
    for (const [scenario, status, words] of notAllowed) {
      it(`not allowed (${status}): its own message`, async () => {
        const el = await mountWidget(tag, learner(scenario));
        const state = await waitForState(el, "not-allowed");
        expect(state.getAttribute("data-status")).to.equal(String(status));
        expect(text(el)).to.match(words);
        expect(part(el, "retry-button")).to.equal(null);
        await expect(el).to.be.accessible();
      });
    }

    it("not allowed (401): asks to sign in again when no token is accepted", async () => {
      useFakeApi("expired-and-stays-expired");
      const el = await mountWidget(tag, learner("ok"));
      const state = await waitForState(el, "not-allowed");
      expect(state.getAttribute("data-status")).to.equal("401");
      expect(text(el)).to.match(/Sign in again/);
      await expect(el).to.be.accessible();
    });

    it('stale data: "Updated 3 hr. ago"', async () => {
      const el = await mountWidget(tag, learner("stale"));
      await waitForState(el, "data");
      expect(part(el, "freshness")!.textContent!.trim()).to.equal("Updated 3 hr. ago");
      await expect(el).to.be.accessible();
    });

    it('mock data: "Sample data"', async () => {
      const el = await mountWidget(tag, learner("mock"));
      await waitForState(el, "data");
      expect(part(el, "freshness")!.textContent!.trim()).to.equal("Sample data");
    });

    it("German: text from the de catalogue, numbers through Intl", async () => {
      const el = await mountWidget(tag, learner("stale"), { lang: "de" });
      await waitForState(el, "data");
      expect(part(el, "freshness")!.textContent!.trim()).to.match(/^Aktualisiert vor 3 Std\.$/);
      expect(part(el, "card")!.getAttribute("dir")).to.equal("ltr");
    });

    it("Arabic: right to left, Arabic text and digits, still accessible", async () => {
      const el = await mountWidget(tag, learner("ok"), { lang: "ar" });
      await waitForState(el, "data");
      const card = part(el, "card") as HTMLElement;
      expect(card.getAttribute("dir")).to.equal("rtl");
      expect(getComputedStyle(card).direction).to.equal("rtl");
      expect(text(el)).to.match(/[\u0600-\u06FF]/);
      await expect(el).to.be.accessible();
    });

    it("fits 280 px without horizontal overflow", async () => {
      const el = await mountWidget(tag, learner("ok"));
      (el.parentElement as HTMLElement).style.width = "280px";
      await waitForState(el, "data");
      await waitUntil(() => el.getBoundingClientRect().width === 280);
      const card = part(el, "card") as HTMLElement;
      // Chart.js follows the new width through a ResizeObserver, a frame or two later: wait for the
      // layout to settle, and fail if it never fits.
      await waitUntil(() => card.scrollWidth <= card.clientWidth, "the card still overflows at 280 px", {
        timeout: 3000,
      });
      expect(card.scrollWidth).to.be.at.most(card.clientWidth);
    });
  });
}
