import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { Chart } from "chart.js";
import { apiBase, learner, nextEvent, part, requestsFor, text, useFakeApi, waitForState } from "../../test/helpers.ts";
import "./define.ts";
import type { Ms8Velocity } from "./ms8-velocity.ts";

const mount = (learnerId: string, extra = html``) =>
  fixture<Ms8Velocity>(html`<div style="width: 380px">
    <ms8-velocity learner-id=${learnerId} api-base=${apiBase} lang="en" theme="light"></ms8-velocity>${extra}
  </div>`).then((wrapper) => wrapper.querySelector("ms8-velocity")!);

describe("<ms8-velocity>", () => {
  beforeEach(() => useFakeApi());

  it("shows current versus target pace, trend, status, completion and a drawn chart", async () => {
    const el = await mount(learner("ok"));
    const dataEvent = nextEvent<{ data: { currentPace: number } }>(el, "ms8-data");
    await waitForState(el, "data");
    const { detail } = await dataEvent;
    expect(part(el, "current-pace")!.textContent).to.contain(
      new Intl.NumberFormat("en", { maximumFractionDigits: 1 }).format(detail.data.currentPace),
    );
    expect(part(el, "target-pace")!.textContent).to.contain("4.5");
    expect(part(el, "trend")).to.exist;
    expect(part(el, "status")!.textContent).to.match(/Ahead|On track|Behind|At risk/);
    expect(part(el, "completion")!.textContent).to.match(/Estimated completion/);
    await waitUntil(() => el.chart, "the chart was never drawn");
    expect(el.chart!.data.datasets).to.have.length(2);
    expect(el.shadowRoot!.querySelectorAll("tbody tr")).to.have.length(8);
    await expect(el).to.be.accessible();
  });

  it("passes the accessibility check in the dark theme", async () => {
    const el = await mount(learner("ok"));
    el.theme = "dark";
    await waitForState(el, "data");
    await expect(el).to.be.accessible();
  });

  it("shows a skeleton with the final height while loading, then data without a layout shift", async () => {
    const el = await mount(learner("slow"));
    expect(part(el, "skeleton")).to.exist;
    const loadingHeight = el.getBoundingClientRect().height;
    await expect(el).to.be.accessible();
    await waitForState(el, "data");
    expect(el.getBoundingClientRect().height).to.equal(loadingHeight);
  });

  it("destroys the chart when the element is removed", async () => {
    const el = await mount(learner("ok"));
    await waitForState(el, "data");
    await waitUntil(() => el.chart, "the chart was never drawn");
    const canvas = el.shadowRoot!.querySelector("canvas")!;
    expect(Chart.getChart(canvas)).to.equal(el.chart);
    el.remove();
    expect(Chart.getChart(canvas)).to.equal(undefined);
    expect(el.chart).to.equal(undefined);
  });
});
