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

/** A number as the widget shows it in English ("1,234.5", "42%", "7 days"). */
export function numberIn(text: string | null): number {
  const match = /-?[\d,]+(\.\d+)?/.exec(text ?? "");
  if (!match) throw new Error(`no number in "${text}"`);
  const value = Number(match[0].replaceAll(",", ""));
  return text?.includes("%") ? value / 100 : value;
}

export const widgets = (page: Page) => ({
  velocity: page.locator("ms8-velocity"),
  risk: page.locator("ms8-dropoff-risk"),
  badges: page.locator("ms8-badges"),
});

/** The figures each widget shows, read from its (open) shadow DOM. */
export async function readWidgets(page: Page) {
  const w = widgets(page);
  const text = (l: Locator) => l.first().textContent();
  return {
    currentPace: numberIn(await text(w.velocity.locator('[part~="current-pace"] .metric-value'))),
    targetPace: numberIn(await text(w.velocity.locator('[part~="target-pace"] .metric-value'))),
    status: await w.velocity.locator('[part="status"]').getAttribute("data-status"),
    riskScore: numberIn(await text(w.risk.locator(".gauge-value"))),
    riskLevel: await w.risk.locator('[part="level"]').getAttribute("data-level"),
    points: numberIn(await text(w.badges.locator('[part="points"] .figure-value'))),
  };
}

/** The same figures from the API, rounded as the widgets display them (Intl, English). */
export async function apiFigures(session: Awaited<ReturnType<typeof apiSession>>, learnerId: string) {
  type Env<T> = { data: T };
  const id = encodeURIComponent(learnerId);
  const [v, r, g] = await Promise.all([
    session.get<Env<{ currentPace: number; targetPace: number; status: string }>>(`/api/v1/learners/${id}/velocity`),
    session.get<Env<{ riskScore: number; riskLevel: string }>>(`/api/v1/learners/${id}/dropoff-risk`),
    session.get<Env<{ points: number }>>(`/api/v1/learners/${id}/gamification`),
  ]);
  const oneDecimal = (n: number) => Math.round(n * 10) / 10;
  return {
    currentPace: oneDecimal(v.data.currentPace),
    targetPace: oneDecimal(v.data.targetPace),
    status: v.data.status,
    riskScore: Math.round(r.data.riskScore * 100) / 100,
    riskLevel: r.data.riskLevel,
    points: g.data.points,
  };
}
