/**
 * Who is signed in, and the embed tokens handed to the widgets.
 *
 * The session token (15 minutes, from POST /api/v1/auth/login) stays in this tab's sessionStorage
 * and is used only for the dashboard's own calls. Widgets get embed tokens (POST
 * /api/v1/auth/embed-token): short-lived and scoped to one learner's widget endpoints, so a
 * compromised widget or host script never holds the user's full session.
 */
import { type Api, ApiProblem, type EmbedToken, type LoginAnswer, type User } from "./api.ts";

const SESSION_KEY = "ms8-demo.session";

export interface Session {
  token: string;
  expiresAt: string;
  user: User;
}

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    const session = raw ? (JSON.parse(raw) as Session) : null;
    return session && Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(answer: LoginAnswer): Session {
  const session = { token: answer.token, expiresAt: answer.expiresAt, user: answer.user };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/**
 * Embed tokens for the learner the page currently shows. Concurrent asks for the same learner share
 * one mint; a token is replaced shortly before it expires, and at once after the BFF refused it (see
 * `refused`).
 */
const EMBED_KEY = "ms8-demo.embed-token";
interface HeldToken {
  learnerId: string | undefined;
  token: string;
  expiresAt: number;
  issuedAt: number;
}

export function createEmbedTokens(api: Api) {
  let scope: string | undefined;
  // Kept for the tab like the session, so a reload reuses a live token instead of minting one.
  let current: HeldToken | null = null;
  try {
    current = JSON.parse(sessionStorage.getItem(EMBED_KEY) ?? "null");
  } catch {}
  const hold = (token: HeldToken | null) => {
    current = token;
    if (token) sessionStorage.setItem(EMBED_KEY, JSON.stringify(token));
    else sessionStorage.removeItem(EMBED_KEY);
  };
  /** The mint in flight, and the learner it was started for. */
  let minting: { learnerId: string | undefined; token: Promise<string> } | null = null;

  const fresh = () => {
    if (!current || current.learnerId !== scope) return false;
    // Renew within the last fifth of the lifetime (at most 60 s before expiry) to absorb clock skew.
    const margin = Math.min(60_000, (current.expiresAt - current.issuedAt) / 5);
    return Date.now() < current.expiresAt - margin;
  };

  /** A token for `learnerId`, kept for later asks only if `stillWanted()` when it arrives. */
  async function mint(learnerId: string | undefined, stillWanted: () => boolean): Promise<string> {
    let answer: EmbedToken;
    try {
      answer = await api.embedToken(learnerId);
    } catch (error) {
      // Not allowed to see that learner: a learner gets a token for oneself, so the widgets ask the
      // BFF and show its own refusal (403/404). Staff have no widgets of their own (that mint is a
      // 400): the error makes getToken() return null, and the widgets show their "not allowed".
      if (!(error instanceof ApiProblem) || (error.status !== 403 && error.status !== 404)) throw error;
      answer = await api.embedToken(undefined);
    }
    // The page moved on to another learner (or user) meanwhile: this token is not theirs to keep.
    if (stillWanted())
      hold({ learnerId, token: answer.token, expiresAt: Date.parse(answer.expiresAt), issuedAt: Date.now() });
    return answer.token;
  }

  return {
    /** The learner whose widgets the page shows; a new scope means a new token. */
    setScope(learnerId: string | undefined) {
      if (learnerId !== scope && current?.learnerId !== learnerId) hold(null);
      scope = learnerId;
    },
    /** What `MS8.configure({getToken})` calls before each widget request. */
    async getToken(): Promise<string | null> {
      if (fresh() && current) return current.token;
      // A mint started for the learner shown before (#/learners/A, then B) would hand B's widgets
      // A's token: the BFF refuses it (403, not retried) and B's widgets say "not allowed".
      if (!minting || minting.learnerId !== scope) {
        const learnerId = scope;
        const token: Promise<string> = mint(learnerId, () => minting?.token === token && scope === learnerId).finally(
          () => {
            if (minting?.token === token) minting = null;
          },
        );
        minting = { learnerId, token };
      }
      const { token } = minting;
      try {
        return await token;
      } catch {
        // null: the widgets send nothing and show their "not allowed" (no-token) state.
        return null;
      }
    },
    /** The BFF answered 401 to a widget: the token is dead whatever our clock says. */
    refused(token: string) {
      if (current?.token === token) hold(null);
    },
    clear() {
      hold(null);
      minting = null; // signed out: a mint in flight was the previous user's
      scope = undefined;
    },
  };
}
export type EmbedTokens = ReturnType<typeof createEmbedTokens>;
