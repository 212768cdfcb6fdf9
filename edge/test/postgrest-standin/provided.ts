/** What global-setup.ts provides to the workerd tests (vitest's provide / inject). */
export interface SupabaseStandinAddress {
  url: string;
  jwtSecret: string;
  /** The simulator of the nine services, running beside the stand-in (real HTTP on loopback). */
  simulator: {
    /** The BFF's variables for the nine services: AUTH_MS_URL=..., etc. */
    env: Record<string, string>;
    serviceSecret: string;
    /** A few of its learners, for tests that need someone the services know. */
    learners: { learnerId: string; orgId: string }[];
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    supabaseStandin?: SupabaseStandinAddress;
  }
}
