/**
 * "How to embed": the exact snippet for the widgets and token setup this dashboard uses right now
 * (same API base, learner, theme and language), ready to copy.
 */
import { html } from "lit";
import type { App } from "../app.ts";

let copiedId = "";

/** The BFF's own release of the bundle: a versioned, immutable path and its SRI hash. */
interface Release {
  version: string;
  path: string;
  files: Record<string, { integrity?: string }>;
}
let release: { base: string; value: Release | null } | undefined;

function loadRelease(app: App) {
  if (release?.base === app.api.base) return;
  const base = app.api.base;
  release = { base, value: null };
  fetch(`${base.replace(/\/+$/, "")}/widgets/release.json`)
    .then((answer) => (answer.ok ? (answer.json() as Promise<Release>) : null))
    .then((value) => {
      if (release?.base === base && value) {
        release.value = value;
        app.update();
      }
    })
    .catch(() => {
      // No release on this BFF (widgets not built): the snippet keeps the path pattern.
    });
}

/** The `<script>` tag a host should use: the BFF's versioned path, with integrity when known. */
function bundleTag(app: App) {
  const base = app.api.base.replace(/\/+$/, "");
  const known = release?.base === app.api.base ? release.value : null;
  const src = `${base}${known?.path ?? "/widgets/v<version>/"}ms8-widgets.js`;
  const integrity = known?.files["ms8-widgets.js"]?.integrity;
  return integrity
    ? `<script src="${src}"\n        integrity="${integrity}" crossorigin="anonymous"></script>`
    : `<script src="${src}" crossorigin="anonymous"></script>`;
}

function bundleUrl(app: App) {
  const known = release?.base === app.api.base ? release.value : null;
  return `${app.api.base.replace(/\/+$/, "")}${known?.path ?? "/widgets/v<version>/"}ms8-widgets.js`;
}

