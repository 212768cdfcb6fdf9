/**
 * Node only (worker.ts logs through console.log, which Workers collect): log lines to stdout
 * without blocking. On Linux, stdout on a pipe is written synchronously, one syscall per line,
 * which cost the cached read a fifth of its time. Lines are joined for up to 20 ms (or 64 KB) and
 * handed over to sonic-boom (pino's destination), which writes asynchronously and
 * buffers while a write is in flight; what is pending at exit is flushed synchronously, so the
 * last lines (the shutdown, a crash) are not lost.
 */
import SonicBoom from "sonic-boom";

/** A line waits at most this long; under load the batch fills first. */
const FLUSH_MS = 20;
const FLUSH_BYTES = 64 * 1024;

let shared: ((line: string) => void) | undefined;

/** One buffered writer per process, however many times the Node deps are built (tests build several). */
export function stdoutLines(): (line: string) => void {
  shared ??= bufferedStdout();
  return shared;
}

function bufferedStdout(): (line: string) => void {
  const out = new SonicBoom({ fd: process.stdout.fd, sync: false });
  let pending = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hand = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const lines = pending;
    pending = "";
    if (lines) out.write(lines);
  };
  process.on("exit", () => {
    try {
      hand();
      out.flushSync();
    } catch {
      // stdout already gone (the reader closed the pipe): nothing left to tell anyone.
    }
  });
  return (line) => {
    pending += `${line}\n`;
    if (pending.length >= FLUSH_BYTES) hand();
    else timer ??= setTimeout(hand, FLUSH_MS).unref();
  };
}
