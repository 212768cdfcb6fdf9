/**
 * Child process of crash.test.ts: ingests the batch in $BATCH_FILE into $DATABASE_URL, reporting
 * "written <n>" on stdout after each stored event, until the parent kills it with SIGKILL.
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
    ...store,
    upsertDirectoryUsers: (users) => store.upsertDirectoryUsers(users),
    learnerHistory: (id) => store.learnerHistory(id),
    recordLearnerProgress: (id, v, p) => store.recordLearnerProgress(id, v, p),
    async ingestEvent(event, awards, version) {
      const outcome = await store.ingestEvent(event, awards, version);
      process.stdout.write(`written ${++written}\n`);
      return outcome;
    },
  },
  lookupLearner: async (id) => known.get(id) ?? null,
  clock: { now: () => new Date("2026-06-01T00:00:00Z") },
  concurrency: 4,
};
await ingestEvents(events, deps);
process.stdout.write("done\n");
await store.close();
