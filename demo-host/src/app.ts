/** What every view may use: configuration, the API, the signed-in session and the page settings. */
import type { Api } from "./api.ts";
import type { DemoConfig } from "./config.ts";
import type { Locale, Translate } from "./i18n.ts";
import { humanProblem } from "./problems.ts";
import type { EmbedTokens, Session } from "./session.ts";

export type Theme = "auto" | "light" | "dark";

export interface App {
  config: DemoConfig;
  api: Api;
  tokens: EmbedTokens;
  session: Session | null;
  theme: Theme;
  lang: Locale;
  t: Translate;
  /** Set once the widget bundle has loaded (or the reason it did not). */
  widgets: { ready: boolean; error: string | null };
  update(): void;
  navigate(hash: string): void;
  signOut(message?: string): void;
}

/** A value loaded for a view: nothing yet, loading, the answer, or the refusal. */
export type Load<T> =
  | { state: "idle" }
  | { state: "loading" }
  | { state: "ready"; value: T }
  | { state: "failed"; status: number; detail: string };

export const idle = { state: "idle" } as const;

export async function load<T>(app: App, work: () => Promise<T>, set: (value: Load<T>) => void): Promise<void> {
  set({ state: "loading" });
  app.update();
  // The session this load was asked under: a refusal of the previous user's request, arriving after
  // someone else signed in to the tab, is not a reason to sign them out.
  const askedUnder = app.session;
  try {
    set({ state: "ready", value: await work() });
  } catch (error) {
    const status = (error as { status?: number }).status ?? 0;
    // The session expired while the page was open: back to sign-in rather than a broken view.
    if (status === 401 && app.session && app.session === askedUnder) return app.signOut(app.t("sessionEnded"));
    set({ state: "failed", status, detail: humanProblem(app.t, error) });
  }
  app.update();
}
