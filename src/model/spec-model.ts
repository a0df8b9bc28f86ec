/**
 * The shape of `generated/<service>/<api-version>/model.ts`: one spec file, flattened into plain data that the
 * engine reads (operations, parameters, responses, examples, rules). Schemas keep their local `$ref`s into
 * `schemas` and their `x-` extensions (x-ms-enum, x-azconform-rules) because arbitraries and rules read them.
 */
export type JsonSchema = { readonly [key: string]: unknown };

export type HttpMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
export type ParameterLocation = 'path' | 'query' | 'header';
export type Plane = 'data' | 'arm';

export interface RuleRef {
  readonly id: string;
  readonly says: string;
  readonly applies: 'request' | 'response' | 'both';
  readonly source: string;
  /** Where the rule is attached: a schema name or `operation`. */
  readonly at: string;
}

export interface ParameterModel {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
  readonly examples: { readonly [exampleName: string]: unknown };
}

export interface HeaderModel {
  readonly name: string;
  readonly required: boolean;
  readonly schema: JsonSchema;
  readonly examples: { readonly [exampleName: string]: unknown };
}

export interface ResponseModel {
  /** `'200'`, `'201'`, `'401'`, … or `'default'`. */
  readonly status: string;
  readonly description: string;
  readonly contentType?: string;
  readonly schema?: JsonSchema;
  readonly headers: readonly HeaderModel[];
  readonly examples: { readonly [exampleName: string]: unknown };
}

export interface RequestBodyModel {
  readonly required: boolean;
  readonly contentType: string;
  readonly schema: JsonSchema;
  readonly examples: { readonly [exampleName: string]: unknown };
}

export interface OperationModel {
  readonly id: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary?: string;
  readonly parameters: readonly ParameterModel[];
  readonly requestBody?: RequestBodyModel;
  readonly responses: readonly ResponseModel[];
  readonly rules: readonly RuleRef[];
  readonly security: readonly { readonly scheme: string; readonly scopes: readonly string[] }[];
}

export interface SpecModel {
  /** The spec file this was generated from, relative to the project root. */
  readonly file: string;
  readonly service: string;
  readonly apiVersion: string;
  readonly title: string;
  readonly plane: Plane;
  readonly server: { readonly url: string; readonly variables: { readonly [name: string]: string } };
  readonly operations: readonly OperationModel[];
  readonly schemas: { readonly [name: string]: JsonSchema };
}
