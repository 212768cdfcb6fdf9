/**
 * How widgets talk to the API: tokens (refresh after a 401, never in the DOM or a URL), abort on
 * removal, one shared request per resource, ETag revalidation, refresh with a polite
 * announcement, late configuration; and proof that the axe check can fail.
 */
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import "../src/define.ts";
import type { Ms8Badges, Ms8Velocity } from "../src/index.ts";
import { configure } from "../src/shared/config.ts";
import { apiBase, eventFromLearner, learner, requestsFor, useFakeApi, waitForState } from "./helpers.ts";

describe("loading", () => {
  beforeEach(() => useFakeApi());

  it("asks getToken() once per request and once more after a 401, then shows data", async () => {
    const handedOut: string[] = [];
    configure({
      getToken: async () => {
        const token = handedOut.length === 0 ? "expired-embed-token" : "fresh-embed-token";
        handedOut.push(token);
        return token;
      },
    });
    const id = learner("ok");
    const el = await fixture<Ms8Velocity>(html`<ms8-velocity learner-id=${id} api-base=${apiBase}></ms8-velocity>`);
    await waitForState(el, "data");
    expect(handedOut).to.deep.equal(["expired-embed-token", "fresh-embed-token"]);
    const seen = await requestsFor(id);
    expect(seen.map((r) => [r.token, r.status])).to.deep.equal([
      ["expired-embed-token", 401],
      ["fresh-embed-token", 200],
    ]);
  });

  it("a getToken() that fails shows the sign-in message and sends nothing", async () => {
    configure({
      getToken: () => Promise.reject(new Error("host session expired")),
    });
    const id = learner("ok");
    const el = await fixture<Ms8Velocity>(html`<ms8-velocity learner-id=${id} api-base=${apiBase}></ms8-velocity>`);
    const state = await waitForState(el, "not-allowed");
    expect(state.getAttribute("data-status")).to.equal("401");
    expect(await requestsFor(id)).to.have.length(0);
  });

  it("a getToken() that returns null shows the distinct no-token message and sends nothing", async () => {
    configure({ getToken: async () => null });
    const id = learner("ok");
    const el = await fixture<Ms8Velocity>(html`<ms8-velocity learner-id=${id} api-base=${apiBase}></ms8-velocity>`);
    const state = await waitForState(el, "not-allowed");
    expect(state.getAttribute("data-status")).to.equal("no-token");
    expect(state.textContent).to.match(/sign in with an account that may see this learner/);
    expect(state.textContent).not.to.match(/session has ended/);
    expect(await requestsFor(id)).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it("uses the token attribute, then removes it from the DOM; no token in any URL", async () => {
    configure({
      getToken: () => {
        throw new Error("the element's own token should have been used");
      },
    });
    const id = learner("ok");
    const el = await fixture<Ms8Badges>(
      html`<ms8-badges learner-id=${id} api-base=${apiBase} token="local-element-token"></ms8-badges>`,
    );
    expect(el.hasAttribute("token")).to.equal(false);
    await waitForState(el, "data");
    expect(el.outerHTML).not.to.contain("local-element-token");
    expect(el.shadowRoot!.innerHTML).not.to.contain("local-element-token");
    const [request] = await requestsFor(id);
    expect(request!.token).to.equal("local-element-token");
    expect(request!.url).not.to.contain("token");
  });

  it("cancels the request when the element is removed, without an error event", async () => {
    const id = learner("hang");
    let errors = 0;
    const countErrors = () => errors++;
    document.addEventListener("ms8-error", countErrors);
    const el = await fixture<Ms8Velocity>(html`<ms8-velocity learner-id=${id} api-base=${apiBase}></ms8-velocity>`);
    await waitUntil(async () => (await requestsFor(id)).length === 1, "the request never reached the API");
    el.remove();
    await waitUntil(async () => (await requestsFor(id))[0]!.aborted, "the server never saw the request cancelled");
    document.removeEventListener("ms8-error", countErrors);
    expect(errors).to.equal(0);
  });

  it("widgets on one page that need the same resource share one request", async () => {
    const id = learner("slow");
    const wrapper = await fixture(html`<div>
      <ms8-velocity learner-id=${id} api-base=${apiBase}></ms8-velocity>
      <ms8-velocity learner-id=${id} api-base=${apiBase} lang="de"></ms8-velocity>
      <ms8-velocity learner-id=${id} api-base=${apiBase} theme="dark"></ms8-velocity>
    </div>`);
    const widgets = [...wrapper.querySelectorAll("ms8-velocity")];
    for (const el of widgets) await waitForState(el, "data", 8000);
    expect(await requestsFor(id)).to.have.length(1);
  });

  it("a shared request survives one of its widgets leaving", async () => {
    const id = learner("slow");
    const wrapper = await fixture(html`<div>
      <ms8-badges learner-id=${id} api-base=${apiBase}></ms8-badges>
      <ms8-badges learner-id=${id} api-base=${apiBase}></ms8-badges>
    </div>`);
    await waitUntil(async () => (await requestsFor(id)).length === 1);
    const [leaving, staying] = [...wrapper.querySelectorAll("ms8-badges")];
    leaving!.remove();
    await waitForState(staying!, "data", 8000);
    const [request] = await requestsFor(id);
    expect(request!.aborted).to.equal(false);
  });

  it("revalidates with If-None-Match and keeps showing the data on 304", async () => {
    const id = learner("ok");
    const el = await fixture<Ms8Velocity>(html`<ms8-velocity learner-id=${id} api-base=${apiBase}></ms8-velocity>`);
    await waitForState(el, "data");
    const before = el.shadowRoot!.querySelector("[part~=current-pace]")!.textContent;
    const refreshed = eventFromLearner<{ data: { learnerId: string } }>(id, "ms8-data");
    await el.refresh();
    const event = await refreshed;
    expect(event.detail.data.learnerId).to.equal(id);
    const [first, second] = await requestsFor(id);
    expect(first!.status).to.equal(200);
    expect(second!.ifNoneMatch).to.be.a("string").and.match(/^W\/"/);
    expect(second!.status).to.equal(304);
    await waitForState(el, "data");
    expect(el.shadowRoot!.querySelector("[part~=current-pace]")!.textContent).to.equal(before);
  });

  it("refreshes on refresh-interval and announces it in a polite live region", async () => {
    const id = learner("ok");
    const el = await fixture<Ms8Velocity>(
      html`<ms8-velocity learner-id=${id} api-base=${apiBase} refresh-interval="1"></ms8-velocity>`,
    );
    await waitForState(el, "data");
    const live = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
    expect(live.textContent!.trim(), "nothing announced on first load").to.equal("");
    await waitUntil(() => live.textContent!.trim() === "Learning pace: data refreshed", "no announcement", {
      timeout: 4000,
    });
    expect((await requestsFor(id)).length).to.be.at.least(2);
    el.remove();
  });

  it("starts loading when MS8.configure() arrives after the element", async () => {
    configure({ apiBase: undefined });
    const id = learner("ok");
    const el = await fixture<Ms8Badges>(html`<ms8-badges learner-id=${id}></ms8-badges>`);
    await waitForState(el, "error");
    expect(el.shadowRoot!.textContent).to.contain("needs the api-base attribute");
    configure({ apiBase });
    await waitForState(el, "data");
  });

  it("the accessibility check fails on a deliberately broken element (unreadable contrast)", async () => {
    const el = await fixture<Ms8Badges>(
      html`<ms8-badges learner-id=${learner("ok")} api-base=${apiBase} theme="light"></ms8-badges>`,
    );
    await waitForState(el, "data");
    await expect(el).to.be.accessible();
    el.style.setProperty("--ms8-text-muted", "#f2f2f2");
    let failure: Error | undefined;
    try {
      await expect(el).to.be.accessible();
    } catch (error) {
      failure = error as Error;
    }
    expect(failure, "axe accepted light grey text on white").to.exist;
    expect(failure!.message).to.contain("color-contrast");
  });
});

describe("switching learners", () => {
  beforeEach(() => useFakeApi());

  it("shows the skeleton, not the previous learner's data, while another learner loads", async () => {
    const el = await fixture<Ms8Badges>(
      html`<ms8-badges learner-id=${learner("ok")} api-base=${apiBase}></ms8-badges>`,
    );
    await waitForState(el, "data");
    el.learnerId = learner("slow");
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector("[part~=skeleton]"), "skeleton while the new learner loads").to.exist;
    expect(el.shadowRoot!.querySelector("[data-state=data]")).to.equal(null);
    await waitForState(el, "data", 5000);
  });
});
