// Types for scripts/dev.mjs, so the end-to-end tests (TypeScript) start the stack type-checked.
export interface StackOptions {
  simulatorPort?: number;
  edgePort?: number;
  dashboardPort?: number;
  /** Origins besides the dashboard's that the BFF answers with CORS headers (a third-party page). */
  extraCorsOrigins?: string[];
  /** Added to the BFF's environment (after the embedded defaults). */
  edgeEnv?: Record<string, string>;
  seed?: boolean;
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
  logDir: string;
  stop(): Promise<void>;
}
export function startStack(options?: StackOptions): Promise<Stack>;
