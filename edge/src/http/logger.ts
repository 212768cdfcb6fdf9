/** JSON-lines logger honouring LOG_LEVEL; the sink defaults to console (stdout on Node, tail on Workers). */
import type { Logger, LogLevel } from "../deps.ts";

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createJsonLogger(level: LogLevel, write: (line: string) => void = console.log): Logger {
  return {
    log(lineLevel, fields) {
      if (rank[lineLevel] < rank[level]) return;
      write(JSON.stringify({ level: lineLevel, time: new Date().toISOString(), ...fields }));
    },
  };
}
