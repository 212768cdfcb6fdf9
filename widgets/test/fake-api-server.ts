/**
 * The fake API of fake-api/fake-api.ts over real HTTP on 127.0.0.1, for the browser tests: the
 * widgets make genuine cross-origin requests (CORS preflights included) to a second origin.
 * It also records every request per learner so tests can ask what reached the server:
 * `GET /__stats/<learnerId>` answers `{requests: [{method, path, url, token, ifNoneMatch, status, aborted}]}`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeApi } from "../fake-api/fake-api.ts";

interface RecordedRequest {
  method: string;
  path: string;
  url: string;
  token: string | null;
  ifNoneMatch: string | null;
  status: number | null;
  /** The client went away before the answer was complete (an aborted fetch). */
  aborted: boolean;
}

export interface FakeApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startFakeApiServer(): Promise<FakeApiServer> {
  const fakeApi = createFakeApi({ slowMs: 1500 });
  const byLearner = new Map<string, RecordedRequest[]>();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const statsFor = /^\/__stats\/([^/]+)$/.exec(url.pathname)?.[1];
    if (statsFor) {
      res.writeHead(200, {
        "content-type": "application/json",
        "access-control-allow-origin": "*",
        "cache-control": "no-store",
      });
      res.end(JSON.stringify({ requests: byLearner.get(statsFor) ?? [] }));
      return;
    }

    const learnerId = /^\/api\/v1\/learners\/([^/]+)\//.exec(url.pathname)?.[1];
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      url: req.url ?? "",
      token: /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? null,
      ifNoneMatch: req.headers["if-none-match"] ?? null,
      status: null,
      aborted: false,
    };
    if (learnerId) byLearner.set(learnerId, [...(byLearner.get(learnerId) ?? []), record]);

    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) {
        record.aborted = true;
        controller.abort(new Error("client closed the connection"));
      }
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    try {
      const response = await fakeApi(
        new Request(new URL(req.url ?? "/", "http://127.0.0.1"), {
          method: req.method,
          headers,
          signal: controller.signal,
        }),
      );
      record.status = response.status;
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
    } catch {
      if (!res.headersSent && !record.aborted) {
        res.writeHead(500);
        res.end();
      }
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
