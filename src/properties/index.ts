export { examples } from './examples.js';
export { positive } from './positive.js';
export { probes } from './probes.js';
export type { CaseInput, PropertyContext, PropertyDef } from './types.js';
export { boundaries, constraints, fuzz, knobs, negative } from './generated.js';
export { stateful } from './stateful/index.js';
