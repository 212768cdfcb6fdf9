/**
 * What Gemini must answer, as zod schemas. The same schema is sent as the response JSON schema
 * (z.toJSONSchema) and checked on the way back; an answer that fails is retried once, then the
 * fallback answers instead.
 */
import { z } from "zod";

/**
 * Texts about a learner's numbers carry no digits at all: the model writes `{placeholders}` and MS8
 * fills in its own numbers, so no figure a learner reads was produced by the model.
 */
const NumberFreeText = z
  .string()
  .min(20)
  .max(700)
  .regex(/^[^0-9]*$/, "no digits: numbers are written as {placeholders}")
  // Nor any other script's digits (Arabic-Indic ones in an Arabic answer); checked here, as the
  // pattern Gemini is given stays the plain one its schema support is sure to read.
  .refine((text) => !/\p{Nd}/u.test(text), "no digits: numbers are written as {placeholders}");

export const GeminiRecommendation = z.object({
  courseId: z.string().min(1).max(64).describe("Exactly one courseId from the catalogue"),
  reasoning: z.string().min(10).max(400).describe("Why this course, in terms of the learner's skill gaps and goals"),
  expectedOutcomes: z.array(z.string().min(3).max(160)).min(1).max(4),
  priority: z.number().int().min(1).max(5).describe("1 is the most urgent"),
});
export const GeminiRecommendations = z.object({
  items: z.array(GeminiRecommendation).min(1).max(10),
});
export type GeminiRecommendations = z.infer<typeof GeminiRecommendations>;

export const GeminiNumberFreeText = z.object({
  text: NumberFreeText.describe("Two to four short sentences; write numbers only as the given {placeholders}"),
});
export type GeminiNumberFreeText = z.infer<typeof GeminiNumberFreeText>;

/** The response JSON schema for Gemini, optionally narrowing course ids to the catalogue. */
export function recommendationsJsonSchema(catalogueIds: string[]): Record<string, unknown> {
  const schema = toGeminiJsonSchema(GeminiRecommendations);
  // An enum keeps the model on real ids; past a few hundred it costs more prompt than it saves.
  if (catalogueIds.length > 0 && catalogueIds.length <= 200) {
    const list = (schema.properties as { items: { items: { properties: { courseId: Record<string, unknown> } } } })
      .items;
    list.items.properties.courseId.enum = catalogueIds;
  }
  return schema;
}

export function numberFreeTextJsonSchema(): Record<string, unknown> {
  return toGeminiJsonSchema(GeminiNumberFreeText);
}

function toGeminiJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}
