/**
 * In-process `AiStore` for Node without a database and for tests. The Postgres implementation
 * (tables `ai_results`, `ai_usage`) belongs to src/store/ and keeps the same semantics.
 */
import type { AiStore, AiUsageRecord, AiUsageTotals, StoredAiResult } from "./ports.ts";

export function memoryAiStore(): AiStore & { usageRecords: AiUsageRecord[] } {
  const results = new Map<string, StoredAiResult>();
  const usageRecords: AiUsageRecord[] = [];
  const dayOf = (at: Date) => at.toISOString().slice(0, 10);

  return {
    usageRecords,
    async loadResult(ref, now) {
      const key = `${ref.useCase}:${ref.learnerId}:${ref.inputHash}`;
      const result = results.get(key);
      if (!result) return null;
      if (Date.parse(result.expiresAt) <= now.getTime()) {
        results.delete(key);
        return null;
      }
      return result;
    },
    async saveResult(result) {
      results.set(result.key, result);
    },
    async recordUsage(record) {
      usageRecords.push(record);
    },
    async tokensUsedOn(orgId, day) {
      return usageRecords
        .filter((r) => r.orgId === orgId && dayOf(r.at) === day)
        .reduce((sum, r) => sum + r.tokensIn + r.tokensOut, 0);
    },
    async usageByDay(orgId, from, to) {
      const byDay = new Map<string, AiUsageTotals>();
      for (const r of usageRecords) {
        const day = dayOf(r.at);
        if (r.orgId !== orgId || day < from || day > to) continue;
        const totals = byDay.get(day) ?? {
          day,
          calls: 0,
          failedCalls: 0,
          tokensIn: 0,
          tokensOut: 0,
          estimatedCostUsd: 0,
        };
        totals.calls += 1;
        if (r.outcome !== "ok") totals.failedCalls += 1;
        totals.tokensIn += r.tokensIn;
        totals.tokensOut += r.tokensOut;
        totals.estimatedCostUsd += r.estimatedCostUsd;
        byDay.set(day, totals);
      }
      return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
    },
  };
}
