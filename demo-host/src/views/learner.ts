/**
 * One learner's page: the three widgets, then the forecast and recommendations. The widgets fetch
 * for themselves with embed tokens; the two cards below are the dashboard's own calls.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { Enveloped, Forecast, Recommendation } from "../api.ts";
import { type App, idle, type Load, load } from "../app.ts";
import { learnerName } from "./org.ts";

interface LearnerPage {
  /** The language the AI's texts were asked in. */
  lang: string;
  learnerId: string;
  forecast: Load<Enveloped<Forecast>>;
  recommendations: Load<Enveloped<{ items: Recommendation[] }>>;
}
let page: LearnerPage | null = null;

/** The BFF's learner id rule (edge/src/contract.ts): anything else can only be a broken link. */
export const isLearnerId = (id: string) => /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id);

export function enterLearner(app: App, learnerId: string) {
  // A malformed id (e.g. #/learners/..%2Fx) is answered on the page; no token or request for it.
  if (!isLearnerId(learnerId)) return;
  // The embed token follows the learner on screen; a new learner means a new, narrower token.
  app.tokens.setScope(learnerId);
  // The commentary and recommendations are written in the page's language: another language asks again.
  if (page?.learnerId === learnerId && page.lang === app.lang && page.forecast.state === "ready") return;
  const current: LearnerPage = { learnerId, lang: app.lang, forecast: idle, recommendations: idle };
  page = current;
  load(
    app,
    () => app.api.forecast(learnerId),
    (v) => {
      current.forecast = v;
    },
  );
  load(
    app,
    () => app.api.recommendations(learnerId),
    (v) => {
      current.recommendations = v;
    },
  );
}

/** The three widgets, configured exactly as the "How to embed" panel shows. */
export function widgetTrio(app: App, learnerId: string) {
  if (app.widgets.error) return html`<p class="error" role="alert">${app.widgets.error}</p>`;
  // Widgets render only once MS8.configure has run, so their first request already carries a token.
  if (!app.widgets.ready) {
    return html`<div class="widget-grid" aria-busy="true">
      <div class="widget widget-wide card">${skeleton(4)}</div>
      <div class="widget card">${skeleton(4)}</div>
      <div class="widget card">${skeleton(4)}</div>
    </div>`;
  }
  return html`<div class="widget-grid">
    <ms8-velocity class="widget widget-wide" learner-id=${learnerId} theme=${app.theme} lang=${app.lang}></ms8-velocity>
    <ms8-dropoff-risk class="widget" learner-id=${learnerId} theme=${app.theme} lang=${app.lang}></ms8-dropoff-risk>
    <ms8-badges class="widget" learner-id=${learnerId} theme=${app.theme} lang=${app.lang}></ms8-badges>
  </div>`;
}

function refusal(app: App, l: { status: number; detail: string }, retry: () => void): TemplateResult {
  if (l.status === 403) return html`<p class="refusal" role="status">${app.t("notAllowed")}</p>`;
  if (l.status === 404) return html`<p class="refusal" role="status">${app.t("notFound")}</p>`;
  return html`<p class="error" role="alert">
    ${app.t("failed", { detail: l.detail })}
    <button type="button" class="link" @click=${retry}>${app.t("retry")}</button>
  </p>`;
}

function skeleton(lines = 3) {
  return html`<div class="skeleton" aria-hidden="true">
    ${Array.from({ length: lines }, () => html`<span></span>`)}
  </div>`;
}

function sourceLabel(app: App, meta: Enveloped<unknown>["meta"]) {
  if (!meta.aiSource) return nothing;
  return html`<span class="chip" title=${meta.fallbackReason ?? ""}
    >${meta.aiSource === "gemini" ? app.t("aiGemini") : app.t("aiFallback")}</span
  >`;
}

