/**
 * Learner insights for the runtime entries: `createLearnerInsights({ upstreams, cache, store, clock,
 * mockFallback, logger })` with `createUpstreams({ urls, serviceSecret })` (src/upstream/) and a
 * cache from src/cache/ (`createMemoryCache` on Node, `createKvCache` on Workers).
 */
export { defaultAnalytics, type InsightAnalytics } from "./analytics.ts";
export {
  COMPUTED_KINDS,
  createLearnerInsights,
  type InsightKind,
  type InsightStore,
  type LearnerInsightsDeps,
  LearnerNotFoundError,
  type WarmingLearnerInsights,
} from "./learner-insights.ts";
export {
  type DueRefreshSummary,
  type OrgRefreshSummary,
  refreshDueSnapshots,
  refreshOrgSnapshots,
  runLoggedRefresh,
  scheduledRefresh,
  startRefreshTimer,
} from "./org-refresh.ts";
