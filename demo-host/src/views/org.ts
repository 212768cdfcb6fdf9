/**
 * Trainer and org admin view: the organization summary, the at-risk list (in the API's order, level
 * then score, paged with its cursor, filtered by minimum level) and, for org admins, AI usage.
 * A trainer's summary and list cover only their learners (the API's `scope: "trainer"`), and the
 * page says so.
 */
import type { AiUsageReport, OrgSummary } from "@ms8/edge/contract";
import { html, nothing } from "lit";
import { styleMap } from "lit/directives/style-map.js";
import type { AtRiskRow } from "../api.ts";
import { type App, idle, type Load, load } from "../app.ts";

/** The summary as the BFF sends it: the schema's figures plus the activity counts its store adds. */
type SummaryFigures = OrgSummary & { activeLearners7d?: number; events7d?: number; badgesAwarded?: number };

const LEVELS = ["low", "medium", "high", "critical"] as const;
/**
 * High and up, as the API counts "at risk" (the summary's atRiskCount and the list's own default):
 * the list then holds exactly the learners the summary counts. "low" lists every learner.
 */
const DEFAULT_MIN_LEVEL = "high";

const view = {
  orgId: "",
  summary: idle as Load<SummaryFigures>,
  aiUsage: idle as Load<{ data: AiUsageReport }>,
  atRisk: {
    minLevel: DEFAULT_MIN_LEVEL as string,
    limit: 10,
    /** cursors[i] fetched page i; the first page has no cursor. */
    cursors: [null] as (string | null)[],
    page: 0,
    rows: idle as Load<{ items: AtRiskRow[]; nextCursor: string | null }>,
  },
};

/** Names of learners met in the at-risk list, so their page can greet them by name. */
const names = new Map<string, string>();
export const learnerName = (learnerId: string) => names.get(learnerId);

/** Counts the at-risk pages asked for; only the answer to the latest ask is shown. */
let atRiskAsks = 0;

function loadAtRiskPage(app: App) {
  const a = view.atRisk;
  const cursor = a.cursors[a.page] ?? null;
  // A trainer who changes the level or page size while a page is loading asked a new question:
  // the earlier answer may arrive last and must not replace the list they now expect.
  const ask = ++atRiskAsks;
  load(
    app,
    () => app.api.atRisk(view.orgId, { minLevel: a.minLevel, cursor, limit: a.limit }),
    (v) => {
      if (ask !== atRiskAsks) return;
      a.rows = v;
      if (v.state === "ready") {
        a.cursors[a.page + 1] = v.value.nextCursor;
        for (const row of v.value.items) names.set(row.learnerId, row.displayName);
      }
    },
  );
}

/** Counts the summary loads (and sign-outs); only answers to the latest load are shown. */
let summaryLoads = 0;

export function enterOrg(app: App) {
  const user = app.session?.user;
  if (!user) return;
  app.tokens.setScope(undefined);
  if (view.orgId === user.orgId && view.summary.state === "ready") return;
  view.orgId = user.orgId;
  // An answer asked for before sign-out may arrive after the next user signed in to this tab: a
  // trainer after an admin saw the admin's whole-organization summary and AI usage.
  const loaded = ++summaryLoads;
  load(
    app,
    () => app.api.orgSummary(user.orgId),
    (v) => {
      if (loaded === summaryLoads) view.summary = v;
    },
  );
  if (user.roles.includes("org_admin")) {
    load(
      app,
      () => app.api.aiUsage(user.orgId),
      (v) => {
        if (loaded === summaryLoads) view.aiUsage = v;
      },
    );
  } else view.aiUsage = idle;
  restartAtRisk(app);
}

function restartAtRisk(app: App) {
  view.atRisk.cursors = [null];
  view.atRisk.page = 0;
  loadAtRiskPage(app);
}

export function resetOrgView() {
  view.orgId = "";
  view.summary = idle;
  view.aiUsage = idle;
  view.atRisk.rows = idle;
  view.atRisk.minLevel = DEFAULT_MIN_LEVEL;
  // Answers still on their way belong to the session that ended.
  summaryLoads++;
  atRiskAsks++;
}

