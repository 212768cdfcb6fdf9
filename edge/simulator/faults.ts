/**
 * Fault injection per simulated service: what a real platform does on a bad day. Set at start
 * (`SIM_FAULTS` JSON or `startSimulator({faults})`) or while running (`PUT /__admin/faults/{service}`
 * on the simulator's admin port; never on the BFF).
 */
import { z } from "zod";

export const SERVICE_NAMES = [
  "auth",
  "directory",
  "course",
  "content",
  "assessment",
  "skills",
  "learnerAi",
  "devlab",
  "rag",
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const Fault = z
  .object({
    /** Added before every answer, in milliseconds. */
    latencyMs: z.number().int().nonnegative().max(600_000).default(0),
    /** Share of requests answered with `errorStatus` (0..1). */
    errorRate: z.number().min(0).max(1).default(0),
    errorStatus: z.number().int().min(400).max(599).default(500),
    /** Share of successful answers whose body is broken (0..1). */
    malformedRate: z.number().min(0).max(1).default(0),
    /** `json`: not JSON at all; `schema`: valid JSON with fields of the wrong type. */
    malformedKind: z.enum(["json", "schema"]).default("schema"),
    /** Accept the request and never answer (until the client gives up). */
    hang: z.boolean().default(false),
    /** Stop listening: connections are refused, as when a service is down. */
    down: z.boolean().default(false),
  })
  .strict();
export type Fault = z.infer<typeof Fault>;
export type FaultInput = z.input<typeof Fault>;

export const NO_FAULT: Fault = Fault.parse({});

/** `SIM_FAULTS='{"content":{"down":true},"devlab":{"latencyMs":2000}}'` */
export function faultsFromEnv(value: string | undefined): Partial<Record<ServiceName, FaultInput>> {
  if (!value) return {};
  const parsed = z.partialRecord(z.enum(SERVICE_NAMES), Fault).safeParse(JSON.parse(value));
  if (!parsed.success) {
    throw new Error(`SIM_FAULTS is not a valid fault map: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Valid JSON that no honest schema accepts: every top-level field gets the wrong type. */
export function corruptBody(body: unknown): unknown {
  if (Array.isArray(body)) return { unexpected: body.length };
  if (body === null || typeof body !== "object") return { unexpected: body };
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => {
      if (Array.isArray(value)) return [key, "not-a-list"];
      if (typeof value === "string") return [key, 42];
      if (typeof value === "number") return [key, "forty-two"];
      if (typeof value === "boolean") return [key, "yes"];
      return [key, [value]];
    }),
  );
}
