/**
 * What the three widgets share: configuration attributes, the token, loading through @lit/task
 * (aborted when the element leaves the page), the states every widget shows, refresh, events and
 * the locale. A widget supplies its resource path, what "empty" means and how its data looks.
 */

import { Task, TaskStatus } from "@lit/task";
import type { DataSource, Meta } from "@ms8/edge/contract";
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { type Messages, messagesFor, resolveLocale } from "../i18n/index.ts";
import { loadServerTexts, serverTextsReady } from "../i18n/server-texts.ts";
import { type Envelope, loadResource, NoToken, ProblemError } from "./api.ts";
import { currentConfig } from "./config.ts";
import { LocaleFormat } from "./format.ts";

export type Theme = "light" | "dark" | "auto";

/** Detail of the `ms8-error` event. */
export interface Ms8ErrorDetail {
  /** The HTTP status; 401 also when the host had no token to give (`reason: "no-token"`). */
  status: number;
  /** Set when nothing was sent because `getToken()` returned null or no token was configured. */
  reason?: "no-token";
  title: string | undefined;
  detail: string;
}

/** Detail of the `ms8-data` event. */
export interface Ms8DataDetail<T> {
  data: T;
  meta: Meta;
}

/** Attributes the element needs and does not have; the page must set them, so no retry is offered. */
class MissingConfiguration extends Error {
  readonly missing: string[];
  constructor(missing: string[]) {
    super(`missing ${missing.join(", ")}`);
    this.missing = missing;
  }
}

/** learner id, API base, element token, configuration generation (bumped by MS8.configure). */
type ResourceArgs = [string | undefined, string | undefined, string | undefined, number];

const isAbort = (error: unknown) => error instanceof DOMException && error.name === "AbortError";

/**
 * Resolves once the page has loaded and its load handlers have run (at once if it has). Until then a
 * missing setting is not yet an error: docs/embedding.md puts the setup script after the elements.
 */
function pageLoaded(signal: AbortSignal): Promise<void> {
  if (document.readyState === "complete") return Promise.resolve();
  return new Promise((resolve, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    globalThis.addEventListener("load", () => setTimeout(resolve), { once: true, signal });
  });
}

export abstract class Ms8Element<T> extends LitElement {
  static override properties = {
    learnerId: { type: String, attribute: "learner-id" },
    apiBase: { type: String, attribute: "api-base" },
    lang: { type: String },
    theme: { type: String, reflect: true },
    refreshInterval: { type: Number, attribute: "refresh-interval" },
  };

  static override get observedAttributes(): string[] {
    // biome-ignore lint/complexity/noThisInStatic: `super` with `this` = the concrete widget class gives its own attributes.
    return [...super.observedAttributes, "token"];
  }

  /** The learner whose data is shown. */
  declare learnerId: string | undefined;
  /** Base URL of the MS8 BFF; falls back to `MS8.configure({apiBase})`. */
  declare apiBase: string | undefined;
  /** Locale of the text, numbers and dates; falls back to the document's `lang`. */
  declare lang: string;
  /** `light`, `dark` or `auto` (follows `prefers-color-scheme`). */
  declare theme: Theme;
  /** Seconds between automatic refreshes; 0 or absent means no refresh. */
  declare refreshInterval: number;

  #token: string | undefined;
  #configVersion = 0;
  #last: Envelope<T> | undefined;
  /** Which learner and API #last belongs to: never show one learner's data while loading another's. */
  #lastFor: string | undefined;
  #refreshTimer: ReturnType<typeof setInterval> | undefined;
  #loadedOnce = false;
  /** Read out by the polite live region after a refresh. */
  #announcement = "";

  /**
   * Whether this widget shows the BFF's own sentences (reasons, steps, badge names), which it words
   * in the reader's language from a catalogue loaded with the data (i18n/server-texts.ts).
   */
  protected readonly wordsServerTexts: boolean = false;

  /** The resource this widget shows, below the API base. */
  protected abstract resourcePath(learnerId: string): string;
  /** Whether the learner has nothing to show yet (no enrolments). */
  protected abstract isEmpty(data: T): boolean;
  protected abstract renderData(data: T, meta: Meta, format: LocaleFormat, t: Messages): TemplateResult;
  /** Placeholders with the data state's final height, so nothing moves when data arrives. */
  protected abstract renderSkeleton(): TemplateResult;
  protected abstract heading(t: Messages): string;

