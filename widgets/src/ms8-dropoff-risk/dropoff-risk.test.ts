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
      .and.contain("Has not handed in 2 of the 5 assessments due so far")
      .and.not.contain("missedWork");
    expect(factors[1]!.querySelector(".factor-name")!.textContent).to.equal("Late hand-ins");
    expect(factors[2]!.querySelector(".factor-name")!.textContent).to.equal("scoreShortfall");
    expect(factors[0]!.querySelector(".bar-fill")!.getAttribute("width")).to.equal("50");
    expect(part(el, "actions")!.textContent).to.contain("Retake the module 3 quiz").and.contain("For the trainer");
  });

  it("in Arabic, words the server's reasons and next steps in Arabic, and lays out the ones it cannot word (English) left to right", async () => {
    const el = await mountWidget("ms8-dropoff-risk", learner("ok"), { lang: "ar" });
    await waitForState(el, "data");
    expect(getComputedStyle(part(el, "card")!).direction).to.equal("rtl");
    const reasons = [...el.shadowRoot!.querySelectorAll(".factor-reason")].map((r) => r.textContent!.trim());
    const n = (x: number) => new Intl.NumberFormat("ar").format(x);
    const percent = new Intl.NumberFormat("ar", { style: "percent" }).format(0.4);
    expect(reasons[0]).to.equal(
      `لم يُسلَّم ${n(2)} من أصل ${n(5)} من التقييمات المستحقة حتى الآن (${percent} من وزن الدرجة المستحق).`,
    );
    expect(reasons[1]).to.equal(`سُلِّم ${n(2)} من أصل ${n(3)} من التقييمات المسلَّمة بعد موعد استحقاقها.`);
    // No message (an older BFF): the English reason, in its own direction.
    expect(reasons[2]).to.equal("Last two quiz scores below 60 %");
    const serverText = [
      ...el.shadowRoot!.querySelectorAll(".factor-name, .factor-reason, [part~=actions] li"),
    ] as HTMLElement[];
    for (const element of serverText) expect(element.getAttribute("dir"), element.textContent!).to.equal("auto");
    const english = serverText.filter((element) => /^[A-Za-z]/.test(element.textContent!.trim()));
    expect(english.map((e) => e.textContent!.trim())).to.deep.equal([
      "Last two quiz scores below 60 %",
      "Retake the module 3 quiz",
    ]);
    for (const element of english) expect(getComputedStyle(element).direction, element.textContent!).to.equal("ltr");
    const arabic = serverText.filter((element) => /^[\u0600-\u06FF]/.test(element.textContent!.trim()));
    expect(arabic.length).to.be.greaterThan(4);
    for (const element of arabic) expect(getComputedStyle(element).direction, element.textContent!).to.equal("rtl");
  });

  it("in German, words the reasons and next steps, with the due date in German; an unknown step stays the BFF's English", async () => {
    const el = await mountWidget("ms8-dropoff-risk", learner("ok"), { lang: "de" });
    await waitForState(el, "data");
    const reasons = [...el.shadowRoot!.querySelectorAll(".factor-reason")].map((r) => r.textContent!.trim());
    const percent = new Intl.NumberFormat("de", { style: "percent" }).format(0.4); // "40 %" with a no-break space
    expect(reasons).to.deep.equal([
      `2 von 5 bisher fälligen Aufgaben nicht abgegeben (${percent} des fälligen Notengewichts).`,
      "2 von 3 abgegebenen Aufgaben nach dem Termin eingereicht.",
      "Last two quiz scores below 60 %",
    ]);
    const steps = [...part(el, "actions")!.querySelectorAll("li")].map((li) => li.textContent!.trim());
    const dueDay = new Intl.DateTimeFormat("de", { day: "numeric", month: "short", timeZone: "UTC" }).format(
      new Date("2026-03-29T00:00:00Z"),
    );
    expect(steps).to.deep.equal([
      // A trainer reads the trainer's step first.
      "Diese Woche: Fragen Sie, was den Terminen im Weg steht (2 von 3 Abgaben kamen zu spät).",
      `Diese Woche: Holen Sie Assignment 2 und die am ${dueDay} fällige Aufgabe nach (die Termine sind vorbei) oder fragen Sie Ihre Trainerin oder Ihren Trainer nach einer Verlängerung.`,
      "Retake the module 3 quiz",
    ]);
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
    expect(actions.textContent).to.contain("Retake the module 3 quiz").and.not.contain("what gets in the way");
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
