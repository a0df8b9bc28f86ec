import type { PropertyDef } from '../properties/types.js';

/** A suite: the properties one operation is held to. Suite files under suites/ declare these, thinly. */
export interface SuiteDef {
  readonly operation: string;
  readonly properties: readonly PropertyDef[];
}

export function defineSuite(operation: string, properties: readonly PropertyDef[]): SuiteDef {
  return { operation, properties };
}
