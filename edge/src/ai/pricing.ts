/**
 * List prices used to *estimate* what a call cost (USD per million tokens; thinking tokens bill as
 * output). Source: ai.google.dev/gemini-api/docs/pricing as of October 2026. For gemini-3.8-flash
 * Google charges $0.75 / $3.75 until 2026-12-31 and $1.50 / $7.50 from 2027-01-01; we estimate with
 * the later, higher price so reports never understate. Unknown models are priced like the default.
 */
export interface TokenPrice {
  input: number;
  output: number;
}

export const DEFAULT_GEMINI_MODEL = "gemini-3.8-flash";

const PRICES: [prefix: string, price: TokenPrice][] = [
  ["gemini-3.8-flash-lite", { input: 0.3, output: 2.5 }],
  ["gemini-3.8-flash", { input: 1.5, output: 7.5 }],
  ["gemini-3.5-flash-lite", { input: 0.3, output: 2.5 }],
  ["gemini-3.5-flash", { input: 1.5, output: 9 }],
  ["gemini-2.5-flash-lite", { input: 0.1, output: 0.4 }],
  ["gemini-2.5-flash", { input: 0.3, output: 2.5 }],
];

export function priceOf(model: string): TokenPrice {
  const name = model.replace(/^models\//, "");
  const found = PRICES.find(([prefix]) => name.startsWith(prefix));
  return found ? found[1] : (PRICES.find(([p]) => p === DEFAULT_GEMINI_MODEL)?.[1] ?? { input: 1.5, output: 7.5 });
}

export function estimateCostUsd(price: TokenPrice, tokensIn: number, tokensOut: number): number {
  return (tokensIn * price.input + tokensOut * price.output) / 1_000_000;
}
