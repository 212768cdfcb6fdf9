/**
 * `node edge/simulator/main.ts`: the nine services on loopback for local development.
 * Prints the admin base URL, then the BFF's environment (AUTH_MS_URL=... and so on) to point at it.
 *
 * Environment: SIM_PORT (admin port, services on the nine after it; default 4100), SIM_SEED,
 * SIM_NOW (ISO instant; default the start of the current UTC day), SIM_FAULTS (JSON fault map),
 * SERVICE_SECRET (must match the BFF's; default the local-only development secret).
 */
import { faultsFromEnv } from "./faults.ts";
import { DEFAULT_SERVICE_SECRET, startSimulator } from "./server.ts";

function numberFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function nowFrom(raw: string | undefined): Date | undefined {
  if (!raw) return undefined;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw new Error(`SIM_NOW must be an ISO 8601 instant, got "${raw}"`);
  return at;
}

try {
  const simulator = await startSimulator({
    port: numberFrom("SIM_PORT", 4100),
    seed: numberFrom("SIM_SEED", 8),
    now: nowFrom(process.env.SIM_NOW),
    faults: faultsFromEnv(process.env.SIM_FAULTS),
    serviceSecret: process.env.SERVICE_SECRET || DEFAULT_SERVICE_SECRET,
  });
  console.log(simulator.baseUrl);
  for (const [name, url] of Object.entries(simulator.env)) console.log(`${name}=${url}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void simulator.stop().then(() => process.exit(0)));
  }
} catch (error) {
  console.error(`ms8 simulator: ${(error as Error).message}`);
  process.exit(1);
}
