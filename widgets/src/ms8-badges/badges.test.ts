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
    expect(part(el, "level")!.textContent)
      .to.contain("Level 4 · Practitioner")
      .and.contain("240 of 500 points to level 5");
    const progress = part(el, "level-progress")!;
    expect(progress.getAttribute("role")).to.equal("progressbar");
    expect(progress.getAttribute("aria-valuenow")).to.equal("48");
    expect(part(el, "streaks")!.textContent).to.contain("6 days").and.contain("14 days");
    const earned = el.shadowRoot!.querySelectorAll("[part~=badge-earned]");
    const locked = el.shadowRoot!.querySelectorAll("[part~=badge-locked]");
    expect(earned).to.have.length(2);
    expect(locked).to.have.length(2);
    expect(earned[0]!.textContent).to.contain("First Steps").and.contain("Earned");
    expect(locked[0]!.textContent)
      .to.contain("Perfect Score")
      .and.contain("How to earn: Pass an assessment with a perfect score.");
  });

  it("in Arabic: Arabic digits, the badges and the level in Arabic; a badge it does not know in the BFF's English, left to right", async () => {
    const el = await mountWidget("ms8-badges", learner("ok"), { lang: "ar" });
    await waitForState(el, "data");
    expect(part(el, "points")!.textContent).to.contain(new Intl.NumberFormat("ar").format(1240));
    expect(part(el, "level")!.textContent).to.contain("ممارس");
    const names = [...el.shadowRoot!.querySelectorAll(".badge-name")].map((n) => n.textContent!.trim());
    expect(names).to.deep.equal(["الخطوات الأولى", "سلسلة أسبوع", "الدرجة الكاملة", "Course Marathon"]);
    const unknown = el.shadowRoot!.querySelectorAll(".badge-name")[3] as HTMLElement;
    expect(unknown.getAttribute("dir")).to.equal("auto");
    expect(getComputedStyle(unknown).direction).to.equal("ltr");
    expect(getComputedStyle(el.shadowRoot!.querySelectorAll(".badge-name")[0]!).direction).to.equal("rtl");
  });

  it("in German: the badges' names, descriptions and how to earn them, and the level's name", async () => {
    const el = await mountWidget("ms8-badges", learner("ok"), { lang: "de" });
    await waitForState(el, "data");
    expect(part(el, "level")!.textContent).to.contain("Stufe 4 · Praktiker");
    const earned = el.shadowRoot!.querySelectorAll("[part~=badge-earned]");
    const locked = el.shadowRoot!.querySelectorAll("[part~=badge-locked]");
    expect(earned[0]!.textContent).to.contain("Erste Schritte").and.contain("Eine erste Lektion abgeschlossen.");
    expect(locked[0]!.textContent)
      .to.contain("Volle Punktzahl")
      .and.contain("So verdienen: Bestehen Sie eine Aufgabe mit voller Punktzahl.");
    expect(locked[1]!.textContent).to.contain("Course Marathon").and.contain("So verdienen: Complete five courses.");
  });
});
