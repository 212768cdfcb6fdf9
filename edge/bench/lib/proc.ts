/**
 * Child programs of a benchmark: each server runs in its own process (real HTTP between them), in
 * its own process group so stopping it also stops anything it started (wrangler starts workerd).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Every group still running, so the runner can stop them all if a benchmark throws or times out. */
const running = new Set<Program>();
/** Other things to release at the end of a benchmark (database servers started with pg_ctl). */
const cleanups = new Set<() => Promise<void>>();
export function onCleanup(release: () => Promise<void>): () => void {
  cleanups.add(release);
  return () => cleanups.delete(release);
}
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((program) => program.stop(2000)));
  for (const release of [...cleanups]) {
    cleanups.delete(release);
    await release().catch(() => {});
  }
}
process.once("exit", () => {
  for (const program of running) {
    try {
      process.kill(-program.pid, "SIGKILL");
    } catch {}
  }
});

export interface Program {
  name: string;
  child: ChildProcess;
  pid: number;
  logPath: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  tail(lines?: number): string;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string | undefined>;
  logDir: string;
}

export function startProgram(options: StartOptions): Program {
  mkdirSync(options.logDir, { recursive: true });
  const logPath = join(options.logDir, `${options.name}.log`);
  // Output goes straight to the log file (as a log collector would drain it), never through this
  // process: the load generator runs here, and copying a server's request log would slow it.
  const fd = openSync(logPath, "w");
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", fd, fd],
    detached: true, // a new process group (setsid), so the group can be signalled as one
  });
  closeSync(fd);
  const output = () => {
    try {
      const size = statSync(logPath).size;
      const length = Math.min(size, 50_000);
      const buffer = Buffer.alloc(length);
      const handle = openSync(logPath, "r");
      try {
        readSync(handle, buffer, 0, length, size - length);
      } finally {
        closeSync(handle);
      }
      return buffer.toString("utf8");
    } catch {
      return "";
    }
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const pid = child.pid ?? -1;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  };
  const program: Program = {
    name: options.name,
    child,
    pid,
    logPath,
    exited,
    output,
    tail: (lines = 20) => output().trimEnd().split("\n").slice(-lines).join("\n"),
    async stop(graceMs = 5000) {
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup("SIGTERM");
        const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
        if (!done) signalGroup("SIGKILL");
        await exited;
      }
      // Stragglers of the group (workerd under wrangler) go too.
      signalGroup("SIGKILL");
      running.delete(program);
    },
  };
  running.add(program);
  return program;
}

/** Poll `probe` until it returns a value, the program exits, or the time is up. */
export async function waitFor<T>(
  program: Program,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let exited: { code: number | null; signal: string | null } | null = null;
  program.exited.then((e) => {
    exited = e;
  });
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exited) {
      const { code, signal } = exited;
      throw new Error(`${program.name} exited (${code ?? signal}) before ${what}:\n${program.tail()}`);
    }
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  const reason = lastError instanceof Error ? ` (${lastError.message})` : "";
  throw new Error(`${program.name}: no ${what} within ${timeoutMs / 1000} s${reason}:\n${program.tail()}`);
}

/** Resident set size of a process in bytes, from /proc (Linux), or NaN. */
export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