function forecastCard(app: App, learnerId: string) {
  const f = page?.forecast ?? idle;
  const { t } = app;
  const date = (iso: string) =>
    new Intl.DateTimeFormat(app.lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
  const num = (n: number) => new Intl.NumberFormat(app.lang, { maximumFractionDigits: 0 }).format(n);
  let body: TemplateResult;
  if (f.state === "ready") {
    const d = f.value.data;
    body =
      d.projectedCompletion || d.expectedFinalScore !== null
        ? html`<dl class="facts">
              <div>
                <dt>${t("projectedCompletion")}</dt>
                <dd data-field="projectedCompletion">${d.projectedCompletion ? date(d.projectedCompletion) : "—"}</dd>
                ${
                  d.completionInterval
                    ? html`<dd class="muted">
                        ${t("between", { a: date(d.completionInterval.earliest), b: date(d.completionInterval.latest) })}
                      </dd>`
                    : nothing
                }
              </div>
              <div>
                <dt>${t("expectedScore")}</dt>
                <dd data-field="expectedFinalScore">${d.expectedFinalScore === null ? "—" : num(d.expectedFinalScore)}</dd>
                ${
                  d.scoreInterval
                    ? html`<dd class="muted">${t("between", { a: num(d.scoreInterval.low), b: num(d.scoreInterval.high) })}</dd>`
                    : nothing
                }
              </div>
              <div>
                <dt>${t("confidence")}</dt>
                <dd><span class="chip confidence-${d.confidence}">${t(`confidence_${d.confidence}`)}</span></dd>
              </div>
            </dl>
            ${d.commentary ? html`<p class="commentary" dir="auto">${d.commentary}</p>` : nothing}`
        : html`<p class="muted">${t("noForecast")}</p>`;
  } else if (f.state === "failed") {
    body = refusal(app, f, () => {
      page = null;
      enterLearner(app, learnerId);
    });
  } else body = skeleton(3);
  return html`<section class="card" aria-labelledby="forecast-title" aria-busy=${f.state === "loading"}>
    <header class="card-head">
      <h2 id="forecast-title">${t("forecast")}</h2>
      ${f.state === "ready" ? sourceLabel(app, f.value.meta) : nothing}
    </header>
    ${body}
  </section>`;
}

function recommendationsCard(app: App, learnerId: string) {
  const r = page?.recommendations ?? idle;
  const { t } = app;
  let body: TemplateResult;
  if (r.state === "ready") {
    // Reasoning and outcomes come in the page's language; course titles are the catalogue's own
    // words, often English: dir="auto" lets each keep its own direction, so punctuation stays in
    // place on a right-to-left page.
    const items = [...r.value.data.items].sort((a, b) => a.priority - b.priority);
    body = items.length
      ? html`<ol class="recommendations">
          ${items.map(
            (item) => html`<li data-course=${item.courseId}>
              <div class="rec-head">
                <strong dir="auto">${item.title}</strong>
                <span class="chip priority-${item.priority}">${t("priority", { n: item.priority })}</span>
                <span class="muted">${t("hours", { n: item.estimatedHours })}</span>
              </div>
              <p class="reasoning" dir="auto">${item.reasoning}</p>
              ${
                item.expectedOutcomes.length
                  ? html`<ul class="outcomes">
                      ${item.expectedOutcomes.map((o) => html`<li dir="auto">${o}</li>`)}
                    </ul>`
                  : nothing
              }
            </li>`,
          )}
        </ol>`
      : html`<p class="muted">${t("noRecommendations")}</p>`;
  } else if (r.state === "failed") {
    body = refusal(app, r, () => {
      page = null;
      enterLearner(app, learnerId);
    });
  } else body = skeleton(5);
  return html`<section class="card" aria-labelledby="recs-title" aria-busy=${r.state === "loading"}>
    <header class="card-head">
      <h2 id="recs-title">${t("recommendations")}</h2>
      ${r.state === "ready" ? sourceLabel(app, r.value.meta) : nothing}
    </header>
    ${body}
  </section>`;
}

export function learnerView(app: App, learnerId: string, own: boolean) {
  const { t } = app;
  const isStaff = app.session?.user.roles.some((r) => r !== "learner");
  if (!isLearnerId(learnerId)) {
    return html`
      <div class="page-head">
        ${isStaff ? html`<a class="back" href="#/org">← ${t("backToOrg")}</a>` : nothing}
        <h1>${t("learnerTitle")}</h1>
      </div>
      <p class="refusal card" role="status" data-refusal="bad-id">${t("badLearnerId", { id: learnerId.slice(0, 80) })}</p>
    `;
  }
  return html`
    <div class="page-head">
      ${!own && isStaff ? html`<a class="back" href="#/org">← ${t("backToOrg")}</a>` : nothing}
      <h1>
        ${own ? t("myProgressTitle") : (learnerName(learnerId) ?? t("learnerTitle"))}
        ${own ? nothing : html`<code class="muted id-inline">${learnerId}</code>`}
      </h1>
    </div>
    ${widgetTrio(app, learnerId)}
    <div class="two-col">${forecastCard(app, learnerId)} ${recommendationsCard(app, learnerId)}</div>
  `;
}
