/**
 * Child process of crash.test.ts: ingests the batch in $BATCH_FILE into $DATABASE_URL, reporting
 * "written <n>" on stdout after each stored chunk, until the parent kills it with SIGKILL.
 */
import { readFileSync } from "node:fs";
import { createSqlStore, postgresClient } from "../store/sql.ts";
import { type IngestionDeps, ingestEvents, type KnownLearner } from "./ingest.ts";

const { events, directory } = JSON.parse(readFileSync(process.env.BATCH_FILE!, "utf8")) as {
  events: unknown[];
  directory: KnownLearner[];
};
const known = new Map(directory.map((l) => [l.learnerId, l]));
const store = createSqlStore(postgresClient(process.env.DATABASE_URL!, { max: 4 }));
let written = 0;
const deps: IngestionDeps = {
  store: {
    upsertDirectoryUsers: (users) => store.upsertDirectoryUsers(users),
    learnerHistory: (id) => store.learnerHistory(id),
    recordLearnerProgress: (id, v, p) => store.recordLearnerProgress(id, v, p),
    ingestEvent: (event, awards, version) => store.ingestEvent(event, awards, version),
    async ingestEvents(items, version) {
      const outcomes = await store.ingestEvents(items, version);
      written += items.length;
      process.stdout.write(`written ${written}\n`);
      return outcomes;
    },
  },
  lookupLearner: async (id) => known.get(id) ?? null,
  clock: { now: () => new Date("2026-06-01T00:00:00Z") },
  // Small chunks, two in flight: the kill lands between and inside many transactions.
  chunkSize: 10,
  concurrency: 2,
};
await ingestEvents(events, deps);
process.stdout.write("done\n");
await store.close();
