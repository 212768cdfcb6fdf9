/**
 * Starts what `npm start` starts (scripts/dev.mjs: simulator, BFF on Node, Vite dashboard) on free
 * ports, once for every e2e file, plus a plain static server standing in for a third party's
 * page on its own origin. Files read the URLs with `inject("stack")`.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import type { TestProject } from "vitest/node";
import { type Stack, startStack } from "../../scripts/dev.mjs";

export interface E2eContext {
  urls: Stack["urls"];
  secrets: Stack["secrets"];
  personas: NonNullable<Stack["personas"]>;
  /** A third party's origin and the folder it serves (tests write their pages there). */
  thirdParty: { origin: string; dir: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: E2eContext;
  }
}

function serveFolder(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? "/", "http://x").pathname).replace(/^(\.\.[/\\])+/, "");
    try {
      const body = readFileSync(join(dir, path));
      res.writeHead(200, { "content-type": path.endsWith(".html") ? "text/html; charset=utf-8" : "text/plain" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "ms8-third-party-"));
  const thirdPartyServer = await serveFolder(dir);
  const origin = `http://127.0.0.1:${(thirdPartyServer.address() as AddressInfo).port}`;
  const stack = await startStack({
    extraCorsOrigins: [origin],
    edgeEnv: {
      // Short cache and snapshot lifetimes, so the outage test's "hours later" takes seconds.
      CACHE_TTL_SECONDS: "2",
      SNAPSHOT_TTL_SECONDS: "2",
      // Every request of the suite comes from 127.0.0.1; the per-user limit still applies.
      RATE_LIMIT_IP_PER_MIN: "0",
    },
  });
  if (!stack.personas) {
    await stack.stop();
    throw new Error(`the stack started without demo personas:\n${stack.notes.join("\n")}`);
  }
  project.provide("stack", {
    urls: stack.urls,
    secrets: stack.secrets,
    personas: stack.personas,
    thirdParty: { origin, dir },
  });
  return async () => {
    await stack.stop();
    thirdPartyServer.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
