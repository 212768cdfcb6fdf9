/**
 * The widget classes and configuration, with no side effects: importing this defines no tag.
 * Register tags with `@ms8/widgets/define` (all three) or `@ms8/widgets/<tag>/define`.
 */
export { Ms8Badges } from "./ms8-badges/ms8-badges.ts";
export { Ms8DropoffRisk } from "./ms8-dropoff-risk/ms8-dropoff-risk.ts";
export { Ms8Velocity } from "./ms8-velocity/ms8-velocity.ts";
export { ProblemError } from "./shared/api.ts";
export type { Ms8DataDetail, Ms8ErrorDetail, Theme } from "./shared/base-element.ts";
export { configure, type Ms8Config, type TokenProvider } from "./shared/config.ts";
