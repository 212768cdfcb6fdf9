/**
 * The page's media preferences: colour scheme (unless `theme` says otherwise) and reduced motion,
 * emulated in Chromium through the DevTools protocol.
 */
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { emulateMedia } from "@web/test-runner-commands";
import "../src/define.ts";
import type { Ms8Velocity } from "../src/index.ts";
import { apiBase, learner, part, useFakeApi, waitForState } from "./helpers.ts";

const surfaceOf = (el: HTMLElement) => getComputedStyle(part(el, "card")!).backgroundColor;
const WHITE = "rgb(255, 255, 255)";

describe("media preferences", () => {
  beforeEach(() => useFakeApi());
  afterEach(() => emulateMedia({ colorScheme: "light", reducedMotion: "no-preference" }));

  it("theme=auto follows prefers-color-scheme; theme=light and theme=dark override it", async () => {
    await emulateMedia({ colorScheme: "dark" });
    const id = learner("ok");
    const wrapper = await fixture(html`<div>
      <ms8-badges learner-id=${id} api-base=${apiBase}></ms8-badges>
      <ms8-badges learner-id=${id} api-base=${apiBase} theme="light"></ms8-badges>
    </div>`);
    const [auto, light] = [...wrapper.querySelectorAll("ms8-badges")] as HTMLElement[];
    await waitForState(auto!, "data");
    await waitForState(light!, "data");
    expect(surfaceOf(auto!)).not.to.equal(WHITE);
    expect(surfaceOf(light!)).to.equal(WHITE);
    await expect(auto).to.be.accessible();
    await emulateMedia({ colorScheme: "light" });
    expect(surfaceOf(auto!)).to.equal(WHITE);
    light!.setAttribute("theme", "dark");
    await waitUntil(() => surfaceOf(light!) !== WHITE, "theme=dark did not apply");
  });

  it("prefers-reduced-motion: no skeleton pulse and no chart animation", async () => {
    await emulateMedia({ reducedMotion: "reduce" });
    const el = await fixture<Ms8Velocity>(
      html`<ms8-velocity learner-id=${learner("slow")} api-base=${apiBase}></ms8-velocity>`,
    );
    const bone = el.shadowRoot!.querySelector(".bone")!;
    expect(getComputedStyle(bone).animationName).to.equal("none");
    await waitForState(el, "data", 5000);
    await waitUntil(() => el.chart, "the chart was never drawn");
    expect(el.chart!.options.animation).to.equal(false);
  });

  it("without reduced motion the skeleton pulses", async () => {
    const el = await fixture<Ms8Velocity>(
      html`<ms8-velocity learner-id=${learner("hang")} api-base=${apiBase}></ms8-velocity>`,
    );
    expect(getComputedStyle(el.shadowRoot!.querySelector(".bone")!).animationName).to.equal("ms8-pulse");
    el.remove();
  });
});
