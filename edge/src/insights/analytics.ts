/**
 * The pure analytics insights computes with (edge/src/analytics/), behind one small interface so
 * the fallback chain can be tested without caring which formulas run.
 */

import { computeVelocity, dropoffModel, forecastOutcome, scoreDropoffRisk } from "../analytics/index.ts";
import type { LearnerSnapshot } from "../analytics/snapshot.ts";
import type { DropoffRisk, Forecast, Velocity } from "../contract.ts";

export interface InsightAnalytics {
  /** Stored with each snapshot (computation_version), so a formula change is visible in the data. */
  version: string;
  /**
   * Versions these formulas replace: the refresh job recomputes their snapshots before they expire.
   * List each version when it is replaced; never a newer one (an older instance may still run).
   */
  retiredVersions: string[];
  velocity(snapshot: LearnerSnapshot): Velocity;
  dropoffRisk(snapshot: LearnerSnapshot): DropoffRisk;
  forecast(snapshot: LearnerSnapshot): Forecast;
}

export const defaultAnalytics: InsightAnalytics = {
  // v2: a forecast that projects nothing has low confidence (v1 could say "medium"), and a pace
  // picked up from nothing has no trend percentage (v1 said 100). A new version
  // makes the refresh job recompute every stored snapshot first (docs/operations.md).
  version: `analytics-v2+${dropoffModel.version}`,
  retiredVersions: ["analytics-v1+oulad-2013-v1", "analytics-v1+oulad-2013-v2"],
  velocity: computeVelocity,
  dropoffRisk: scoreDropoffRisk,
  forecast: forecastOutcome,
};
