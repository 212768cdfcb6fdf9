/** The AI advisor: Gemini with a local fallback. See docs/ai.md. */
export { AI_DEFAULTS, type AiAdvisorOptions, createAiAdvisor } from "./advisor.ts";
export { type AiKvNamespace, kvAiCache, memoryAiCache } from "./cache.ts";
export { AI_ENV, type AiSettings, aiSettingsFrom, parseAiEnv } from "./config.ts";
export type * from "./ports.ts";
export { DEFAULT_GEMINI_MODEL, priceOf } from "./pricing.ts";
export { memoryAiStore } from "./store.ts";
