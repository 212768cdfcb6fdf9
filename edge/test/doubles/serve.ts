/** An app (createApp, or any fetch handler) on a real Node socket on loopback, for HTTP tests. */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export interface ServedApp {
  /** `http://127.0.0.1:<port>` */
  base: string;
  close(): Promise<void>;
}

export function serveOnLoopback(app: {
  fetch: (request: Request) => Response | Promise<Response>;
}): Promise<ServedApp> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({
        base: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}
