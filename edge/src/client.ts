/**
 * The typed client of MS8's API for demo-host and widgets: `hc` over AppType, so paths, params,
 * bodies and answers are checked at compile time. Type-only consumers can `import type { AppType }`
 * and call `hc<AppType>()` from hono/client themselves.
 */
import { type ClientRequestOptions, hc } from "hono/client";
import type { AppType } from "./app.ts";

export type {
  AtRiskPage,
  DropoffRisk,
  EmbedTokenResponse,
  EmbedWidget,
  Forecast,
  Gamification,
  HealthReport,
  LoginResponse,
  Me,
  Meta,
  OrgLearnersPage,
  OrgSummary,
  Problem,
  Velocity,
} from "./contract.ts";
export type { AppType };

export function createMs8Client(baseUrl: string, options?: ClientRequestOptions) {
  return hc<AppType>(baseUrl, options);
}
export type Ms8Client = ReturnType<typeof createMs8Client>;
