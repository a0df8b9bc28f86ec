/** JSON text of object values, by identity: a value that is sent and also printed in a curl is serialised once. */
const TEXT = new WeakMap<object, string>();

/**
 * `JSON.stringify(value)`, remembered for objects and arrays (request bodies are never changed once built, so
 * the text stays true). Throws what `JSON.stringify` throws.
 */
export function jsonText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (value instanceof BodyText) return value.text;
  let text = TEXT.get(value);
  if (text === undefined) TEXT.set(value, (text = JSON.stringify(value)));
  return text;
}

/**
 * A request body sent as written rather than as JSON: the probe of a body that is not JSON. The wire and the curl
 * command carry its text; a report shows it as a string (toJSON).
 */
export class BodyText {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}
