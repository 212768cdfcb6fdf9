#!/usr/bin/env node
/**
 * `pnpm ms8 <command> [args]`: the operators' and developers' command line. Each command is a
 * module in ./commands/<name>.ts exporting `summary` (one line for help) and `run(args)`, so
 * commands are added without touching this dispatcher.
 */
import { readdirSync } from "node:fs";

interface Command {
  summary: string;
  run(args: string[]): Promise<number | undefined> | number | undefined;
}

const commandsDir = new URL("./commands/", import.meta.url);
const names = readdirSync(commandsDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => f.slice(0, -3))
  .sort();

async function load(name: string): Promise<Command> {
  return (await import(new URL(`${name}.ts`, commandsDir).href)) as Command;
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === "help" || name === "--help" || !names.includes(name)) {
  if (name && !["help", "--help"].includes(name)) console.error(`ms8: unknown command "${name}"\n`);
  console.error("usage: pnpm ms8 <command> [args]\n\ncommands:");
  for (const n of names) console.error(`  ${n.padEnd(18)} ${(await load(n)).summary}`);
  process.exit(name && !["help", "--help"].includes(name) ? 2 : 0);
}
const code = await (await load(name)).run(args);
process.exitCode = code ?? 0;
