/**
 * `node scripts/oulad/simulator-patterns.ts [--now ISO]`: the drop-off risk the API gives the
 * simulator's learners, by the pattern each was generated with. Starts the simulator, builds every
 * learner's snapshot over HTTP exactly as the BFF does (gatherLearnerSnapshot), scores it with the
 * committed model, and prints mean risk and level counts per pattern (docs/risk-model.md).
 */

import { DEFAULT_SERVICE_SECRET, startSimulator } from "../../simulator/server.ts";
import { PATTERNS, type Pattern } from "../../simulator/world.ts";
import { scoreDropoffRisk } from "../../src/analytics/risk.ts";
import { riskSignals } from "../../src/analytics/risk-features.ts";
import { gatherLearnerSnapshot } from "../../src/insights/learner-snapshot.ts";
import { createUpstreams } from "../../src/upstream/clients.ts";

export interface PatternRisk {
  pattern: Pattern;
  learners: number;
  meanRisk: number;
  levels: Record<"low" | "medium" | "high" | "critical", number>;
  /** Learners with at least one assessment missed (due, not submitted). */
  withMissedWork: number;
}

export async function riskByPattern(now: Date, seed = 8): Promise<PatternRisk[]> {
  const sim = await startSimulator({ now, seed });
  try {
    const upstreams = createUpstreams({ urls: sim.urls, serviceSecret: DEFAULT_SERVICE_SECRET });
    const learners = [...sim.world.users.values()].filter((u) => u.roles.includes("learner"));
    const rows: { pattern: Pattern; risk: number; level: keyof PatternRisk["levels"]; missed: number }[] = [];
    for (const learner of learners) {
      const gathered = await gatherLearnerSnapshot(upstreams, learner.id, {
        asOf: now,
        user: () => upstreams.directory.user(learner.id),
        enrollments: () => upstreams.course.enrollments(learner.id),
      });
      if (!gathered) continue;
      const result = scoreDropoffRisk(gathered.snapshot);
      const missed = riskSignals(gathered.snapshot).facts.assessmentsMissed;
      rows.push({ pattern: learner.pattern!, risk: result.riskScore, level: result.riskLevel, missed });
    }
    return PATTERNS.map((pattern) => {
      const mine = rows.filter((r) => r.pattern === pattern);
      const levels = { low: 0, medium: 0, high: 0, critical: 0 };
      for (const r of mine) levels[r.level]++;
      return {
        pattern,
        learners: mine.length,
        meanRisk: mine.reduce((s, r) => s + r.risk, 0) / (mine.length || 1),
        levels,
        withMissedWork: mine.filter((r) => r.missed > 0).length,
      };
    });
  } finally {
    await sim.stop();
  }
}

export function patternTable(rows: PatternRisk[]): string {
  return [
    "| pattern | learners | mean risk | low | medium | high | critical | with missed work |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.pattern} | ${r.learners} | ${r.meanRisk.toFixed(3)} | ${r.levels.low} | ${r.levels.medium} | ${r.levels.high} | ${r.levels.critical} | ${r.withMissedWork} |`,
    ),
  ].join("\n");
}

if (import.meta.main) {
  const i = process.argv.indexOf("--now");
  const now = new Date(i > 0 ? process.argv[i + 1]! : "2026-11-20T12:00:00Z");
  console.log(patternTable(await riskByPattern(now)));
}
