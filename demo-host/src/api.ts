/**
 * The dashboard's own calls to the BFF, made with the signed-in user's session token. Widgets never
 * see that token: they get short-lived embed tokens from `mintEmbedToken` (see session.ts).
 * Shapes come from the BFF's contract (types only; nothing of edge/ runs here).
 */
import type { AiUsageReport, AtRiskPage, Forecast, Meta, OrgSummary, Problem, Role } from "@ms8/edge/contract";

export type { Forecast, Meta, Role };

export interface User {
  id: string;
  orgId: string;
  roles: Role[];
  displayName: string;
}
export interface LoginAnswer {
  token: string;
  expiresAt: string;
  user: User;
}
export interface EmbedToken {
  token: string;
  expiresAt: string;
}
export interface Recommendation {
  courseId: string;
  title: string;
  reasoning: string;
  expectedOutcomes: string[];
  estimatedHours: number;
  priority: number;
}
export interface Enveloped<T> {
  data: T;
  meta: Meta & { aiSource?: "gemini" | "fallback"; fallbackReason?: string };
}
export type AtRiskRow = AtRiskPage["items"][number];

/** An answer the BFF refused, carrying its RFC 9457 problem. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly problem: Partial<Problem>;
  constructor(status: number, problem: Partial<Problem>) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function createApi(apiBase: string, sessionToken: () => string | null, language: () => string = () => "en") {
  async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    const token = sessionToken();
    if (token) headers.set("authorization", `Bearer ${token}`);
    // The AI's texts (commentary, recommendations) in the dashboard's language, not the browser's.
    headers.set("accept-language", language());
    if (init.body) headers.set("content-type", "application/json");
    let response: Response;
    try {
      response = await fetch(`${apiBase}${path}`, { ...init, headers });
    } catch {
      throw new ApiProblem(0, { title: "The MS8 API is not reachable", detail: `No answer from ${apiBase}.` });
    }
    const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
    if (!response.ok) throw new ApiProblem(response.status, body ?? { title: response.statusText });
    return body as T;
  }
  const q = (params: Record<string, string | number | null | undefined>) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params))
      if (v !== null && v !== undefined && v !== "") search.set(k, String(v));
    const s = search.toString();
    return s ? `?${s}` : "";
  };
  const id = encodeURIComponent;
  return {
    base: apiBase,
    login: (email: string, password: string) =>
      call<LoginAnswer>("/api/v1/auth/login", { method: "POST", body: JSON.stringify({ email, password }) }),
    embedToken: (learnerId?: string) =>
      call<EmbedToken>("/api/v1/auth/embed-token", {
        method: "POST",
        body: JSON.stringify(learnerId ? { learnerId } : {}),
      }),
    forecast: (learnerId: string) => call<Enveloped<Forecast>>(`/api/v1/learners/${id(learnerId)}/forecast`),
    recommendations: (learnerId: string) =>
      call<Enveloped<{ learnerId: string; items: Recommendation[] }>>(
        `/api/v1/learners/${id(learnerId)}/recommendations`,
      ),
    orgSummary: (orgId: string) => call<OrgSummary>(`/api/v1/orgs/${id(orgId)}/summary`),
    atRisk: (orgId: string, params: { minLevel?: string; cursor?: string | null; limit?: number }) =>
      call<AtRiskPage>(`/api/v1/orgs/${id(orgId)}/at-risk${q(params)}`),
    aiUsage: (orgId: string) => call<{ data: AiUsageReport }>(`/api/v1/orgs/${id(orgId)}/ai-usage`),
    health: () =>
      fetch(`${apiBase}/health`)
        .then((r) => r.json() as Promise<Record<string, unknown>>)
        .catch(() => null),
  };
}
export type Api = ReturnType<typeof createApi>;
