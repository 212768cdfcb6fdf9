/**
 * Vitest globalSetup for the workerd project: workerd tests cannot start servers, and this file is
 * bundled for workerd too, so the database and the PostgREST stand-in run in a Node child process
 * (serve.ts) whose address the tests `inject`. Wire with
 * `globalSetup: ["./test/postgrest-standin/global-setup.ts"]` in vitest.workers.config.ts.
 */
import { spawn } from "node:child_process";
import type { TestProject } from "vitest/node";
import type { SupabaseStandinAddress } from "./provided.ts";

export default async function setup(project: TestProject) {
  const child = spawn(process.execPath, [new URL("./serve.ts", import.meta.url).pathname], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const ready = await new Promise<SupabaseStandinAddress>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("\n")) resolve(JSON.parse(output.slice(0, output.indexOf("\n"))));
    });
    child.on("exit", (code) => reject(new Error(`the stand-in process exited early (${code})`)));
  });
  project.provide("supabaseStandin", ready);
  return async () => {
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.stdin.end();
    await exited;
  };
}
