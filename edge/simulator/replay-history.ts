/**
 * Fills MS8's ledger with the simulator's history through the real ingestion path
 * (`POST /api/v1/events` with a service token), so demo learners have realistic points, streaks and
 * badges. Event ids are stable, so running it twice counts nothing twice.
 *
 *   SIM_ADMIN_URL=http://127.0.0.1:4100 MS8_URL=http://127.0.0.1:8787 SERVICE_SECRET=... \
 *     node edge/simulator/replay-history.ts [orgId]
 *
 * SERVICE_SECRET is the BFF's (the one its service tokens are checked against).
 */
import { fileURLToPath } from "node:url";
import { sign } from "hono/jwt";

export interface ReplayOptions {
  adminUrl: string;
  bffUrl: string;
  serviceSecret: string;
  /** Only this organization's learners (default: all). */
  orgId?: string;
  /** Events per POST, at most 500 (the ingestion limit). */
  batchSize?: number;
  /** The BFF refuses bodies over 64 KB; posts are packed to stay under this (default 60 000 bytes). */
  maxBodyBytes?: number;
  /** Called after each batch, e.g. for progress output. */
  onBatch?: (done: number, total: number) => void;
}

export interface ReplaySummary {
  /** POSTs made (a page of history may need several to stay under the body limit). */
  batches: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Rejections by reason (unknown_learner, wrong_org, ...). */
  reasons: Record<string, number>;
}

export async function replayHistory(options: ReplayOptions): Promise<ReplaySummary> {
  const limit = Math.min(options.batchSize ?? 500, 500);
  const summary: ReplaySummary = { batches: 0, accepted: 0, duplicates: 0, rejected: 0, reasons: {} };
  let token = "";
  let tokenExp = 0;
  let cursor: string | null = "0";
  while (cursor !== null) {
    const query = new URLSearchParams({ cursor, limit: String(limit) });
    if (options.orgId) query.set("orgId", options.orgId);
    const pageResponse = await fetch(`${options.adminUrl}/__admin/history/events?${query}`);
    if (!pageResponse.ok) throw new Error(`simulator answered ${pageResponse.status} for the history`);
    const page = (await pageResponse.json()) as { events: unknown[]; total: number; nextCursor: string | null };
    if (page.events.length === 0) break;

    const now = Math.floor(Date.now() / 1000);
    if (tokenExp - now < 30) {
      tokenExp = now + 300;
      token = await sign(
        { service: "simulator-replay", scope: "events:write", iat: now, exp: tokenExp },
        options.serviceSecret,
        "HS256",
      );
    }
    for (const events of packed(page.events, options.maxBodyBytes ?? 60_000)) {
      const posted = await fetch(`${options.bffUrl}/api/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ events }),
      });
      if (!posted.ok) throw new Error(`POST /api/v1/events answered ${posted.status}: ${await posted.text()}`);
      const result = (await posted.json()) as {
        accepted: number;
        duplicates: number;
        rejected: number;
        rejections: { reason: string }[];
      };
      summary.batches++;
      summary.accepted += result.accepted;
      summary.duplicates += result.duplicates;
      summary.rejected += result.rejected;
      for (const r of result.rejections) summary.reasons[r.reason] = (summary.reasons[r.reason] ?? 0) + 1;
    }
    cursor = page.nextCursor;
    options.onBatch?.(summary.accepted + summary.duplicates + summary.rejected, page.total);
  }
  return summary;
}

/** Splits events into batches whose `{"events":[...]}` body stays under maxBytes. */
function* packed(events: unknown[], maxBytes: number): Generator<unknown[]> {
  const envelope = '{"events":[]}'.length;
  let batch: unknown[] = [];
  let size = envelope;
  for (const event of events) {
    const bytes = new TextEncoder().encode(JSON.stringify(event)).length + 1;
    if (batch.length > 0 && size + bytes > maxBytes) {
      yield batch;
      batch = [];
      size = envelope;
    }
    batch.push(event);
    size += bytes;
  }
  if (batch.length > 0) yield batch;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const serviceSecret = process.env.SERVICE_SECRET;
  if (!serviceSecret) {
    console.error("replay-history: SERVICE_SECRET (the BFF's) is required");
    process.exit(2);
  }
  try {
    const summary = await replayHistory({
      adminUrl: process.env.SIM_ADMIN_URL ?? "http://127.0.0.1:4100",
      bffUrl: process.env.MS8_URL ?? "http://127.0.0.1:8787",
      serviceSecret,
      orgId: process.argv[2],
      onBatch: (done, total) => process.stderr.write(`\r${done}/${total} events`),
    });
    process.stderr.write("\n");
    console.log(JSON.stringify(summary));
  } catch (error) {
    console.error(`replay-history: ${(error as Error).message}`);
    process.exit(1);
  }
}