function summaryCard(app: App) {
  const s = view.summary;
  const { t } = app;
  const int = new Intl.NumberFormat(app.lang);
  const percent = new Intl.NumberFormat(app.lang, { style: "percent", maximumFractionDigits: 0 });
  let body: unknown;
  if (s.state === "ready") {
    const d = s.value;
    const levels = d.byRiskLevel;
    // Activity figures the BFF adds beyond the published schema; shown when it sends them.
    const extra = (["activeLearners7d", "events7d", "badgesAwarded"] as const).filter(
      (key) => typeof d[key] === "number",
    );
    body = html`<dl class="stats">
        <div class="stat"><dt>${t("learners")}</dt><dd data-stat="learnerCount">${int.format(d.learnerCount)}</dd></div>
        <div class="stat"><dt>${t("atRiskCount")}</dt><dd data-stat="atRiskCount">${int.format(d.atRiskCount)}</dd></div>
        <div class="stat">
          <dt>${t("averageRisk")}</dt>
          <dd data-stat="averageRiskScore">${d.averageRiskScore === null ? "—" : percent.format(d.averageRiskScore)}</dd>
        </div>
        ${extra.map(
          (key) =>
            html`<div class="stat"><dt>${t(key)}</dt><dd data-stat=${key}>${int.format(d[key] as number)}</dd></div>`,
        )}
      </dl>
      <div class="level-bar" role="img" aria-label=${LEVELS.map((l) => `${t(`level_${l}`)}: ${levels[l]}`).join(", ")}>
        ${LEVELS.map((l) => html`<span class="level-${l}" style=${styleMap({ flexGrow: String(levels[l]) })}></span>`)}
      </div>
      <ul class="legend">
        ${LEVELS.map(
          (l) =>
            html`<li class="level-${l}"><span class="dot"></span>${t(`level_${l}`)} <strong data-level=${l}>${int.format(levels[l])}</strong></li>`,
        )}
      </ul>`;
  } else if (s.state === "failed") body = html`<p class="error" role="alert">${t("failed", { detail: s.detail })}</p>`;
  else body = html`<div class="skeleton" aria-hidden="true"><span></span><span></span></div>`;
  const computed = s.state === "ready" && s.value.calculatedAt ? new Date(s.value.calculatedAt) : null;
  // Trainers have no AI usage card beside it: the summary takes the whole row.
  return html`<section class=${view.aiUsage.state === "idle" ? "card span-2" : "card"} aria-labelledby="summary-title">
    <header class="card-head">
      <h2 id="summary-title">${t("summary")}</h2>
      ${
        computed
          ? html`<span class="muted small" data-as-of>
              ${t("figuresAsOf", { time: new Intl.DateTimeFormat(app.lang, { dateStyle: "medium", timeStyle: "short" }).format(computed) })}
            </span>`
          : nothing
      }
    </header>
    ${body}
  </section>`;
}

/**
 * The at-risk list carries only the factor's machine name: show the API's own label for it
 * (edge/src/analytics/risk.ts FACTOR_LABELS, the words <ms8-dropoff-risk> shows), in the page's
 * language; an unknown name is shown as it is rather than guessed at.
 */
const FACTORS = ["missedWork", "lateWork", "scoreShortfall", "studyLoad", "courseWeek"] as const;
export const factorLabel = (app: App, name: string) =>
  (FACTORS as readonly string[]).includes(name) ? app.t(`factor_${name as (typeof FACTORS)[number]}`) : name;

