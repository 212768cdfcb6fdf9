/**
 * Password sign-in through the platform's Auth service (`POST /api/v1/auth/verify`). MS8 keeps no
 * passwords; wrong credentials answer null, an Auth service that cannot answer throws an
 * UpstreamError (the login route answers 503 for it, never 401).
 */
import type { Identity } from "../deps.ts";
import type { Upstreams } from "./clients.ts";

export function createIdentity(upstreams: Pick<Upstreams, "auth">): Identity {
  return {
    async verifyPassword(email, password, opts) {
      const user = await upstreams.auth.verify(email, password, { requestId: opts?.requestId });
      return user && { id: user.userId, orgId: user.orgId, roles: user.roles, displayName: user.displayName };
    },
  };
}
