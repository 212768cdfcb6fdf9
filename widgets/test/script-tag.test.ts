/**
 * The built `dist/ms8-widgets.js` in real pages (iframes) served with a strict CSP: no inline
 * script or style, no eval. Needs `pnpm build` first (the root test run builds before testing).
 */
import { expect, waitUntil } from "@open-wc/testing";
import { apiBase, learner, requestsFor } from "./helpers.ts";

interface Probe {
  violations: string[];
  evalViolations: number;
  errors: string[];
  evalBlocked: boolean;
  ms8Errors: { tag: string; status: number; title?: string; detail: string }[];
}
type PageWindow = Window & { __ms8Probe: Probe; MS8?: { configure: unknown; version?: string } };
type ChartWidget = HTMLElement & { chart?: { destroy(): void } };

async function openPage(page: string, learnerId: string, tags?: string, extra = ""): Promise<HTMLIFrameElement> {
  const frame = document.createElement("iframe");
  frame.style.width = "420px";
  frame.style.height = "900px";
  frame.src = `/test/pages/${page}?api=${encodeURIComponent(apiBase)}&learner=${learnerId}${tags ? `&tags=${tags}` : ""}${extra}`;
  const loaded = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return frame;
}

const stateOf = (element: Element | null) =>
  element?.shadowRoot?.querySelector("[data-state]")?.getAttribute("data-state");

async function expectAllShowData(frame: HTMLIFrameElement) {
  const doc = frame.contentDocument!;
  for (const tag of ["ms8-velocity", "ms8-dropoff-risk", "ms8-badges"]) {
    await waitUntil(() => stateOf(doc.querySelector(tag)) === "data", `${tag} never showed data`, { timeout: 8000 });
  }
  const velocity = doc.querySelector("ms8-velocity") as ChartWidget;
  await waitUntil(() => velocity.chart, "the chart was never drawn (ms8-chart.js not loaded?)", { timeout: 8000 });
}

