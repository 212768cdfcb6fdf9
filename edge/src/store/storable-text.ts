/**
 * Text PostgreSQL can store: its `text` and `jsonb` refuse NUL, and JSON with half a surrogate
 * pair. Client-sent strings that reach the database are checked with this first, so such input is
 * a 400 for the one value, not a database error for the whole request.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !LONE_SURROGATE.test(text);
}
