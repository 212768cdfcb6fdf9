/** Sign-in through the real flow: POST /api/v1/auth/login, verified by the (simulated) Auth service. */

import { html, nothing } from "lit";
import type { App } from "../app.ts";
import type { Persona } from "../config.ts";
import { humanProblem } from "../problems.ts";
import { saveSession } from "../session.ts";

const form = { email: "", password: "", busy: false, error: "" as string, notice: "" as string };

export function setSignInNotice(message: string) {
  form.notice = message;
}

const orgName = (app: App, p: Persona) =>
  app.config.organizations.find((o) => o.orgId === p.orgId)?.name ?? p.organization ?? p.orgId ?? "";
const personaRoles = (p: Persona) => p.roles ?? (p.role ? [p.role] : []);

async function submit(app: App, event: Event) {
  event.preventDefault();
  form.busy = true;
  form.error = "";
  app.update();
  try {
    const answer = await app.api.login(form.email.trim(), form.password);
    app.session = saveSession(answer);
    form.password = "";
    form.notice = "";
    app.navigate(answer.user.roles.some((r) => r !== "learner") ? "#/org" : "#/me");
  } catch (error) {
    form.error = humanProblem(app.t, error, "login");
  } finally {
    form.busy = false;
    app.update();
  }
}

function choose(app: App, persona: Persona) {
  form.email = persona.email;
  form.password = persona.password;
  form.error = "";
  app.update();
  document.querySelector<HTMLButtonElement>("#sign-in-submit")?.focus();
}

export function signInView(app: App) {
  const { t } = app;
  const personas = app.config.personas;
  return html`
    <div class="sign-in">
      <section class="card sign-in-card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">${t("signInTitle")}</h1>
        <p class="lead">${t("signInLead")}</p>
        ${form.notice ? html`<p class="notice" role="status">${form.notice}</p>` : nothing}
        <form @submit=${(e: Event) => submit(app, e)} novalidate>
          <label>
            <span>${t("email")}</span>
            <input
              name="email"
              type="email"
              autocomplete="username"
              required
              .value=${form.email}
              @input=${(e: InputEvent) => {
                form.email = (e.target as HTMLInputElement).value;
              }}
            />
          </label>
          <label>
            <span>${t("password")}</span>
            <input
              name="password"
              type="password"
              autocomplete="current-password"
              required
              .value=${form.password}
              @input=${(e: InputEvent) => {
                form.password = (e.target as HTMLInputElement).value;
              }}
            />
          </label>
          ${form.error ? html`<p class="error" role="alert">${form.error}</p>` : nothing}
          <button id="sign-in-submit" class="primary" type="submit" ?disabled=${form.busy}>
            ${form.busy ? t("signingIn") : t("signIn")}
          </button>
        </form>
      </section>
      <section class="card personas" aria-labelledby="personas-title">
        <h2 id="personas-title">${t("personas")}</h2>
        ${
          personas.length
            ? html`<p class="muted">${t("personasLead")}</p>
                <ul class="persona-list">
                  ${personas.map(
                    (p) => html`<li>
                      <button type="button" class="persona" data-email=${p.email} @click=${() => choose(app, p)}>
                        <span class="persona-name" dir="auto">${p.displayName ?? p.name ?? p.email}</span>
                        <span class="persona-meta">
                          ${personaRoles(p).map(
                            (r) =>
                              html`<span class="role role-${r}">${app.t(`roles_${r}` as "roles_learner") ?? r}</span>`,
                          )}
                          <span class="muted">${orgName(app, p)}</span>
                        </span>
                        <span class="persona-email">${p.email}</span>
                      </button>
                    </li>`,
                  )}
                </ul>`
            : html`<p class="muted">${t("noPersonas")}</p>`
        }
      </section>
    </div>
  `;
}
