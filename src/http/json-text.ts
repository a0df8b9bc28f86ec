/** JSON text of object values, by identity: a value that is sent and also printed in a curl is serialised once. */
const TEXT = new WeakMap<object, string>();

/**
 * `JSON.stringify(value)`, remembered for objects and arrays (request bodies are never changed once built, so
 * the text stays true). Throws what `JSON.stringify` throws.
 */
export function jsonText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let text = TEXT.get(value);
  if (text === undefined) TEXT.set(value, (text = JSON.stringify(value)));
  return text;
}
