/**
 * The MS8 demo dashboard: a host page like any other. It signs in through the BFF, keeps the
 * session token to itself, loads the widget bundle with a <script src> and hands the widgets
 * short-lived embed tokens. Routes live in the hash so the static build needs no server rules.
 */
import { html, nothing, render } from "lit";
import { createApi } from "./api.ts";
import type { App, Theme } from "./app.ts";
import { loadConfig } from "./config.ts";
import { directionOf, isLocale, type Locale, locales, translator } from "./i18n.ts";
import { clearSession, createEmbedTokens, loadSession } from "./session.ts";
import "./styles.css";
import { embedView } from "./views/embed.ts";
import { enterLearner, isLearnerId, learnerView, widgetTrio } from "./views/learner.ts";
import { enterOperator, operatorView } from "./views/operator.ts";
import { enterOrg, orgView, resetOrgView } from "./views/org.ts";
import { setSignInNotice, signInView } from "./views/signin.ts";
import { configureWidgets, loadWidgets } from "./widgets.ts";

const SETTINGS_KEY = "ms8-demo.settings";
const root = document.getElementById("app")!;

type Route =
  | { name: "sign-in" }
  | { name: "me" }
  | { name: "learner"; learnerId: string }
  | { name: "org" }
  | { name: "embed" }
  | { name: "operator" };

function parseRoute(hash: string): Route {
  const [, first, second] = hash.replace(/^#/, "").split("/");
  if (first === "learners" && second) {
    let learnerId = second;
    try {
      learnerId = decodeURIComponent(second);
    } catch {
      // A broken escape (%E0): keep it raw; the learner view says it is not a learner id.
    }
    return { name: "learner", learnerId };
  }
  if (first === "me" || first === "org" || first === "embed" || first === "operator" || first === "sign-in") {
    return { name: first };
  }
  return { name: "me" };
}

function savedSettings(): { theme: Theme; lang: Locale } {
  try {
    const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "{}");
    const browser = navigator.language.split("-")[0] ?? "en";
    return {
      theme: ["auto", "light", "dark"].includes(saved.theme) ? saved.theme : "auto",
      lang: isLocale(saved.lang) ? saved.lang : isLocale(browser) ? browser : "en",
    };
  } catch {
    return { theme: "auto", lang: "en" };
  }
}

