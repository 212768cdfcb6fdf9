/**
 * Operator panel (demo only): drives the simulator's fault injection through the dev server's
 * `/__simulator` proxy, and shows what the BFF's /health makes of it. Take a service down, watch the
 * widgets fall back to stale data with their label, restore it, watch them recover.
 */
import { html, nothing } from "lit";
import type { App } from "../app.ts";

const SERVICES = [
  ["auth", "Auth"],
  ["directory", "Directory"],
  ["course", "Course Builder"],
  ["content", "Content Studio"],
  ["assessment", "Assessment"],
  ["skills", "Skills Engine"],
  ["learnerAi", "Learner AI"],
  ["devlab", "DevLab"],
  ["rag", "RAG Assistant"],
] as const;

interface Fault {
  down?: boolean;
  latencyMs?: number;
  errorRate?: number;
}
const state = {
  faults: {} as Record<string, Fault>,
  /**
   * Whether the faults shown were read since the panel was entered. Until then the switches are
   * disabled: after a page load they would show every service up, and switching one "off" that is
   * really down did nothing (the e2e outage test saw the fault stay on).
   */
  loaded: false,
  draft: {} as Record<string, { latencyMs: number; errorRate: number }>,
  health: null as Record<string, unknown> | null,
  error: "",
  timer: 0 as number | ReturnType<typeof setInterval>,
};

async function admin(path: string, init?: RequestInit) {
  const response = await fetch(`/__simulator/__admin${path}`, {
    ...init,
    headers: init?.body ? { "content-type": "application/json" } : undefined,
  });
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${path}: HTTP ${response.status}`);
  return response.status === 204 ? null : response.json();
}

/**
 * Reads are numbered; an answer older than the one shown is dropped. The 3-second poll and the read
 * after a switch overlap: a read started before the switch could arrive last and turn it back off.
 */
const reads = { asked: 0, shown: 0 };

async function refresh(app: App) {
  const read = ++reads.asked;
  try {
    const [faults, health] = await Promise.all([admin("/faults"), app.api.health()]);
    if (read < reads.shown) return;
    reads.shown = read;
    state.faults = (faults?.faults ?? faults ?? {}) as Record<string, Fault>;
    state.health = health;
    state.loaded = true;
    state.error = "";
  } catch (error) {
    if (read < reads.shown) return;
    reads.shown = read;
    state.error = error instanceof Error ? error.message : String(error);
  }
  app.update();
}

async function setFault(app: App, service: string, fault: Fault) {
  try {
    await admin(`/faults/${service}`, { method: "PUT", body: JSON.stringify(fault) });
  } catch (error) {
    state.error = error instanceof Error ? error.message : String(error);
  }
  await refresh(app);
}

export function enterOperator(app: App) {
  clearInterval(state.timer);
  if (!app.config.operator) return;
  state.loaded = false;
  refresh(app);
  state.timer = setInterval(() => {
    if (location.hash.startsWith("#/operator")) refresh(app);
    else clearInterval(state.timer);
  }, 3000);
}

function upstreamState(service: string): string | null {
  const upstreams = (state.health?.upstreams ?? state.health?.services) as
    | Record<string, { state?: string; status?: string } | string>
    | undefined;
  const entry = upstreams?.[service];
  if (!entry) return null;
  return typeof entry === "string" ? entry : (entry.state ?? entry.status ?? null);
}

export function operatorView(app: App) {
  const { t } = app;
  if (!app.config.operator) {
    return html`<div class="page-head"><h1>${t("operatorTitle")}</h1></div>
      <p class="notice">${t("operatorUnavailable")}</p>`;
  }
  const status = (state.health?.status as string | undefined) ?? null;
  return html`
    <div class="page-head">
      <h1>${t("operatorTitle")}</h1>
      <p class="lead">${t("operatorLead")}</p>
    </div>
    ${state.error ? html`<p class="error" role="alert">${state.error}</p>` : nothing}
    <section class="card" aria-labelledby="services-title">
      <header class="card-head">
        <h2 id="services-title">
          ${t("bffHealth")}:
          ${status ? html`<span class="health health-${status}">${t(status as "healthy")}</span>` : "…"}
        </h2>
        <button type="button" data-restore="all" @click=${async () => {
          await Promise.all(
            SERVICES.map(([id]) => admin(`/faults/${id}`, { method: "PUT", body: "{}" }).catch(() => null)),
          );
          await refresh(app);
        }}>${t("restoreAll")}</button>
      </header>
      <div class="table-wrap">
        <table class="services" aria-busy=${state.loaded ? "false" : "true"}>
          <thead>
            <tr>
              <th scope="col">${t("service")}</th>
              <th scope="col">${t("state")}</th>
              <th scope="col">${t("faultDown")}</th>
              <th scope="col">${t("latency")}</th>
              <th scope="col">${t("errorRate")}</th>
              <th scope="col"><span class="visually-hidden">${t("apply")}</span></th>
            </tr>
          </thead>
          <tbody>
            ${SERVICES.map(([id, name]) => {
              const fault = state.faults[id] ?? {};
              state.draft[id] ??= { latencyMs: fault.latencyMs ?? 0, errorRate: fault.errorRate ?? 0 };
              const draft = state.draft[id];
              const seen = upstreamState(id);
              return html`<tr data-service=${id}>
                <th scope="row">${name}</th>
                <td>${seen ? html`<span class="health health-${seen}">${t(seen as "healthy")}</span>` : html`<span class="muted">—</span>`}</td>
                <td>
                  <label class="switch">
                    <input
                      type="checkbox"
                      role="switch"
                      data-fault="down"
                      aria-label=${`${name}: ${t("faultDown")}`}
                      .checked=${Boolean(fault.down)}
                      ?disabled=${!state.loaded}
                      @change=${(e: Event) => setFault(app, id, { ...fault, down: (e.target as HTMLInputElement).checked })}
                    />
                    <span aria-hidden="true"></span>
                  </label>
                </td>
                <td>
                  <input type="number" min="0" max="60000" step="50" inputmode="numeric" class="narrow"
                    aria-label=${`${name}: ${t("latency")}`} .value=${String(draft.latencyMs)}
                    @input=${(e: Event) => {
                      draft.latencyMs = Number((e.target as HTMLInputElement).value) || 0;
                    }} />
                </td>
                <td>
                  <input type="number" min="0" max="1" step="0.1" class="narrow"
                    aria-label=${`${name}: ${t("errorRate")}`} .value=${String(draft.errorRate)}
                    @input=${(e: Event) => {
                      draft.errorRate = Math.min(1, Math.max(0, Number((e.target as HTMLInputElement).value) || 0));
                    }} />
                </td>
                <td class="actions">
                  <button type="button" ?disabled=${!state.loaded} @click=${() => setFault(app, id, { ...fault, latencyMs: draft.latencyMs, errorRate: draft.errorRate })}>${t("apply")}</button>
                  <button type="button" class="link" ?disabled=${!state.loaded} @click=${() => {
                    state.draft[id] = { latencyMs: 0, errorRate: 0 };
                    setFault(app, id, {});
                  }}>${t("restore")}</button>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    </section>
  `;
}
