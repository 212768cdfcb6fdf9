/**
 * Loading the widgets exactly as a third-party page does: one <script src> of the built bundle,
 * then the page-wide `MS8.configure({apiBase, getToken})`. Nothing here imports widget source.
 */
import type { EmbedTokens } from "./session.ts";

interface Ms8Global {
  configure(config: {
    apiBase?: string;
    getToken?: () => Promise<string | null> | string | null;
    fetch?: typeof fetch;
  }): void;
}
declare global {
  interface Window {
    MS8?: Ms8Global;
  }
}

let loading: Promise<Ms8Global> | null = null;

export function loadWidgets(src: string): Promise<Ms8Global> {
  loading ??= new Promise<Ms8Global>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = () =>
      window.MS8 ? resolve(window.MS8) : reject(new Error(`${src} loaded but did not define window.MS8`));
    script.onerror = () => reject(new Error(`The widget bundle could not be loaded from ${src}`));
    document.head.append(script);
  });
  return loading;
}

/**
 * Wire the widgets to the BFF. The fetch wrapper only watches for a 401 so the next `getToken()`
 * mints a new embed token instead of handing back the refused one (the widgets ask once more after
 * a 401); it changes nothing on the request.
 */
export function configureWidgets(ms8: Ms8Global, apiBase: string, tokens: EmbedTokens): void {
  const watchedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (response.status === 401) {
      const sent = new Headers(init?.headers).get("authorization")?.replace(/^Bearer /, "");
      if (sent) tokens.refused(sent);
    }
    return response;
  };
  ms8.configure({ apiBase, getToken: () => tokens.getToken(), fetch: watchedFetch });
}
