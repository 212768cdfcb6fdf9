/**
 * Preloaded into the BFF (`node --import`) by the soak benchmark: one line of process.memoryUsage()
 * every 500 ms into MS8_BENCH_MEMORY_FILE, so heap can be read from outside without touching the app.
 */
import { appendFileSync } from "node:fs";

const file = process.env.MS8_BENCH_MEMORY_FILE;
if (file) {
  const sample = () => {
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), rss, heapUsed, heapTotal, external })}\n`);
  };
  sample();
  setInterval(sample, 500).unref();
}
