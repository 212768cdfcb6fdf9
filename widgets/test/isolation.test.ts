/** Nothing leaks between the host page's styles and the widgets', in either direction. */
import { expect, fixture, html } from "@open-wc/testing";
import "../src/define.ts";
import { apiBase, learner, part, useFakeApi, waitForState } from "./helpers.ts";

describe("style isolation", () => {
  beforeEach(() => useFakeApi());

  it("a hostile host stylesheet does not restyle the widget, and the widget's rules stay inside", async () => {
    const hostile = new CSSStyleSheet();
    hostile.replaceSync(`
      .isolation-test * { color: rgb(255, 0, 0) !important; }
      .isolation-test p, .isolation-test button, .isolation-test h2 { margin: 40px !important; display: none !important; }
    `);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, hostile];
    try {
      const wrapper = await fixture(html`<div class="isolation-test" style="font-family: Georgia, serif">
        <p class="heading card">host paragraph</p>
        <ms8-velocity learner-id=${learner("stale")} api-base=${apiBase} theme="light"></ms8-velocity>
      </div>`);
      const el = wrapper.querySelector("ms8-velocity")!;
      await waitForState(el, "data");
      const heading = part(el, "heading")!;
      expect(getComputedStyle(heading).display).to.equal("block");
      expect(getComputedStyle(heading).color).to.equal("rgb(31, 35, 40)");
      expect(getComputedStyle(part(el, "freshness")!).display).not.to.equal("none");
      // The host's font is inherited on purpose (--ms8-font-family defaults to it).
      expect(getComputedStyle(heading).fontFamily).to.contain("Georgia");
      // The widget's .heading / .card rules do not reach the host's elements of the same class.
      const hostParagraph = wrapper.querySelector("p")!;
      expect(getComputedStyle(hostParagraph).borderTopWidth).to.equal("0px");
      expect(getComputedStyle(hostParagraph).fontWeight).to.equal("400");
    } finally {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => sheet !== hostile);
    }
  });
});
