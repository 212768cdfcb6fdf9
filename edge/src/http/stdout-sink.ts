/**
 * Node only (worker.ts logs through console.log, which Workers collect): log lines to stdout
 * without blocking. On Linux, stdout on a pipe is written synchronously, one syscall per line,
 * which cost the cached read a fifth of its time. sonic-boom (pino's destination) buffers lines
 * while a write is in flight and writes them together; what is buffered at exit is flushed
 * synchronously, so the last lines (the shutdown, a crash) are not lost.
 */
import SonicBoom from "sonic-boom";

let shared: ((line: string) => void) | undefined;

/** One buffered writer per process, however many times the Node deps are built (tests build several). */
export function stdoutLines(): (line: string) => void {
  shared ??= bufferedStdout();
  return shared;
}

function bufferedStdout(): (line: string) => void {
  const out = new SonicBoom({ fd: process.stdout.fd, sync: false });
  process.on("exit", () => {
    try {
      out.flushSync();
    } catch {
      // stdout already gone (the reader closed the pipe): nothing left to tell anyone.
    }
  });
  return (line) => {
    out.write(`${line}\n`);
  };
}
