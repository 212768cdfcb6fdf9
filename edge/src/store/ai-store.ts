/**
 * The AI engineer's `AiStore` port (src/ai/ports.ts) over the `ai_results` and `ai_usage` tables,
 * through the same AnalyticsStore every adapter implements.
 */
import type { AiStore } from "../ai/ports.ts";
import type { AnalyticsStore } from "./types.ts";

export function aiStoreFrom(
  store: Pick<AnalyticsStore, "readAiResult" | "writeAiResult" | "recordAiUsage" | "aiUsageByDay">,
): AiStore {
  return {
    async loadResult(ref, now) {
      const r = await store.readAiResult(ref.learnerId, ref.useCase, ref.inputHash);
      if (!r || r.expiresAt.getTime() <= now.getTime()) return null;
      return {
        key: `${ref.useCase}:${ref.learnerId}:${ref.inputHash}`,
        learnerId: r.learnerId,
        orgId: r.orgId,
        useCase: ref.useCase,
        inputHash: r.inputHash,
        model: r.model,
        data: r.payload,
        calculatedAt: r.createdAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
      };
    },
    async saveResult(result) {
      await store.writeAiResult({
        learnerId: result.learnerId,
        orgId: result.orgId,
        kind: result.useCase,
        inputHash: result.inputHash,
        model: result.model,
        // Only model answers are kept; the fallback is recomputed for free.
        aiSource: "gemini",
        payload: result.data,
        createdAt: new Date(result.calculatedAt),
        expiresAt: new Date(result.expiresAt),
      });
    },
    async recordUsage(record) {
      await store.recordAiUsage({
        orgId: record.orgId,
        learnerId: record.learnerId,
        kind: record.useCase,
        model: record.model,
        inputTokens: record.tokensIn,
        outputTokens: record.tokensOut,
        latencyMs: Math.round(record.latencyMs),
        estimatedCostUsd: record.estimatedCostUsd,
        outcome: record.outcome,
        createdAt: record.at,
      });
    },
    async tokensUsedOn(orgId, day) {
      const [totals] = await store.aiUsageByDay(orgId, day, day);
      return totals ? totals.tokensIn + totals.tokensOut : 0;
    },
    usageByDay: (orgId, from, to) => store.aiUsageByDay(orgId, from, to),
  };
}