export function embedSnippets(app: App, learnerId: string) {
  const attrs = [
    `learner-id="${learnerId}"`,
    app.theme !== "auto" ? `theme="${app.theme}"` : "",
    app.lang !== "en" ? `lang="${app.lang}"` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const plain = `<!-- 1. The bundle from the BFF's versioned, immutable path (hash: GET /widgets/release.json):
     one classic script, defines <ms8-velocity>, <ms8-dropoff-risk>, <ms8-badges>.
     The BFF answers only origins in its CORS_ORIGINS: add your page's origin there
     (locally: CORS_ORIGINS=http://127.0.0.1:9100 npm start). -->
${bundleTag(app)}

<!-- 2. The widgets, anywhere in the page -->
<ms8-velocity ${attrs}></ms8-velocity>
<ms8-dropoff-risk ${attrs}></ms8-dropoff-risk>
<ms8-badges ${attrs}></ms8-badges>

<!-- 3. Where the API is, and how to get a short-lived embed token: one for all three widgets
     (they ask at the same moment), minted again when it expires or after a 401.
     Under a strict CSP, move this into your own script file. -->
<script>
  let cached = null; // Promise of {token, expiresAt} (or null: no token for this user)
  let cachedUntil = 0;
  async function mint() {
    const answer = await fetch("/ms8/embed-token?learnerId=${learnerId}", { method: "POST" });
    return answer.ok ? answer.json() : null;
  }
  MS8.configure({
    apiBase: "${app.api.base}",
    getToken: async () => {
      // A failed or refused mint is not kept: the next ask (the widget's Try again) mints again.
      if (!cached || Date.now() > cachedUntil) {
        cached = mint();
        cachedUntil = Number.POSITIVE_INFINITY; // until the answer says how long it lives
        cached.then(
          (minted) => (cachedUntil = minted ? Date.parse(minted.expiresAt) - 30_000 : 0),
          () => (cachedUntil = 0),
        );
      }
      return (await cached)?.token ?? null;
    },
    // A 401 means the token this request carried is dead: drop it, so the widget's retry mints a
    // new one. Only if it is still the cached one: the three widgets are refused the same token at
    // once, and the first retry's new token must be shared, not dropped by the next 401.
    fetch: async (input, init) => {
      const sent = cached;
      const answer = await fetch(input, init);
      if (answer.status === 401 && cached === sent) cached = null;
      return answer;
    },
  });
</script>`;

  const server = `// On your server, behind your own sign-in: trade the user's MS8 session token for an embed
// token that can only read this learner's widgets, and lives at most 10 minutes.
app.post("/ms8/embed-token", async (req, res) => {
  const answer = await fetch("${app.api.base}/api/v1/auth/embed-token", {
    method: "POST",
    headers: {
      authorization: \`Bearer \${req.session.ms8Token}\`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ learnerId: req.query.learnerId }),
  });
  res.status(answer.status).json(await answer.json()); // {token, expiresAt}
});`;

  const react = `import { useEffect } from "react";

// Load ${bundleUrl(app)} once (a <script> in index.html, or this effect).
export function LearnerAnalytics({ learnerId }: { learnerId: string }) {
  useEffect(() => {
    // One embed token for the three widgets (docs/embedding.md): minted again when it expires,
    // after a 401, or when the last mint failed.
    let cached: Promise<{ token: string; expiresAt: string } | null> | null = null;
    let cachedUntil = 0;
    const mint = async () => {
      const answer = await fetch(\`/ms8/embed-token?learnerId=\${learnerId}\`, { method: "POST" });
      return answer.ok ? answer.json() : null;
    };
    window.MS8?.configure({
      apiBase: "${app.api.base}",
      getToken: async () => {
        if (!cached || Date.now() > cachedUntil) {
          cached = mint();
          cachedUntil = Number.POSITIVE_INFINITY;
          cached.then(
            (minted) => (cachedUntil = minted ? Date.parse(minted.expiresAt) - 30_000 : 0),
            () => (cachedUntil = 0),
          );
        }
        return (await cached)?.token ?? null;
      },
      // After a 401, drop the token only if no widget has replaced it yet: one new mint for all three.
      fetch: async (input, init) => {
        const sent = cached;
        const answer = await fetch(input, init);
        if (answer.status === 401 && cached === sent) cached = null;
        return answer;
      },
    });
  }, [learnerId]);
  // React 19 passes attributes to custom elements as they are.
  return (
    <>
      <ms8-velocity learner-id={learnerId}${app.theme !== "auto" ? ` theme="${app.theme}"` : ""}${app.lang !== "en" ? ` lang="${app.lang}"` : ""} />
      <ms8-dropoff-risk learner-id={learnerId} />
      <ms8-badges learner-id={learnerId} />
    </>
  );
}`;
  return { plain, server, react };
}

async function copy(app: App, id: string, text: string) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard refused (insecure origin): select the text so Ctrl-C works.
    const code = document.getElementById(id);
    if (code) getSelection()?.selectAllChildren(code);
  }
  copiedId = id;
  app.update();
  setTimeout(() => {
    copiedId = "";
    app.update();
  }, 1500);
}

function block(app: App, id: string, title: string, text: string) {
  return html`<section class="card snippet" aria-labelledby=${`${id}-title`}>
    <header class="card-head">
      <h2 id=${`${id}-title`}>${title}</h2>
      <button type="button" class="copy" data-copy=${id} @click=${() => copy(app, id, text)}>
        ${copiedId === id ? app.t("copied") : app.t("copy")}
      </button>
    </header>
    <pre><code id=${id}>${text}</code></pre>
  </section>`;
}

export function embedView(app: App, learnerId: string) {
  loadRelease(app);
  const s = embedSnippets(app, learnerId);
  return html`
    <div class="page-head">
      <h1>${app.t("embedTitle")}</h1>
      <p class="lead">${app.t("embedLead")}</p>
    </div>
    <p class="notice">${app.t("embedThisPage")}</p>
    ${block(app, "snippet-html", app.t("embedPlain"), s.plain)}
    <div class="two-col">
      ${block(app, "snippet-server", app.t("embedToken"), s.server)} ${block(app, "snippet-react", app.t("embedReact"), s.react)}
    </div>
  `;
}
