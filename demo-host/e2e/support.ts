/** What the e2e files share: the browser, signing in like a person, reading widgets, asking the API. */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { inject } from "vitest";
import type { DemoPersona } from "../../scripts/dev.mjs";

export const stack = () => inject("stack");

const artifacts = fileURLToPath(new URL("../../.artifacts/demo-host/", import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
}

/** A page that records what went wrong in it, so a test can assert a clean run. */
export async function openPage(browser: Browser, width = 1280, height = 900) {
  const context = await browser.newContext({ viewport: { width, height }, reducedMotion: "reduce" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return { page, problems, close: () => context.close() };
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });
}

export function persona(role: DemoPersona["role"], orgIndex = 0): DemoPersona {
  const { personas } = stack();
  const orgId = personas.organizations[orgIndex]?.orgId;
  const found = personas.personas.find((p) => p.role === role && p.orgId === orgId);
  if (!found) throw new Error(`no ${role} persona in organization #${orgIndex}`);
  return found;
}

/** Sign in through the dashboard's form, choosing the persona card as a person would. */
export async function signIn(page: Page, who: DemoPersona) {
  await page.goto(`${stack().urls.dashboard}/#/sign-in`);
  await page.locator(`button.persona[data-email="${who.email}"]`).click();
  await page.locator("#sign-in-submit").click();
  await page.locator("button.signout").waitFor();
}

/** The BFF as the tests' own client: sign in, then GET with that session. */
export async function apiSession(who: DemoPersona) {
  const base = stack().urls.edge;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: who.email, password: who.password }),
  });
  if (!login.ok) throw new Error(`login as ${who.email}: HTTP ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  return {
    token,
    async status(path: string): Promise<number> {
      const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await r.body?.cancel();
      return r.status;
    },
    async get<T>(path: string): Promise<T> {
      const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
  };
}

/** Wait until a widget settled in a final state (data, empty, not-allowed or error). */
export async function widgetState(widget: Locator, timeout = 30_000): Promise<string> {
  const settled = widget.locator(
    '[data-state="data"], [data-state="empty"], [data-state="not-allowed"], [data-state="error"]',
  );
  await settled.first().waitFor({ timeout });
  return (await settled.first().getAttribute("data-state")) ?? "";
}

export const widgets = (page: Page) => ({
  velocity: page.locator("ms8-velocity"),
  risk: page.locator("ms8-dropoff-risk"),
  badges: page.locator("ms8-badges"),
});

/** English, as the widgets format for `lang="en"`: one decimal for paces, whole percent and points. */
export const asShown = {
  pace: (n: number) => new Intl.NumberFormat("en", { maximumFractionDigits: 1 }).format(n),
  percent: (n: number) => new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 0 }).format(n),
  count: (n: number) => new Intl.NumberFormat("en", { maximumFractionDigits: 0 }).format(n),
};

/**
 * What each widget shows: its state, and for "data" its figures as text, read from its (open)
 * shadow DOM once it has settled.
 */
export async function readWidgets(page: Page) {
  const w = widgets(page);
  const text = async (l: Locator) => (await l.first().textContent())?.trim() ?? "";
  const [velocity, risk, badges] = [
    await widgetState(w.velocity),
    await widgetState(w.risk),
    await widgetState(w.badges),
  ];
  return {
    velocity:
      velocity === "data"
        ? {
            currentPace: await text(w.velocity.locator('[part~="current-pace"] .metric-value')),
            targetPace: await text(w.velocity.locator('[part~="target-pace"] .metric-value')),
            status: await w.velocity.locator('[part="status"]').getAttribute("data-status"),
          }
        : velocity,
    risk:
      risk === "data"
        ? {
            riskScore: await text(w.risk.locator(".gauge-value")),
            riskLevel: await w.risk.locator('[part="level"]').getAttribute("data-level"),
          }
        : risk,
    badges: badges === "data" ? { points: await text(w.badges.locator('[part="points"] .figure-value')) } : badges,
  };
}

/**
 * The same from the API: the state each widget must be in for these answers (the widgets' own
 * "empty" rules), and the figures formatted as a reader sees them.
 */
export async function apiFigures(session: Awaited<ReturnType<typeof apiSession>>, learnerId: string) {
  type Env<T> = { data: T };
  const id = encodeURIComponent(learnerId);
  const [v, r, g] = await Promise.all([
    session.get<Env<{ currentPace: number; targetPace: number; status: string; unitsTotal: number }>>(
      `/api/v1/learners/${id}/velocity`,
    ),
    session.get<Env<{ riskScore: number; riskLevel: string; factors: unknown[] }>>(
      `/api/v1/learners/${id}/dropoff-risk`,
    ),
    session.get<Env<{ points: number; longestStreak: number; badges: { earnedAt: string | null }[] }>>(
      `/api/v1/learners/${id}/gamification`,
    ),
  ]);
  return {
    velocity:
      v.data.unitsTotal === 0
        ? "empty"
        : {
            currentPace: asShown.pace(v.data.currentPace),
            targetPace: asShown.pace(v.data.targetPace),
            status: v.data.status,
          },
    risk:
      r.data.factors.length === 0
        ? "empty"
        : { riskScore: asShown.percent(r.data.riskScore), riskLevel: r.data.riskLevel },
    // No empty state for badges: an empty ledger shows zero points as they are.
    badges: { points: asShown.count(g.data.points) },
  };
}

/**
 * A promise and the function that settles it, for tests that hold an answer (page.route) until
 * something else has happened, then release it: how they put answers in a chosen order.
 */
export function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
