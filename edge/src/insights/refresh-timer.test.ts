/** The refresh job's run loop on Node, and the log line an operator reads for each run. */
import { describe, expect, it } from "vitest";
import type { Logger } from "../deps.ts";
import { type DueRefreshSummary, runLoggedRefresh, startRefreshTimer } from "./org-refresh.ts";

function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown> }[] = [];
  const logger: Logger = { log: (level, fields) => void lines.push({ level, fields }) };
  return { logger, lines };
}

const summary = (over: Partial<DueRefreshSummary> = {}): DueRefreshSummary => ({
  due: 2,
  otherVersion: 0,
  bySource: { realtime: 2 },
  failed: [],
  departed: [],
  rosters: [],
  ...over,
});

describe("runLoggedRefresh", () => {
  it("logs each run: info when every learner was recomputed, warn with the first error otherwise", async () => {
    const { logger, lines } = recordingLogger();
    await runLoggedRefresh(async () => summary(), logger);
    await runLoggedRefresh(
      async () => summary({ bySource: { realtime: 1 }, failed: [{ learnerId: "lrn-1", error: "no learner lrn-1" }] }),
      logger,
    );
    await runLoggedRefresh(async () => summary({ bySource: { stale_cache: 2 } }), logger);
    expect(lines.map((l) => [l.level, l.fields.msg])).toEqual([
      ["info", "snapshot refresh"],
      ["warn", "snapshot refresh"],
      ["warn", "snapshot refresh"],
    ]);
    expect(lines[0]!.fields).toMatchObject({ due: 2, bySource: { realtime: 2 }, failed: 0 });
    expect(lines[1]!.fields).toMatchObject({
      failed: 1,
      firstError: { learnerId: "lrn-1", error: "no learner lrn-1" },
    });
  });

  it("never throws: a database that cannot name the due learners is one error line", async () => {
    const { logger, lines } = recordingLogger();
    await expect(
      runLoggedRefresh(() => Promise.reject(new Error("connection refused")), logger),
    ).resolves.toBeUndefined();
    expect(lines).toEqual([
      { level: "error", fields: { msg: "snapshot refresh failed", error: "connection refused" } },
    ]);
  });
});

describe("startRefreshTimer", () => {
  it("runs again and again, never two at once, and stop() waits for the run in progress", async () => {
    const { logger } = recordingLogger();
    let running = 0;
    let mostAtOnce = 0;
    let runs = 0;
    const run = async () => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((r) => setTimeout(r, 30)); // a run slower than the interval
      running -= 1;
      runs += 1;
      return summary();
    };
    const timer = startRefreshTimer({ run, everyMs: 5, logger });
    while (runs < 3) await new Promise((r) => setTimeout(r, 10));
    await timer.stop();
    expect(running).toBe(0); // stop() waited for the run it found
    expect(mostAtOnce).toBe(1);
    const stoppedAt = runs;
    await new Promise((r) => setTimeout(r, 60));
    expect(runs).toBe(stoppedAt); // and no run starts after it
  });
});
