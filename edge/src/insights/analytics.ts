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
  velocity(snapshot: LearnerSnapshot): Velocity;
  dropoffRisk(snapshot: LearnerSnapshot): DropoffRisk;
  forecast(snapshot: LearnerSnapshot): Forecast;
}

export const defaultAnalytics: InsightAnalytics = {
  version: `analytics-v1+${dropoffModel.version}`,
  velocity: computeVelocity,
  dropoffRisk: scoreDropoffRisk,
  forecast: forecastOutcome,
};
