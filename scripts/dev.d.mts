// Types for scripts/dev.mjs, so the end-to-end tests (TypeScript) start the stack type-checked.
export interface StackOptions {
  simulatorPort?: number;
  edgePort?: number;
  dashboardPort?: number;
  /** Origins besides the dashboard's that the BFF answers with CORS headers (a third-party page). */
  extraCorsOrigins?: string[];
  /** Added to the BFF's environment (after the embedded defaults). */
  edgeEnv?: Record<string, string>;
  /** Replay the simulator's history into the ledger, in the background (default true). */
  seed?: boolean;
  /** Open every learner once so the organization lists are complete (default true). */
  warm?: boolean;
  dataDir?: string;
  logDir?: string;
  say?: (line: string) => void;
}
export interface DemoPersona {
  role: "learner" | "trainer" | "org_admin";
  userId: string;
  orgId: string;
  roles: string[];
  email: string;
  password: string;
  displayName: string;
  pattern?: string;
}
export interface Stack {
  urls: {
    dashboard: string;
    edge: string;
    docs: string;
    health: string;
    simulator: Record<string, string> | null;
    simulatorAdmin: string | null;
  };
  secrets: { JWT_SECRET: string; SERVICE_SECRET: string };
  personas: {
    personas: DemoPersona[];
    organizations: { orgId: string; name: string; learnerIds: string[] }[];
  } | null;
  notes: string[];
  /** Resolves when the background ledger replay is done (ok false when none ran or it failed). */
  ledgerSeeded: Promise<{ ok: boolean; seconds: number; summary?: string }>;
  logDir: string;
  stop(): Promise<void>;
}
export function startStack(options?: StackOptions): Promise<Stack>;
/** The BFF's CORS_ORIGINS for a stack: the dashboard's origins plus the user's (comma-separated setting) and `extra`. */
export function corsOriginsFor(dashboardPort: number, userSetting?: string, extra?: string[]): string[];
