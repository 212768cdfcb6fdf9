/** JSON-lines logger honouring LOG_LEVEL; the sink defaults to console (stdout on Node, tail on Workers). */
import type { Logger, LogLevel } from "../deps.ts";

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createJsonLogger(level: LogLevel, write: (line: string) => void = console.log): Logger {
  // One line per request on the hot path: the timestamp is formatted once per millisecond and the
  // fields are serialised as they are (no copy of them spread into a new object).
  let stampedAt = Number.NaN;
  let stamp = "";
  return {
    log(lineLevel, fields) {
      if (rank[lineLevel] < rank[level]) return;
      const now = Date.now();
      if (now !== stampedAt) {
        stampedAt = now;
        stamp = new Date(now).toISOString();
      }
      const head = `{"level":${JSON.stringify(lineLevel)},"time":"${stamp}"`;
      const rest = JSON.stringify(fields);
      // A field named level or time comes later in the line and wins when parsed, as the spread did.
      write(rest.length > 2 ? `${head},${rest.slice(1)}` : `${head}}`);
    },
  };
}
