import { expect } from "@open-wc/testing";
import { eventFromLearner, learner, part, useFakeApi, waitForState } from "../../test/helpers.ts";
import { describeStates, mountWidget } from "../../test/states.ts";
import "./define.ts";

describeStates("ms8-dropoff-risk", "dropoff-risk");

describe("<ms8-dropoff-risk> content", () => {
  beforeEach(() => useFakeApi());

  it("shows the level as colour, icon and words, the gauge, weighted factors and next steps", async () => {
    const id = learner("ok");
    const dataEvent = eventFromLearner<{ data: { riskScore: number; riskLevel: string; typicalRiskScore: number } }>(
      id,
      "ms8-data",
    );
    const el = await mountWidget("ms8-dropoff-risk", id);
    const { detail } = await dataEvent;
    await waitForState(el, "data");
    const level = part(el, "level")!;
    expect(level.getAttribute("data-level")).to.equal(detail.data.riskLevel);
    expect(level.textContent).to.match(/(Low|Medium|High|Critical) risk/);
    expect(level.querySelector("svg"), "an icon besides the colour").to.exist;
    const percent = new Intl.NumberFormat("en", { style: "percent" }).format(detail.data.riskScore);
    expect(part(el, "gauge")!.getAttribute("aria-label")).to.equal(`Risk score ${percent}`);
    // What the level compares with, so "Medium" beside a small percentage reads right.
    const typical = new Intl.NumberFormat("en", { style: "percent" }).format(detail.data.typicalRiskScore);
    expect(part(el, "typical")!.textContent).to.equal(`Typical at this point in the course: ${typical}`);
    const factors = el.shadowRoot!.querySelectorAll("[part~=factor]");
    expect(factors).to.have.length(3);
    // People read the API's label, not the machine name; the name is only the fallback.
    expect(factors[0]!.querySelector(".factor-name")!.textContent).to.equal("Missed work");
    expect(factors[0]!.textContent)
      .to.contain("50% of what raises it")
      .and.contain("9 days")
      .and.not.contain("missedWork");
    expect(factors[1]!.querySelector(".factor-name")!.textContent).to.equal("Late hand-ins");
    expect(factors[2]!.querySelector(".factor-name")!.textContent).to.equal("scoreShortfall");
    expect(factors[0]!.querySelector(".bar-fill")!.getAttribute("width")).to.equal("50");
    expect(part(el, "actions")!.textContent).to.contain("Retake the module 3 quiz").and.contain("For the trainer");
  });

  it("in Arabic, lays the server's English reasons and next steps out left to right (dir=auto)", async () => {
    const el = await mountWidget("ms8-dropoff-risk", learner("ok"), { lang: "ar" });
    await waitForState(el, "data");
    expect(getComputedStyle(part(el, "card")!).direction).to.equal("rtl");
    const serverText = [
      ...el.shadowRoot!.querySelectorAll(".factor-name, .factor-reason, [part~=actions] li"),
    ] as HTMLElement[];
    expect(serverText.length).to.be.greaterThan(4);
    for (const element of serverText) {
      expect(element.getAttribute("dir"), element.textContent!).to.equal("auto");
    }
    // The English ones take their direction from their own words, so "ask for help." ends with its full stop.
    const english = serverText.filter((element) => /^[A-Za-z]/.test(element.textContent!.trim()));
    expect(english.length).to.be.greaterThan(2);
    for (const element of english) expect(getComputedStyle(element).direction, element.textContent!).to.equal("ltr");
  });

  it("shows a trainer the trainer's next steps first, then the learner's", async () => {
    const el = await mountWidget("ms8-dropoff-risk", learner("ok"));
    await waitForState(el, "data");
    const labels = [...el.shadowRoot!.querySelectorAll(".action-label")].map((l) => l.textContent);
    expect(labels).to.deep.equal(["For the trainer", "For the learner"]);
  });

  it("shows learners reading their own risk only their own next steps, in their language", async () => {
    useFakeApi("self-token");
    const el = await mountWidget("ms8-dropoff-risk", learner("ok"));
    await waitForState(el, "data");
    const actions = part(el, "actions")!;
    const labels = [...actions.querySelectorAll(".action-label")].map((l) => l.textContent);
    expect(labels).to.deep.equal(["For you"]);
    expect(actions.textContent).to.contain("Retake the module 3 quiz").and.not.contain("Check in with the learner");
    const german = await mountWidget("ms8-dropoff-risk", learner("ok"), { lang: "de" });
    await waitForState(german, "data");
    expect(german.shadowRoot!.querySelector(".action-label")!.textContent).to.equal("Für Sie");
  });

  it("names the factors in the widget's language when it knows them", async () => {
    const el = await mountWidget("ms8-dropoff-risk", learner("ok"), { lang: "de" });
    await waitForState(el, "data");
    const names = [...el.shadowRoot!.querySelectorAll(".factor-name")].map((n) => n.textContent);
    expect(names).to.deep.equal(["Versäumte Aufgaben", "Verspätete Abgaben", "Ergebnisse"]);
  });
});
