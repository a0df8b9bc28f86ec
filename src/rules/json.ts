/** Reading parsed JSON of unknown shape, as the rules do: an object or undefined, an array or empty. */
export type Obj = { [k: string]: unknown };
export const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
