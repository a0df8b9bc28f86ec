import type { ErrorObject } from 'ajv';
import type { SpecModel } from './spec-model.js';

/** A generated AJV standalone validator: compiled ahead of time, run many times. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * `strict` enforces every listed enum value (it decides whether a generated request is valid);
 * `tolerant` lets open (`modelAsString`) enums take any string, as Azure's clients must.
 */
export interface BodyValidators {
  readonly strict: Validator;
  readonly tolerant: Validator;
}

export interface ResponseValidators {
  readonly body?: BodyValidators;
  /** Response headers, keyed by lower-case name. */
  readonly headers: Validator;
}

export interface OperationValidators {
  readonly request: {
    /** `{path, query, header}` objects; header names lower-case. */
    readonly params: Validator;
    readonly body?: BodyValidators;
  };
  readonly responses: { readonly [status: string]: ResponseValidators };
}

export interface SpecValidators {
  readonly [operationId: string]: OperationValidators;
}

export interface GeneratedSpec {
  readonly model: SpecModel;
  readonly validators: SpecValidators;
}
