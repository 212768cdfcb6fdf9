import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { Chart } from "chart.js";
import { eventFromLearner, learner, part, useFakeApi, waitForState } from "../../test/helpers.ts";
import { describeStates, mountWidget } from "../../test/states.ts";
import "./define.ts";
import type { Ms8Velocity } from "./ms8-velocity.ts";

describeStates("ms8-velocity", "velocity");

const mount = (id: string, lang = "en") => mountWidget("ms8-velocity", id, { lang }) as Promise<Ms8Velocity>;

describe("<ms8-velocity> content", () => {
  beforeEach(() => useFakeApi());

  it("without learner-id says exactly that attribute is missing, and offers no retry that cannot help", async () => {
    const el = (await fixture(html`<ms8-velocity lang="en"></ms8-velocity>`)) as Ms8Velocity;
    await waitForState(el, "error");
    expect(part(el, "error-detail")!.textContent).to.equal("This widget needs the learner-id attribute.");
    expect(part(el, "retry-button")).to.equal(null);
  });

  it("says units came back after two weeks with none, instead of a percentage of nothing", async () => {
    const el = await mount(learner("restarted"));
    await waitForState(el, "data");
    expect(part(el, "trend")!.textContent!.replace(/\s+/g, " ").trim()).to.contain(
      "Units again, after none in the 2 weeks before",
    );
    expect(part(el, "trend")!.textContent).not.to.contain("%");
  });

  it("shows current versus target pace, trend, status, completion and the weekly chart with its table", async () => {
    const id = learner("ok");
    const dataEvent = eventFromLearner<{
      data: { currentPace: number; estimatedCompletion: string; weekly: unknown[] };
    }>(id, "ms8-data");
    const el = await mount(id);
    const { detail } = await dataEvent;
    await waitForState(el, "data");
    const pace = new Intl.NumberFormat("en", { maximumFractionDigits: 1 }).format(detail.data.currentPace);
    expect(part(el, "current-pace")!.textContent).to.contain(pace);
    expect(part(el, "target-pace")!.textContent).to.contain("4.5");
    expect(part(el, "trend")!.textContent).to.match(
      /\d+% (more|fewer) units than the 2 weeks before|About as many units as the 2 weeks before/,
    );
    expect(part(el, "target-pace")!.textContent).to.contain("Needed from now");
    expect(el.shadowRoot!.querySelector(".legend")!.textContent)
      .to.contain("Units completed")
      .and.contain("Planned per week");
    expect(part(el, "trend")!.querySelector("svg")).to.exist;
    expect(part(el, "status")!.textContent).to.match(/Ahead|On track|Behind|Far behind/);
    const due = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" }).format(
      new Date(`${detail.data.estimatedCompletion}T00:00:00Z`),
    );
    expect(part(el, "completion")!.textContent).to.contain(due);
    await waitUntil(() => el.chart, "the chart was never drawn");
    const [pacePoints, targetPoints] = el.chart!.data.datasets;
    expect(pacePoints!.data).to.have.length(detail.data.weekly.length);
    expect(targetPoints!.data.every((value) => value === 4.5)).to.equal(true);
    expect(el.shadowRoot!.querySelector("canvas")!.getAttribute("aria-label")).to.match(/8 weeks shown/);
    expect(el.shadowRoot!.querySelectorAll("[part~=chart-table] tbody tr")).to.have.length(8);
  });

  it("destroys the chart when the element is removed, and draws a new one when it returns", async () => {
    const el = await mount(learner("ok"));
    await waitForState(el, "data");
    await waitUntil(() => el.chart, "the chart was never drawn");
    const canvas = el.shadowRoot!.querySelector("canvas")!;
    expect(Chart.getChart(canvas)).to.equal(el.chart);
    const parent = el.parentElement!;
    el.remove();
    expect(Chart.getChart(canvas), "Chart.js forgot the canvas").to.equal(undefined);
    expect(el.chart).to.equal(undefined);
    parent.append(el);
    await waitUntil(() => el.chart, "no chart after coming back");
  });

  it("reverses the time axis for right-to-left locales", async () => {
    const el = await mount(learner("ok"), "ar");
    await waitForState(el, "data");
    await waitUntil(() => el.chart, "the chart was never drawn");
    expect(el.chart!.options.scales!.x!.reverse).to.equal(true);
  });
});