function atRiskCard(app: App) {
  const a = view.atRisk;
  const { t } = app;
  const percent = new Intl.NumberFormat(app.lang, { style: "percent", maximumFractionDigits: 0 });
  // Each row is its own snapshot (recomputed when the learner is next opened or ingested): say
  // when, since rows of one page can be hours apart. Today's as a time, older ones with the date.
  const today = new Date().toDateString();
  const timeOnly = new Intl.DateTimeFormat(app.lang, { timeStyle: "short" });
  const withDate = new Intl.DateTimeFormat(app.lang, { dateStyle: "medium", timeStyle: "short" });
  const asOf = (iso: string) => {
    const at = new Date(iso);
    return (at.toDateString() === today ? timeOnly : withDate).format(at);
  };
  // No sorting here: a page holds one slice of the API's order (level, then score), so sorting it
  // would claim an order the next page breaks. Highest risk first is the order a trainer acts on.
  const rows = a.rows.state === "ready" ? a.rows.value.items : [];
  const hasNext = a.rows.state === "ready" && Boolean(a.rows.value.nextCursor);
  const open = (id: string) => app.navigate(`#/learners/${encodeURIComponent(id)}`);
  return html`<section class="card span-2" aria-labelledby="at-risk-title">
    <header class="card-head">
      <div>
        <h2 id="at-risk-title">${t("atRisk")}</h2>
        <p class="muted">${t("atRiskLead")}</p>
      </div>
      <div class="controls">
        <label>
          <span>${t("minLevel")}</span>
          <select
            name="minLevel"
            @change=${(e: Event) => {
              a.minLevel = (e.target as HTMLSelectElement).value;
              restartAtRisk(app);
            }}
          >
            ${LEVELS.map(
              (l) =>
                html`<option value=${l} ?selected=${a.minLevel === l}>${l === "low" ? t("allLevels") : t(`level_${l}`)}</option>`,
            )}
          </select>
        </label>
        <label>
          <span>${t("pageSize")}</span>
          <select
            name="limit"
            @change=${(e: Event) => {
              a.limit = Number((e.target as HTMLSelectElement).value);
              restartAtRisk(app);
            }}
          >
            ${[10, 25, 50].map((n) => html`<option value=${n} ?selected=${a.limit === n}>${n}</option>`)}
          </select>
        </label>
      </div>
    </header>
    ${a.rows.state === "failed" ? html`<p class="error" role="alert">${t("failed", { detail: a.rows.detail })}</p>` : nothing}
    <div class="table-wrap" aria-busy=${a.rows.state === "loading"}>
      <table class="at-risk">
        <thead>
          <tr>
            <th scope="col">${t("colLearner")}</th><th scope="col">${t("colLevel")}</th>
            <th scope="col" class="num">${t("colScore")}</th><th scope="col">${t("colFactor")}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            // The learner's link is what keyboards and screen readers reach (named by the learner);
            // a click anywhere else on the row opens the learner too, for the mouse.
            (r) => html`<tr
              data-learner-id=${r.learnerId}
              @click=${(e: MouseEvent) => {
                if (!(e.target as Element).closest("a")) open(r.learnerId);
              }}
            >
              <th scope="row">
                <a href=${`#/learners/${encodeURIComponent(r.learnerId)}`} dir="auto">${r.displayName}</a>
                <span class="muted id">${r.learnerId}</span>
                <span class="muted as-of" data-calculated-at=${r.calculatedAt}>${t("rowAsOf", { time: asOf(r.calculatedAt) })}</span>
              </th>
              <td data-label=${t("colLevel")}><span class="level level-${r.riskLevel}"><span class="dot" aria-hidden="true"></span>${t(`level_${r.riskLevel}`)}</span></td>
              <td class="num" data-label=${t("colScore")}>${percent.format(r.riskScore)}</td>
              <td data-label=${t("colFactor")} data-factor=${r.topFactor ?? ""}>${r.topFactor ? factorLabel(app, r.topFactor) : "—"}</td>
            </tr>`,
          )}
          ${
            a.rows.state === "ready" && rows.length === 0
              ? html`<tr><td colspan="4" class="muted empty">${t("noneAtRisk")}</td></tr>`
              : nothing
          }
          ${
            a.rows.state === "loading" && rows.length === 0
              ? html`<tr><td colspan="4"><div class="skeleton" aria-hidden="true"><span></span><span></span><span></span></div></td></tr>`
              : nothing
          }
        </tbody>
      </table>
    </div>
    <nav class="pager" aria-label=${t("atRisk")}>
      <button
        type="button"
        data-page="previous"
        ?disabled=${a.page === 0 || a.rows.state === "loading"}
        @click=${() => {
          a.page -= 1;
          loadAtRiskPage(app);
        }}
      >
        ${t("previous")}
      </button>
      <span class="muted" aria-live="polite">${t("pageN", { n: a.page + 1 })}</span>
      <button
        type="button"
        data-page="next"
        ?disabled=${!hasNext || a.rows.state === "loading"}
        @click=${() => {
          a.page += 1;
          loadAtRiskPage(app);
        }}
      >
        ${t("next")}
      </button>
    </nav>
  </section>`;
}

