/**
 * Against the real PostgreSQL server: 100 concurrent batches with overlapping event ids, shuffled
 * and late, end in exactly the state of one serial, in-order run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqlStore } from "../store/sql.ts";
import { freshDatabase, type TestDatabase } from "../store/testing.ts";
import { type IngestionDeps, ingestEvents } from "./ingest.ts";
import { ledgerState, syntheticHistory } from "./testing.ts";

describe("concurrent ingestion on the PostgreSQL server", () => {
  const { directory, events, random } = syntheticHistory({ learners: 12, days: 40 });
  let serialDb: TestDatabase;
  let concurrentDb: TestDatabase;
  const deps = (db: TestDatabase): IngestionDeps => ({
    store: createSqlStore(db.client),
    lookupLearner: async (id) => directory.get(id) ?? null,
    clock: { now: () => new Date("2026-06-01T00:00:00Z") },
  });

  beforeAll(async () => {
    [serialDb, concurrentDb] = await Promise.all([freshDatabase(), freshDatabase({ max: 20 })]);
  });
  afterAll(async () => {
    await Promise.all([serialDb?.drop(), concurrentDb?.drop()]);
  });

  it("gives exactly the totals of a serial run", async () => {
    // Serial reference: in order, 50 at a time, one batch after the other.
    const ordered = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    let serialAccepted = 0;
    for (let i = 0; i < ordered.length; i += 50) {
      serialAccepted += (await ingestEvents(ordered.slice(i, i + 50), deps(serialDb))).accepted;
    }
    expect(serialAccepted).toBe(events.length);

    // 100 batches: every event lands in one of them, plus ~40 % more drawn from anywhere (overlap),
    // each batch shuffled, all sent at once.
    const batches: (typeof events)[] = Array.from({ length: 100 }, () => []);
    for (const [i, e] of events.entries()) batches[i % 100]!.push(e);
    for (const batch of batches) {
      const extra = Math.ceil(batch.length * 0.4);
      for (let k = 0; k < extra; k += 1) batch.push(events[Math.floor(random() * events.length)]!);
      batch.sort(() => random() - 0.5);
    }
    // A slow link between computing progress and writing it, as a loaded network gives: late
    // writers then carry older history versions, which the database must refuse.
    const concurrentDeps = deps(concurrentDb);
    const { store } = concurrentDeps;
    concurrentDeps.store = {
      ...store,
      recordLearnerProgress: async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 25)));
        return store.recordLearnerProgress(...args);
      },
    };
    const results = await Promise.all(batches.map((batch) => ingestEvents(batch, concurrentDeps)));
    const sent = batches.reduce((n, b) => n + b.length, 0);
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(events.length);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(sent - events.length);
    expect(results.every((r) => r.rejected === 0)).toBe(true);

    const [serial, concurrent] = await Promise.all([ledgerState(serialDb.client), ledgerState(concurrentDb.client)]);
    expect(serial.events).toBe(events.length);
    expect(serial.badges.length).toBeGreaterThan(24); // the history earns badges worth comparing
    expect(concurrent).toEqual(serial);
  }, 120_000);

  it("gives the same state when every event arrives late, newest first", async () => {
    const [inOrder, late] = await Promise.all([freshDatabase(), freshDatabase()]);
    try {
      const ordered = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
      for (let i = 0; i < ordered.length; i += 100) await ingestEvents(ordered.slice(i, i + 100), deps(inOrder));
      // Newest first, one event per batch: every streak and badge is rebuilt backwards in time.
      const reversed = [...ordered].reverse().slice(0, 200);
      const rest = [...ordered].reverse().slice(200);
      for (const e of reversed) await ingestEvents([e], deps(late));
      for (let i = 0; i < rest.length; i += 100) await ingestEvents(rest.slice(i, i + 100), deps(late));
      expect(await ledgerState(late.client)).toEqual(await ledgerState(inOrder.client));
    } finally {
      await Promise.all([inOrder.drop(), late.drop()]);
    }
  }, 120_000);
});
