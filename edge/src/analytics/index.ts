/**
 * MS8's analytics: pure functions from a learner snapshot to the answers the API serves. No
 * upstream client, no data access, no Hono: values in, values out, the same on Node and workerd.
 */
export { addDays, daysBetween, localDateOf, startOfLocalDay, weekStartOf, zonedInstant } from "./calendar.ts";
export { dropoffModel } from "./dropoff-model.ts";
export { type ForecastResult, forecastOutcome } from "./forecast.ts";
export { type DropoffModel, type DropoffRiskResult, riskLevelOf, scoreDropoffRisk } from "./risk.ts";
export { RISK_FEATURES, riskSignals } from "./risk-features.ts";
export { LearnerSnapshot, learnerSnapshotJsonSchema } from "./snapshot.ts";
export { computeVelocity, type VelocityResult } from "./velocity.ts";