function aiUsageCard(app: App) {
  const u = view.aiUsage;
  const { t } = app;
  if (u.state === "idle") return nothing;
  const int = new Intl.NumberFormat(app.lang);
  const usd = new Intl.NumberFormat(app.lang, { style: "currency", currency: "USD", maximumFractionDigits: 4 });
  let body: unknown;
  if (u.state === "ready") {
    const r = u.value.data;
    const used = r.dailyTokenBudget ? Math.min(1, r.tokensUsedToday / r.dailyTokenBudget) : 0;
    body = html`
      ${r.aiEnabled ? nothing : html`<p class="notice">${t("aiDisabled")}</p>`}
      <div class="budget">
        <div class="budget-label">
          <span>${t("budgetToday")}</span>
          <span>${int.format(r.tokensUsedToday)} / ${int.format(r.dailyTokenBudget)}</span>
        </div>
        <progress max="1" .value=${used} aria-label=${t("budgetToday")}></progress>
      </div>
      <dl class="stats">
        <div class="stat"><dt>${t("calls")}</dt><dd data-stat="calls">${int.format(r.totals.calls)}</dd></div>
        <div class="stat"><dt>${t("tokensIn")}</dt><dd>${int.format(r.totals.tokensIn)}</dd></div>
        <div class="stat"><dt>${t("tokensOut")}</dt><dd>${int.format(r.totals.tokensOut)}</dd></div>
        <div class="stat"><dt>${t("cost")}</dt><dd>${usd.format(r.totals.estimatedCostUsd)}</dd></div>
      </dl>
      ${
        r.days.length
          ? html`<div class="table-wrap"><table>
              <thead><tr><th scope="col">${t("day")}</th><th scope="col">${t("calls")}</th><th scope="col">${t("failedCalls")}</th><th scope="col">${t("tokensIn")}</th><th scope="col">${t("tokensOut")}</th><th scope="col">${t("cost")}</th></tr></thead>
              <tbody>
                ${r.days.map(
                  (d) =>
                    html`<tr><th scope="row">${d.day}</th><td class="num">${int.format(d.calls)}</td><td class="num">${int.format(d.failedCalls)}</td><td class="num">${int.format(d.tokensIn)}</td><td class="num">${int.format(d.tokensOut)}</td><td class="num">${usd.format(d.estimatedCostUsd)}</td></tr>`,
                )}
              </tbody>
            </table></div>`
          : html`<p class="muted">${t("noUsage")}</p>`
      }
      <p class="muted small">${r.model}</p>`;
  } else if (u.state === "failed") body = html`<p class="error" role="alert">${t("failed", { detail: u.detail })}</p>`;
  else body = html`<div class="skeleton" aria-hidden="true"><span></span><span></span></div>`;
  return html`<section class="card" aria-labelledby="ai-usage-title">
    <header class="card-head">
      <div>
        <h2 id="ai-usage-title">${t("aiUsage")}</h2>
        <p class="muted">${t("aiUsageLead")}</p>
      </div>
    </header>
    ${body}
  </section>`;
}

/** Whose learners the page shows: the API's answer once it came, the caller's roles until then. */
function trainerScope(app: App): boolean {
  if (view.summary.state === "ready") return view.summary.value.scope === "trainer";
  return !app.session?.user.roles.includes("org_admin");
}

export function orgView(app: App) {
  const mine = trainerScope(app);
  return html`
    <div class="page-head">
      <h1>
        ${app.t(mine ? "orgTitleTrainer" : "orgTitle")}
        <span class="muted">${app.config.organizations.find((o) => o.orgId === view.orgId)?.name ?? view.orgId}</span>
      </h1>
      ${mine ? html`<p class="muted" data-scope="trainer">${app.t("orgLeadTrainer")}</p>` : nothing}
    </div>
    <div class="org-grid">${summaryCard(app)} ${aiUsageCard(app)} ${atRiskCard(app)}</div>
  `;
}
