/**
 * The service JWT MS8 presents to the platform services: HS256 with SERVICE_SECRET, five minutes,
 * signed once and reused until shortly before it expires (signing per request would cost a
 * WebCrypto call each time for no gain in security).
 */
import { sign } from "hono/jwt";
import type { Clock } from "../deps.ts";

export interface ServiceTokenSource {
  token(): Promise<string>;
  /** How many tokens have been signed so far (tests assert reuse with it). */
  readonly signatures: number;
}

export interface ServiceTokenOptions {
  secret: string;
  clock: Clock;
  /** Who is calling, in the `service` claim. */
  service?: string;
  scope?: string;
  lifetimeSeconds?: number;
  /** Sign a new token when less than this is left, so none expires in flight. */
  renewBeforeSeconds?: number;
}

export function createServiceTokenSource(options: ServiceTokenOptions): ServiceTokenSource {
  const lifetime = options.lifetimeSeconds ?? 300;
  const renewBefore = options.renewBeforeSeconds ?? 30;
  let current: { token: string; exp: number } | null = null;
  let signing: Promise<string> | null = null;
  let signatures = 0;

  async function signNew(): Promise<string> {
    const iat = Math.floor(options.clock.now().getTime() / 1000);
    const exp = iat + lifetime;
    const token = await sign(
      { service: options.service ?? "ms8-analytics", scope: options.scope ?? "read", iat, exp },
      options.secret,
      "HS256",
    );
    signatures++;
    current = { token, exp };
    return token;
  }

  return {
    token() {
      const nowSeconds = options.clock.now().getTime() / 1000;
      if (current && current.exp - nowSeconds > renewBefore) return Promise.resolve(current.token);
      // Concurrent first calls share one signature.
      signing ??= signNew().finally(() => {
        signing = null;
      });
      return signing;
    },
    get signatures() {
      return signatures;
    },
  };
}
