/**
 * Preloaded into the BFF (`node --expose-gc --import`) by the soak benchmark: one line of
 * process.memoryUsage() every 500 ms into MS8_BENCH_MEMORY_FILE, and on SIGUSR2 a full garbage
 * collection followed by a sample tagged `afterGc` (what is really retained), so memory can be
 * read from outside without touching the app.
 */
import { appendFileSync } from "node:fs";

const file = process.env.MS8_BENCH_MEMORY_FILE;
if (file) {
  const sample = (afterGc = false) => {
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    const line = { t: Date.now(), rss, heapUsed, heapTotal, external, arrayBuffers, ...(afterGc ? { afterGc } : {}) };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  sample();
  setInterval(sample, 500).unref();
  process.on("SIGUSR2", () => {
    (globalThis as { gc?: () => void }).gc?.();
    sample(true);
  });
}