describe("ms8-widgets.js (script tag)", () => {
  afterEach(() => {
    for (const frame of document.querySelectorAll("iframe")) frame.remove();
  });

  it("works under a strict Content-Security-Policy, chart included, with no violation", async () => {
    const id = learner("ok");
    const frame = await openPage("strict-csp.html", id);
    const win = frame.contentWindow as PageWindow;
    expect(win.__ms8Probe.evalBlocked, "the page's CSP is in force").to.equal(true);
    await expectAllShowData(frame);
    // Styles arrived through adoptedStyleSheets, which the CSP does not block.
    const card = frame.contentDocument!.querySelector("ms8-badges")!.shadowRoot!.querySelector("[part~=card]")!;
    expect(win.getComputedStyle(card).borderTopLeftRadius).to.equal("12px");
    expect(win.__ms8Probe.violations).to.deep.equal([]);
    expect(win.__ms8Probe.evalViolations, "only the probe's own eval was refused").to.equal(1);
    expect(win.__ms8Probe.errors).to.deep.equal([]);
    // The chart code came as its own file, only when the velocity widget needed it.
    const scripts = win.performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname);
    expect(scripts).to.include("/dist/ms8-chart.js");
    // An English page needs no language catalogue.
    expect(scripts.filter((path) => path.includes("ms8-texts-"))).to.deep.equal([]);
    // The token went in a header, never in a URL.
    const seen = await requestsFor(id);
    expect(seen.length).to.be.greaterThan(0);
    for (const request of seen) {
      expect(request.token).to.equal("local-test-token");
      expect(request.url).not.to.contain("token");
    }
  });

  it("in German, under the strict CSP, words the BFF's reasons from ms8-texts-de.js and loads no other language", async () => {
    const frame = await openPage("strict-csp.html", learner("ok"), "ms8-dropoff-risk,ms8-badges", "&lang=de");
    const win = frame.contentWindow as PageWindow;
    const doc = frame.contentDocument!;
    for (const tag of ["ms8-dropoff-risk", "ms8-badges"]) {
      await waitUntil(() => stateOf(doc.querySelector(tag)) === "data", `${tag} never showed data`, { timeout: 8000 });
    }
    const reason = doc.querySelector("ms8-dropoff-risk")!.shadowRoot!.querySelector(".factor-reason")!;
    expect(reason.textContent!.trim()).to.match(/^2 von 5 bisher fälligen Aufgaben nicht abgegeben/);
    const badge = doc.querySelector("ms8-badges")!.shadowRoot!.querySelector(".badge-name")!;
    expect(badge.textContent!.trim()).to.equal("Erste Schritte");
    const files = win.performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname);
    expect(files).to.include("/dist/ms8-texts-de.js");
    expect(files).not.to.include("/dist/ms8-texts-ar.js");
    expect(win.__ms8Probe.violations).to.deep.equal([]);
    expect(win.__ms8Probe.errors).to.deep.equal([]);
  });

  it("with its language catalogue missing, shows the BFF's English and asks for the file once, not again and again", async () => {
    const frame = await openPage("missing-texts.html", learner("ok"), "ms8-dropoff-risk,ms8-badges", "&lang=de");
    const win = frame.contentWindow as PageWindow;
    const doc = frame.contentDocument!;
    for (const tag of ["ms8-dropoff-risk", "ms8-badges"]) {
      await waitUntil(() => stateOf(doc.querySelector(tag)) === "data", `${tag} never showed data`, { timeout: 8000 });
    }
    // The widget's own words are German; the BFF's sentences stay its English.
    const risk = doc.querySelector("ms8-dropoff-risk")!.shadowRoot!;
    expect(risk.querySelector(".heading")!.textContent).to.equal("Abbruchrisiko");
    expect(risk.querySelector(".factor-reason")!.textContent!.trim()).to.match(/^Has not handed in 2 of the 5/);
    // Give a retry loop time to show itself: the two widgets' one data load each asked at most once.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const asked = win.performance
      .getEntriesByType("resource")
      .filter((entry) => new URL(entry.name).pathname.endsWith("/ms8-texts-de.js"));
    expect(asked.length).to.be.within(1, 2);
  });

  it("two copies of the bundle on one page: no error, first definition wins, everything renders", async () => {
    const frame = await openPage("two-copies.html", learner("ok"));
    const win = frame.contentWindow as PageWindow;
    await expectAllShowData(frame);
    expect(win.__ms8Probe.errors).to.deep.equal([]);
    expect(win.__ms8Probe.violations).to.deep.equal([]);
    expect(win.MS8?.version).to.match(/^\d+\.\d+\.\d+/);
    const loaded = win.performance.getEntriesByType("resource").map((entry) => new URL(entry.name));
    expect(
      loaded.some((url) => url.search === "?copy=2"),
      "the second copy was loaded",
    ).to.equal(true);
  });

  it("a page without a chart never downloads the chart code", async () => {
    const frame = await openPage("strict-csp.html", learner("ok"), "ms8-dropoff-risk,ms8-badges");
    const doc = frame.contentDocument!;
    for (const tag of ["ms8-dropoff-risk", "ms8-badges"]) {
      await waitUntil(() => stateOf(doc.querySelector(tag)) === "data", `${tag} never showed data`, { timeout: 8000 });
    }
    const loaded = frame
      .contentWindow!.performance.getEntriesByType("resource")
      .map((entry) => new URL(entry.name).pathname);
    expect(loaded).to.include("/dist/ms8-widgets.js");
    expect(loaded).not.to.include("/dist/ms8-chart.js");
  });

  it("set up as docs/embedding.md says (elements first, MS8.configure after): no ms8-error, then data", async () => {
    const frame = await openPage("setup-last.html", "ok-setup-last");
    await expectAllShowData(frame);
    const win = frame.contentWindow as PageWindow;
    expect(win.__ms8Probe.ms8Errors, "no error while configuration could still arrive").to.deep.equal([]);
    expect(win.__ms8Probe.errors).to.deep.equal([]);
  });

  it("never configured: once the page has loaded, each widget reports the missing api-base with a title", async () => {
    const frame = await openPage("setup-last.html", "ok-setup-last", undefined, "&configure=never");
    const win = frame.contentWindow as PageWindow;
    await waitUntil(() => win.__ms8Probe.ms8Errors.length === 3, "not every widget reported", { timeout: 8000 });
    for (const problem of win.__ms8Probe.ms8Errors) {
      expect(problem).to.deep.include({
        status: 0,
        title: "Widget not configured",
        detail: "This widget needs the api-base attribute.",
      });
    }
    const badges = frame.contentDocument!.querySelector("ms8-badges")!;
    expect(badges.shadowRoot!.querySelector("[part~=error-detail]")!.textContent).to.equal(
      "This widget needs the api-base attribute.",
    );
  });
});
