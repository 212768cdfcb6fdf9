import { expect } from "@open-wc/testing";
import { learner, part, useFakeApi, waitForState } from "../../test/helpers.ts";
import { describeStates, mountWidget } from "../../test/states.ts";
import "./define.ts";

describeStates("ms8-badges", "gamification", { empty: "zero-ledger" });

describe("<ms8-badges> content", () => {
  beforeEach(() => useFakeApi());

  it("shows points, level progress, streaks and earned and locked badges with how to earn them", async () => {
    const el = await mountWidget("ms8-badges", learner("ok"));
    await waitForState(el, "data");
    expect(part(el, "points")!.textContent).to.contain("1,240");
    expect(part(el, "level")!.textContent).to.contain("Level 4 · Explorer").and.contain("240 of 500 points to level 5");
    const progress = part(el, "level-progress")!;
    expect(progress.getAttribute("role")).to.equal("progressbar");
    expect(progress.getAttribute("aria-valuenow")).to.equal("48");
    expect(part(el, "streaks")!.textContent).to.contain("6 days").and.contain("14 days");
    const earned = el.shadowRoot!.querySelectorAll("[part~=badge-earned]");
    const locked = el.shadowRoot!.querySelectorAll("[part~=badge-locked]");
    expect(earned).to.have.length(2);
    expect(locked).to.have.length(2);
    expect(earned[0]!.textContent).to.contain("First steps").and.contain("Earned");
    expect(locked[0]!.textContent).to.contain("Quiz ace").and.contain("How to earn: Score 100 % on any quiz");
  });

  it("shows numbers in Arabic digits for ar", async () => {
    const el = await mountWidget("ms8-badges", learner("ok"), { lang: "ar" });
    await waitForState(el, "data");
    expect(part(el, "points")!.textContent).to.contain(new Intl.NumberFormat("ar").format(1240));
    // Badge names and descriptions are the server's (English) words: their own direction inside the RTL card.
    const serverText = [...el.shadowRoot!.querySelectorAll("[part~=badge-earned] .badge-name, .badge-how")].filter(
      (element) => /^[A-Za-z]/.test(element.textContent!.trim()),
    );
    expect(serverText.length).to.be.greaterThan(1);
    for (const element of serverText) {
      expect(element.getAttribute("dir")).to.equal("auto");
      expect(getComputedStyle(element).direction).to.equal("ltr");
    }
  });
});
