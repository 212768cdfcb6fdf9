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
import { signHs256 } from "./jwt.ts";

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

/**
 * The demo ledger for the persona learners only, through the same path as the full replay (the
 * simulator's history posted to POST /api/v1/events with a service token): the full history takes
 * minutes to ingest, and the tests read these learners' points.
 */
async function replayLedgerOf(stack: Stack, learnerIds: Set<string>) {
  const admin = stack.urls.simulatorAdmin!;
  const events: { learnerId: string }[] = [];
  for (let cursor: string | null = "0"; cursor !== null; ) {
    const page = (await fetch(`${admin}/__admin/history/events?limit=500&cursor=${cursor}`).then((r) => r.json())) as {
      events: { learnerId: string }[];
      nextCursor: string | null;
    };
    events.push(...page.events.filter((e) => learnerIds.has(e.learnerId)));
    cursor = page.nextCursor;
  }
  const now = Math.floor(Date.now() / 1000);
  const token = signHs256(
    { service: "e2e-seed", scope: "events:write", iat: now, exp: now + 300 },
    stack.secrets.SERVICE_SECRET,
  );
  for (let i = 0; i < events.length; i += 500) {
    const answer = await fetch(`${stack.urls.edge}/api/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ events: events.slice(i, i + 500) }),
    });
    const result = (await answer.json()) as { accepted?: number; rejected?: number };
    if (!answer.ok || result.rejected) throw new Error(`seeding the persona ledger: ${JSON.stringify(result)}`);
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "ms8-third-party-"));
  const thirdPartyServer = await serveFolder(dir);
  const origin = `http://127.0.0.1:${(thirdPartyServer.address() as AddressInfo).port}`;
  const stack = await startStack({
    extraCorsOrigins: [origin],
    seed: false,
    edgeEnv: {
      // Short cache and snapshot lifetimes, so the outage test's "hours later" takes seconds.
      CACHE_TTL_SECONDS: "2",
      CACHE_STALE_SECONDS: "1",
      SNAPSHOT_TTL_SECONDS: "2",
      UPSTREAM_CACHE_SECONDS: "1",
    },
  });
  if (!stack.personas) {
    await stack.stop();
    throw new Error(`the stack started without demo personas:\n${stack.notes.join("\n")}`);
  }
  try {
    await replayLedgerOf(
      stack,
      new Set(stack.personas.personas.filter((p) => p.role === "learner").map((p) => p.userId)),
    );
  } catch (error) {
    await stack.stop();
    throw error;
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