  protected readonly resource = new Task<ResourceArgs, Envelope<T>>(this, {
    task: async ([learnerId, apiBase, token], { signal }) => {
      if (!learnerId || !apiBase) {
        // Keeps the skeleton meanwhile; MS8.configure or a new attribute starts a new run (aborting this one).
        await pageLoaded(signal);
        throw new MissingConfiguration(
          [!learnerId && "learner-id", !apiBase && "api-base"].filter((a) => !!a) as string[],
        );
      }
      const [envelope] = await Promise.all([
        loadResource<T>({ apiBase, path: this.resourcePath(learnerId), token, signal }),
        // With the data, so the first paint is already in the reader's language; a catalogue that
        // cannot be loaded leaves the BFF's English.
        this.wordsServerTexts ? loadServerTexts(this.locale, { retry: true }) : undefined,
      ]);
      return envelope;
    },
    args: () => [this.learnerId, this.apiBase ?? currentConfig().apiBase, this.#token, this.#configVersion],
    onComplete: (envelope) => {
      if (this.#loadedOnce) this.#announcement = this.t.common.refreshed(this.heading(this.t));
      this.#loadedOnce = true;
      this.#last = envelope;
      this.#lastFor = this.#currentTarget();
      this.dispatchEvent(
        new CustomEvent<Ms8DataDetail<T>>("ms8-data", {
          detail: { data: envelope.data, meta: envelope.meta },
          bubbles: true,
          composed: true,
        }),
      );
    },
    onError: (error) => {
      if (isAbort(error)) return;
      this.#last = undefined;
      const problem = this.describeError(error);
      this.dispatchEvent(
        new CustomEvent<Ms8ErrorDetail>("ms8-error", { detail: problem, bubbles: true, composed: true }),
      );
    },
  });

  constructor() {
    super();
    this.learnerId = undefined;
    this.apiBase = undefined;
    this.theme = "auto";
    this.refreshInterval = 0;
  }

  /** An embed token for this element only; read once, then removed from the DOM. */
  set token(value: string | null | undefined) {
    this.#token = value || undefined;
    this.requestUpdate();
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name === "token") {
      if (value !== null) {
        this.token = value;
        // Keep the token out of the DOM (and out of anything that serialises it) once we hold it.
        this.removeAttribute("token");
      }
      return;
    }
    super.attributeChangedCallback(name, old, value);
  }

  readonly #onConfigure = () => {
    this.#configVersion += 1;
    this.requestUpdate();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    globalThis.addEventListener("ms8-configure", this.#onConfigure);
    // Back on the page after a removal that cancelled the load: load again.
    if (this.resource.status === TaskStatus.ERROR && isAbort(this.resource.error)) this.resource.run();
    this.#scheduleRefresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    globalThis.removeEventListener("ms8-configure", this.#onConfigure);
    clearInterval(this.#refreshTimer);
    this.#refreshTimer = undefined;
    this.resource.abort(new DOMException("The widget was removed from the page", "AbortError"));
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("refreshInterval")) this.#scheduleRefresh();
  }

  #scheduleRefresh(): void {
    clearInterval(this.#refreshTimer);
    this.#refreshTimer = undefined;
    const seconds = Number(this.refreshInterval);
    if (this.isConnected && seconds > 0) {
      this.#refreshTimer = setInterval(() => {
        if (this.resource.status !== TaskStatus.PENDING) this.resource.run();
      }, seconds * 1000);
    }
  }

  /** Loads the data again (what the retry button does). */
  refresh(): Promise<void> {
    return this.resource.run();
  }

  #currentTarget(): string {
    return `${this.apiBase ?? currentConfig().apiBase}|${this.learnerId}`;
  }

  protected get locale(): string {
    // The element's own lang, else the nearest ancestor's, else the page's (resolveLocale).
    return resolveLocale(this.lang || this.parentElement?.closest("[lang]")?.getAttribute("lang"));
  }

  protected get t(): Messages {
    return messagesFor(this.locale);
  }

  protected describeError(error: unknown): Ms8ErrorDetail {
    const t = this.t.common;
    if (error instanceof MissingConfiguration)
      return { status: 0, title: t.notConfiguredTitle, detail: t.notConfigured(error.missing) };
    if (error instanceof NoToken) return { status: 401, reason: "no-token", title: undefined, detail: t.noToken };
    if (!(error instanceof ProblemError)) return { status: 0, title: undefined, detail: t.unexpectedError };
    const byStatus: Record<number, string> = {
      401: t.notSignedIn,
      403: t.forbidden,
      404: t.notFound,
      429: t.rateLimited,
    };
    const fallback = error.status === 0 ? t.networkError : error.status >= 500 ? t.serverError : t.unexpectedError;
    // The BFF's own detail is written for people, but only in English: other locales keep our words.
    const serverWords = this.t === messagesFor("en") ? error.problem?.detail : undefined;
    const detail = byStatus[error.status] ?? serverWords ?? fallback;
    return { status: error.status, title: error.problem?.title, detail };
  }

  protected override render(): TemplateResult {
    const t = this.t;
    const format = new LocaleFormat(this.locale);
    // The language changed after the data came (a lang attribute set later): draw again once its
    // catalogue is here; meanwhile the BFF's English shows. A catalogue that could not be loaded is
    // not asked for again from here (only with the next data load), or every render would ask.
    if (this.wordsServerTexts && !serverTextsReady(this.locale)) {
      void loadServerTexts(this.locale).then((ready) => ready && this.requestUpdate());
    }
    const body = this.resource.render({
      initial: () => this.#renderLoading(t),
      // A refresh keeps the data on screen (marked busy); a new learner starts from the skeleton.
      pending: () =>
        this.#last && this.#lastFor === this.#currentTarget()
          ? this.#renderLoaded(this.#last, format, t, true)
          : this.#renderLoading(t),
      complete: (envelope) => this.#renderLoaded(envelope, format, t, false),
      error: (error) => (isAbort(error) ? this.#renderLoading(t) : this.#renderError(error, t)),
    });
    return html`<section part="card" class="card" dir=${t.dir} lang=${this.locale} aria-labelledby="heading">
      <h2 id="heading" part="heading" class="heading">${this.heading(t)}</h2>
      ${body}
      <div class="visually-hidden" role="status" aria-live="polite">${this.#announcement}</div>
    </section>`;
  }

  #renderLoading(t: Messages): TemplateResult {
    return html`<div class="state" part="skeleton" aria-busy="true">
      <span class="visually-hidden">${t.common.loading}</span>
      ${this.renderSkeleton()}
    </div>`;
  }

  #renderLoaded(envelope: Envelope<T>, format: LocaleFormat, t: Messages, refreshing: boolean): TemplateResult {
    const content = this.isEmpty(envelope.data)
      ? html`<p class="message" part="empty">${this.emptyMessage(t)}</p>`
      : this.renderData(envelope.data, envelope.meta, format, t);
    return html`<div class="state" data-state=${this.isEmpty(envelope.data) ? "empty" : "data"} aria-busy=${refreshing ? "true" : "false"}>
      ${content} ${this.#renderFreshness(envelope.meta.dataSource, envelope.meta.calculatedAt, format, t)}
    </div>`;
  }

  protected abstract emptyMessage(t: Messages): string;

  #renderFreshness(source: DataSource, calculatedAt: string, format: LocaleFormat, t: Messages) {
    if (source === "mock")
      return html`<p class="freshness" part="freshness" data-source="mock">${t.common.sampleData}</p>`;
    if (source === "stale_cache") {
      return html`<p class="freshness" part="freshness" data-source="stale_cache">
        ${t.common.updated(format.ago(calculatedAt))}
      </p>`;
    }
    return nothing;
  }

  #renderError(error: unknown, t: Messages): TemplateResult {
    const problem = this.describeError(error);
    const notAllowed = problem.status === 401 || problem.status === 403 || problem.status === 404;
    if (notAllowed) {
      return html`<div class="state message" part="not-allowed" data-state="not-allowed" data-status=${problem.reason ?? problem.status}>
        <svg class="state-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5Zm-3 8V7a3 3 0 1 1 6 0v3H9Z" /></svg>
        <p>${problem.detail}</p>
      </div>`;
    }
    return html`<div class="state message" part="error" data-state="error" role="alert">
      <p class="error-title">${t.common.errorTitle}</p>
      <p class="error-detail" part="error-detail">${problem.detail}</p>
      ${
        error instanceof MissingConfiguration
          ? nothing
          : html`<button type="button" part="retry-button" class="retry" @click=${() => this.refresh()}>${t.common.retry}</button>`
      }
    </div>`;
  }
}
