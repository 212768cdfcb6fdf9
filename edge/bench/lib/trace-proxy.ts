/**
 * A recording reverse proxy in front of each upstream service (loopback): when each call the BFF
 * makes starts and ends, on the same clock as the requests we send, so a cold answer can be laid
 * out as a timeline of its upstream calls.
 */
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface TracedCall {
  service: string;
  endpoint: string;
  startMs: number;
  endMs: number;
}

export async function startTraceProxies(targets: Record<string, string>) {
  const calls: TracedCall[] = [];
  const servers: Server[] = [];
  const agent = new Agent({ keepAlive: true });
  const env: Record<string, string> = {};
  for (const [variable, target] of Object.entries(targets)) {
    const upstream = new URL(target);
    const service = variable.replace(/_MS_URL$/, "").toLowerCase();
    const server = createServer((req, res) => {
      const startMs = performance.now();
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on("end", () =>
            calls.push({ service, endpoint: `${req.method} ${req.url}`, startMs, endMs: performance.now() }),
          );
        },
      );
      forward.on("error", () => res.writeHead(502).end());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    servers.push(server);
    env[variable] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    env,
    calls,
    async stop() {
      agent.destroy();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
