/**
 * A real child process ingesting a 500-event batch into the real server is killed with SIGKILL
 * mid-batch: every stored event has all of its awards and nothing else (all or nothing), and a
 * retry of the same batch completes it to exactly the state of an uninterrupted run.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awardsFor, type LearningEvent } from "../gamification/rules.ts";
import { createSqlStore } from "../store/sql.ts";
import { freshDatabase, type TestDatabase } from "../store/testing.ts";
import { type IngestionDeps, ingestEvents } from "./ingest.ts";
import { ledgerState, syntheticHistory } from "./testing.ts";

describe("a batch interrupted by SIGKILL", () => {
  const { directory, events } = syntheticHistory({ learners: 8, days: 60, seed: 21 });
  const batch = events.slice(0, 500);
  let crashed: TestDatabase;
  let reference: TestDatabase;
  const deps = (db: TestDatabase): IngestionDeps => ({
    store: createSqlStore(db.client),
    lookupLearner: async (id) => directory.get(id) ?? null,
    clock: { now: () => new Date("2026-06-01T00:00:00Z") },
  });

  beforeAll(async () => {
    [crashed, reference] = await Promise.all([freshDatabase(), freshDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([crashed?.drop(), reference?.drop()]);
  });

  it("leaves no partial event, and a retry completes it", async () => {
    expect(batch).toHaveLength(500);
    const file = join(mkdtempSync(join(tmpdir(), "ms8-crash-")), "batch.json");
    writeFileSync(file, JSON.stringify({ events: batch, directory: [...directory.values()] }));

    const child = spawn(process.execPath, [new URL("./crash-child.ts", import.meta.url).pathname], {
      env: { ...process.env, BATCH_FILE: file, DATABASE_URL: `${crashed.url}?application_name=ms8-crash-child` },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    // Kill it once a good part of the batch is in, while its four lanes are mid-transaction.
    await new Promise<void>((resolve, reject) => {
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const written = Number(/written (\d+)\n(?![\s\S]*written)/.exec(output)?.[1] ?? 0);
        if (written >= 150) {
          child.kill("SIGKILL");
          resolve();
        }
        if (output.includes("done")) reject(new Error("the child finished before it could be killed"));
      });
    });
    expect(await exited).toBe("SIGKILL");
    // The server finishes (or rolls back) what the dead client had in flight once it notices the
    // closed sockets; read the aftermath only when none of the child's sessions is left.
    for (let i = 0; i < 100; i += 1) {
      const [row] = await crashed.client.transaction((q) =>
        q("select count(*)::int as n from pg_stat_activity where application_name = 'ms8-crash-child'", []),
      );
      if (row?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const stored = await crashed.client.transaction((q) =>
      q("select event_id::text as id, type, data from public.activity_events", []),
    );
    expect(stored.length).toBeGreaterThanOrEqual(150);
    expect(stored.length).toBeLessThan(500);
    // All or nothing: each stored event has exactly the awards its rules give, no more, no less.
    const awards = await crashed.client.transaction((q) =>
      q(
        "select source_event_id::text as id, array_agg(rule order by rule) as rules from public.points_ledger group by 1",
        [],
      ),
    );
    const awardsById = new Map(awards.map((a) => [a.id as string, a.rules as string[]]));
    for (const e of stored) {
      const expected = awardsFor({ type: e.type as LearningEvent["type"], data: e.data as Record<string, unknown> })
        .map((a) => a.rule)
        .sort();
      expect(awardsById.get(e.id as string) ?? []).toEqual(expected);
    }
    expect([...awardsById.keys()].every((id) => stored.some((e) => e.id === id))).toBe(true);

    // The sender retries the same batch: the rest is accepted, what was stored is a duplicate.
    const retry = await ingestEvents(batch, deps(crashed));
    expect(retry).toMatchObject({ accepted: 500 - stored.length, duplicates: stored.length, rejected: 0 });

    await ingestEvents(batch, deps(reference));
    expect(await ledgerState(crashed.client)).toEqual(await ledgerState(reference.client));
  }, 120_000);
});
