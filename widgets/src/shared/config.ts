/**
 * Page-wide configuration set by `MS8.configure()`. It lives on `globalThis` rather than in this
 * module so that two copies of the bundle on one page (say, two versions) read the same settings.
 */

/** Returns the bearer token for the next request: called for each request and once more after a 401. */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

export interface Ms8Config {
  /** Origin (and optional path prefix) of the MS8 BFF, e.g. "https://analytics.example.com". */
  apiBase?: string;
  /** Hands out a short-lived embed token; never put the token in a URL. */
  getToken?: TokenProvider;
  /** A fetch to use instead of the page's (Storybook's fake API uses it; hosts may add headers). */
  fetch?: typeof fetch;
}

const CONFIG_KEY = Symbol.for("ms8.widgets.config");
type ConfigHolder = { [CONFIG_KEY]?: Ms8Config };

export function configure(config: Ms8Config): void {
  const holder = globalThis as ConfigHolder;
  holder[CONFIG_KEY] = { ...holder[CONFIG_KEY], ...config };
  globalThis.dispatchEvent?.(new Event("ms8-configure"));
}

export function currentConfig(): Ms8Config {
  return (globalThis as ConfigHolder)[CONFIG_KEY] ?? {};
}
