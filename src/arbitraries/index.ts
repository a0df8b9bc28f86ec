/**
 * Schema-driven arbitraries: valid values, single-mutation invalid values, boundary tables and the domain knobs
 * of the four operations. Every generated input is a `Tagged` value saying what a conforming target must do.
 */
export { validValue, type ValidOptions } from './valid.js';
export { invalidValue, BAD_FORMATS } from './invalid.js';
export { boundaryValues, type BoundaryOptions } from './boundary.js';
export { exampleValue, type ExampleOptions } from './example.js';
export { UnsatisfiableSchema, type Schemas } from './schema.js';
export * from './knobs.js';
