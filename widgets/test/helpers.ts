/** Shared pieces of the widget tests: the fake API's address, per-test learners, state waits. */
import { waitUntil } from "@open-wc/testing";
import { configure } from "../src/shared/config.ts";

// Served by the "ms8-test-env" plugin of web-test-runner.config.mjs (the fake API's random port).
const testEnv = "/__ms8-test-env.js";
export const { apiBase } = (await import(testEnv)) as { apiBase: string };

export interface RecordedRequest {
  method: string;
  path: string;
  url: string;
  token: string | null;
  ifNoneMatch: string | null;
  status: number | null;
  aborted: boolean;
}

/** A learner id unique to this test, whose first word picks the fake API's scenario. */
export function learner(scenario: string): string {
  return `${scenario}-${Math.random().toString(36).slice(2, 10)}`;
}

/** What reached the fake API for one learner (GETs only unless asked; preflights are OPTIONS). */
export async function requestsFor(learnerId: string, method: string | null = "GET"): Promise<RecordedRequest[]> {
  const response = await fetch(`${apiBase}/__stats/${learnerId}`);
  const { requests } = (await response.json()) as { requests: RecordedRequest[] };
  return method ? requests.filter((r) => r.method === method) : requests;
}

export function useFakeApi(token = "local-test-token"): void {
  configure({ apiBase, getToken: () => token, fetch: undefined });
}

type StateName = "data" | "empty" | "error" | "not-allowed";

export async function waitForState(element: HTMLElement, state: StateName, timeout = 8000): Promise<Element> {
  await waitUntil(
    () => element.shadowRoot?.querySelector(`[data-state="${state}"]`),
    `${element.localName} never reached the ${state} state`,
    { timeout },
  );
  return element.shadowRoot!.querySelector(`[data-state="${state}"]`)!;
}

export const part = (element: HTMLElement, name: string) => element.shadowRoot!.querySelector(`[part~="${name}"]`);

export const text = (element: HTMLElement) => element.shadowRoot!.textContent!.replace(/\s+/g, " ").trim();

export function nextEvent<T = unknown>(element: EventTarget, type: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) =>
    element.addEventListener(type, (event) => resolve(event as CustomEvent<T>), { once: true }),
  );
}

/**
 * The next `type` event from the widget showing `learnerId`, heard on the document (so it also
 * proves the event bubbles out of the shadow root). Call before mounting, so no event is missed.
 */
export function eventFromLearner<T = unknown>(learnerId: string, type: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) => {
    const listener = (event: Event) => {
      if ((event.target as { learnerId?: string }).learnerId !== learnerId) return;
      document.removeEventListener(type, listener);
      resolve(event as CustomEvent<T>);
    };
    document.addEventListener(type, listener);
  });
}
