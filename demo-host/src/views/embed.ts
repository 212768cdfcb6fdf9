/**
 * "How to embed": the exact snippet for the widgets and token setup this dashboard uses right now
 * (same API base, learner, theme and language), ready to copy.
 */
import { html } from "lit";
import type { App } from "../app.ts";

let copiedId = "";

function bundleUrl(app: App) {
  return new URL(app.config.widgetsSrc, location.href).href;
}

export function embedSnippets(app: App, learnerId: string) {
  const attrs = [
    `learner-id="${learnerId}"`,
    app.theme !== "auto" ? `theme="${app.theme}"` : "",
    app.lang !== "en" ? `lang="${app.lang}"` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const plain = `<!-- 1. The bundle: one classic script, defines <ms8-velocity>, <ms8-dropoff-risk>, <ms8-badges> -->
<script src="${bundleUrl(app)}"></script>

<!-- 2. The widgets, anywhere in the page -->
<ms8-velocity ${attrs}></ms8-velocity>
<ms8-dropoff-risk ${attrs}></ms8-dropoff-risk>
<ms8-badges ${attrs}></ms8-badges>

<!-- 3. Where the API is, and how to get a short-lived embed token (asked before each request
     and once more after a 401). Under a strict CSP, move this into your own script file. -->
<script>
  MS8.configure({
    apiBase: "${app.api.base}",
    getToken: async () => {
      const answer = await fetch("/ms8/embed-token?learnerId=${learnerId}", { method: "POST" });
      return answer.ok ? (await answer.json()).token : null;
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
    window.MS8?.configure({
      apiBase: "${app.api.base}",
      getToken: async () => {
        const answer = await fetch(\`/ms8/embed-token?learnerId=\${learnerId}\`, { method: "POST" });
        return answer.ok ? (await answer.json()).token : null;
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
