/** English: the reference catalogue; every other locale has the same keys (checked by the type). */
export const en = {
  dir: "ltr" as "ltr" | "rtl",
  common: {
    loading: "Loading…",
    retry: "Try again",
    errorTitle: "This could not be loaded",
    networkError: "MS8 cannot be reached right now. Check the connection and try again.",
    serverError: "The analytics service had a problem. Please try again in a moment.",
    rateLimited: "Too many requests just now. Please wait a moment and try again.",
    unexpectedError: "Something went wrong while loading this.",
    noToken: "You need to sign in with an account that may see this learner.",
    notSignedIn: "Your session has ended. Sign in again to see this.",
    forbidden: "You do not have permission to see this learner's data.",
    notFound: "There is no learner with this ID, or it is not visible to you.",
    /** `missing`: the attribute names not set (learner-id, api-base). */
    /** Title of the `ms8-error` event when an attribute or MS8.configure setting is missing. */
    notConfiguredTitle: "Widget not configured",
    notConfigured: (missing: string[]) =>
      missing.length === 1
        ? `This widget needs the ${missing[0]} attribute.`
        : `This widget needs the ${missing.join(" and ")} attributes.`,
    sampleData: "Sample data",
    updated: (relative: string) => `Updated ${relative}`,
    refreshed: (title: string) => `${title}: data refreshed`,
    showTable: "Show as table",
  },
  velocity: {
    title: "Learning pace",
    currentPace: "Current pace",
    targetPace: "Needed from now",
    /** The chart's line and legend: units finished in each week. */
    unitsCompleted: "Units completed",
    perWeek: "units/week",
    trend: { up: "Rising", down: "Falling", flat: "Steady" } as Record<"up" | "down" | "flat", string>,
    /** Last two weeks against the two before (the API's trend window). */
    /** The last two weeks had units, the two before none: no percentage to give. */
    trendFromNone: "Units again, after none in the 2 weeks before",
    trendVsEarlier: (direction: "up" | "down" | "flat", percent: string) =>
      direction === "flat"
        ? "About as many units as the 2 weeks before"
        : `${percent} ${direction === "up" ? "more" : "fewer"} units than the 2 weeks before`,
    status: { ahead: "Ahead", on_track: "On track", behind: "Behind", at_risk: "Far behind" } as Record<
      "ahead" | "on_track" | "behind" | "at_risk",
      string
    >,
    estimatedCompletion: "Estimated completion",
    noEstimate: "Not enough activity yet",
    progress: (done: string, total: string) => `${done} of ${total} units done`,
    chartLabel: "Weekly pace against target",
    chartSummary: (weeks: string, latest: string, target: string) =>
      `${weeks} weeks shown. Last week: ${latest} units, target ${target}.`,
    week: "Week of",
    units: "Units",
    target: "Planned per week",
    empty: "No enrolments yet. The pace appears after the first completed unit.",
  },
  risk: {
    title: "Drop-off risk",
    level: { low: "Low risk", medium: "Medium risk", high: "High risk", critical: "Critical risk" } as Record<
      "low" | "medium" | "high" | "critical",
      string
    >,
    score: "Risk score",
    scoreOf: (percent: string) => `Risk score ${percent}`,
    /** What the level compares with (the API's typicalRiskScore). */
    typical: (percent: string) => `Typical at this point in the course: ${percent}`,
    factors: "What drives it",
    /**
     * Factor names by the API's machine name, for locales other than English; English shows the
     * API's own `label` (so it never drifts from edge/src/analytics/risk.ts FACTOR_LABELS).
     */
    factorNames: {} as Record<string, string>,
    /** A factor's weight is its share of what raises the risk (or lowers it, when nothing raises it). */
    share: (percent: string, effect: "raises" | "lowers") =>
      `${percent} of what ${effect === "lowers" ? "lowers" : "raises"} it`,
    actions: "Recommended next steps",
    forLearner: "For the learner",
    forTrainer: "For the trainer",
    forYou: "For you",
    missing: (signals: string) => `Not yet known: ${signals}`,
    empty: "No enrolments yet, so there is nothing to assess.",
  },
  badges: {
    title: "Achievements",
    points: "Points",
    level: (level: string, name: string) => `Level ${level} · ${name}`,
    toNext: (into: string, needed: string, next: string) => `${into} of ${needed} points to level ${next}`,
    topLevel: "Highest level reached",
    currentStreak: "Current streak",
    longestStreak: "Longest streak",
    earned: "Earned",
    locked: "Locked",
    earnedOn: (date: string) => `Earned ${date}`,
    howToEarn: (criteria: string) => `How to earn: ${criteria}`,
    badgeList: "Badges",
    empty: "No enrolments yet. Points and badges start with the first course.",
    noPoints: "No points yet. Points, streaks and badges come with learning activity; here is how to earn them.",
  },
};

export type Messages = typeof en;
