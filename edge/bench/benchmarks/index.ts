/** Every benchmark, in the order of issue 9 and of the report. */
import type { Benchmark } from "../lib/types.ts";
import { cachedRead } from "./cached-read.ts";
import { coldPath, singleFlight } from "./cold-path.ts";
import { database } from "./database.ts";
import { ingestion } from "./ingestion.ts";
import { soak } from "./soak.ts";
import { widgets } from "./widgets.ts";
import { workers } from "./workers.ts";

export const benchmarks: Benchmark[] = [
  cachedRead,
  coldPath,
  singleFlight,
  workers,
  database,
  ingestion,
  widgets,
  soak,
];