async function start() {
  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await loadConfig();
  } catch (error) {
    render(html`<main class="boot-error"><p class="error">${String(error)}</p></main>`, root);
    return;
  }
  const settings = savedSettings();
  const app: App = {
    config,
    api: createApi(
      config.apiBase,
      () => app.session?.token ?? null,
      () => app.lang,
    ),
    tokens: undefined as unknown as App["tokens"],
    session: loadSession(),
    theme: settings.theme,
    lang: settings.lang,
    t: translator(settings.lang),
    widgets: { ready: false, error: null },
    update: () => schedule(),
    navigate(hash) {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
    signOut(message) {
      clearSession();
      app.session = null;
      app.tokens.clear();
      resetOrgView();
      if (message) setSignInNotice(message);
      app.navigate("#/sign-in");
    },
  };
  app.tokens = createEmbedTokens(app.api);
  let lastLearnerId: string | null = null;
  let current: Route = { name: "sign-in" };

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      draw();
    });
  }

  function applySettings() {
    const html = document.documentElement;
    html.lang = app.lang;
    html.dir = directionOf(app.lang);
    html.dataset.theme = app.theme;
    app.t = translator(app.lang);
    localStorage.setItem(SETTINGS_KEY, JSON.stringify({ theme: app.theme, lang: app.lang }));
  }

  // A session ends after 15 minutes: go back to sign-in then, rather than leave widgets without tokens.
  let sessionTimer: ReturnType<typeof setTimeout> | undefined;
  function watchSessionEnd() {
    clearTimeout(sessionTimer);
    const session = app.session;
    if (session)
      sessionTimer = setTimeout(() => app.signOut(app.t("sessionEnded")), Date.parse(session.expiresAt) - Date.now());
  }

  function route() {
    watchSessionEnd();
    const wanted = parseRoute(location.hash);
    const session = app.session;
    if (!session || Date.parse(session.expiresAt) <= Date.now()) {
      if (session) app.signOut(app.t("sessionEnded"));
      current = { name: "sign-in" };
    } else if (wanted.name === "sign-in") {
      current = session.user.roles.some((r) => r !== "learner") ? { name: "org" } : { name: "me" };
    } else current = wanted;
    if (current.name === "me" && session) enterLearner(app, session.user.id);
    if (current.name === "learner") {
      // A malformed id is not a learner to embed or watch.
      if (isLearnerId(current.learnerId)) lastLearnerId = current.learnerId;
      enterLearner(app, current.learnerId);
    }
    if (current.name === "org") enterOrg(app);
    if (current.name === "operator") {
      const watched = operatorLearner();
      if (watched) app.tokens.setScope(watched);
      enterOperator(app);
    }
    if (current.name === "embed") app.tokens.setScope(operatorLearner() ?? undefined);
    draw();
    document.getElementById("main")?.focus({ preventScroll: true });
  }

  /** The learner the operator and embed panels show: oneself, else the last learner opened. */
  function operatorLearner(): string | null {
    const user = app.session?.user;
    if (!user) return null;
    return user.roles.includes("learner") ? user.id : (lastLearnerId ?? null);
  }

  function navLink(hash: string, label: string, active: boolean) {
    return html`<a href=${hash} class=${active ? "active" : ""} aria-current=${active ? "page" : "false"}>${label}</a>`;
  }

  function header() {
    const { t } = app;
    const user = app.session?.user;
    const staff = user?.roles.some((r) => r !== "learner");
    return html`<header class="topbar">
      <div class="topbar-row">
      <a class="brand" href="#/">
        <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
          <rect width="32" height="32" rx="8" fill="var(--accent)"></rect>
          <path d="M8 22V10l8 7 8-7v12" stroke="white" stroke-width="3" fill="none" stroke-linejoin="round"></path>
        </svg>
        <span class="brand-name">${t("appName")}</span>
        <span class="badge">${t("demo")}</span>
      </a>
      <span class="spacer"></span>
      <div class="settings">
        <label class="compact">
          <span class="visually-hidden">${t("theme")}</span>
          <select
            name="theme"
            aria-label=${t("theme")}
            @change=${(e: Event) => {
              app.theme = (e.target as HTMLSelectElement).value as Theme;
              applySettings();
              draw();
            }}
          >
            ${(["auto", "light", "dark"] as const).map(
              (v) =>
                html`<option value=${v} ?selected=${app.theme === v}>
                  ${t(v === "auto" ? "themeAuto" : v === "light" ? "themeLight" : "themeDark")}
                </option>`,
            )}
          </select>
        </label>
        <label class="compact">
          <span class="visually-hidden">${t("language")}</span>
          <select
            name="lang"
            aria-label=${t("language")}
            @change=${(e: Event) => {
              app.lang = (e.target as HTMLSelectElement).value as Locale;
              applySettings();
              // A learner's page asks for its commentary and recommendations in the new language
              // (not route(): focus stays on this select).
              if (current.name === "me" && app.session) enterLearner(app, app.session.user.id);
              if (current.name === "learner") enterLearner(app, current.learnerId);
              draw();
            }}
          >
            ${Object.entries(locales).map(([v, label]) => html`<option value=${v} ?selected=${app.lang === v}>${label}</option>`)}
          </select>
        </label>
        ${
          user
            ? html`<div class="user">
                <span class="user-name">${user.displayName}</span>
                <span class="muted user-roles">${user.roles.map((r) => t(`roles_${r}`)).join(" · ")}</span>
              </div>
              <button type="button" class="signout" @click=${() => app.signOut()}>${t("signOut")}</button>`
            : nothing
        }
      </div>
      </div>
      ${
        user
          ? html`<nav class="mainnav" aria-label="Main">
              ${user.roles.includes("learner") ? navLink("#/me", t("navMe"), current.name === "me") : nothing}
              ${staff ? navLink("#/org", t("navOrg"), current.name === "org") : nothing}
              ${
                current.name === "learner"
                  ? navLink(`#/learners/${encodeURIComponent(current.learnerId)}`, t("navLearner"), true)
                  : nothing
              }
              ${navLink("#/embed", t("navEmbed"), current.name === "embed")}
              ${app.config.operator ? navLink("#/operator", t("navOperator"), current.name === "operator") : nothing}
            </nav>`
          : nothing
      }
    </header>`;
  }

  function page() {
    const user = app.session?.user;
    switch (current.name) {
      case "sign-in":
        return signInView(app);
      case "me":
        return learnerView(app, user!.id, true);
      case "learner":
        return learnerView(app, current.learnerId, current.learnerId === user?.id);
      case "org":
        return orgView(app);
      case "embed":
        return embedView(app, operatorLearner() ?? "LEARNER_ID");
      case "operator": {
        const watched = operatorLearner();
        return html`${operatorView(app)} ${watched ? widgetTrio(app, watched) : nothing}`;
      }
    }
  }

  function draw() {
    render(
      html`${header()}
        <main id="main" tabindex="-1" class=${`view-${current.name}`}>${page()}</main>
        <footer class="footer muted">
          MS8 Learning Analytics · <a href=${`${app.config.apiBase}/docs`} target="_blank" rel="noopener">API reference</a>
        </footer>`,
      root,
    );
  }

  applySettings();
  window.addEventListener("hashchange", route);
  route();

  try {
    const ms8 = await loadWidgets(config.widgetsSrc);
    configureWidgets(ms8, config.apiBase, app.tokens);
    app.widgets.ready = true;
  } catch (error) {
    app.widgets.error = error instanceof Error ? error.message : String(error);
  }
  draw();
}

start();
