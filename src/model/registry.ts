import { specs as generatedSpecs } from '../../generated/index.js';
import type { OperationModel, SpecModel } from './spec-model.js';
import type { GeneratedSpec, OperationValidators } from './validators.js';
import { compareApiVersions } from './api-version.js';

/** One operation of one api-version: the model data and its ahead-of-time validators, side by side. */
export interface Operation {
  readonly id: string;
  readonly apiVersion: string;
  readonly service: string;
  readonly plane: SpecModel['plane'];
  readonly spec: SpecModel;
  readonly model: OperationModel;
  readonly validators: OperationValidators;
}

/** The operations of a set of generated specs (default: everything under generated/). */
export function loadOperations(specs: readonly GeneratedSpec[] = generatedSpecs): Operation[] {
  return specs.flatMap(({ model: spec, validators }) =>
    spec.operations.map((model) => {
      const v = validators[model.id];
      if (!v) throw new Error(`generated/ has no validators for ${model.id} ${spec.apiVersion}: run npm run generate`);
      return { id: model.id, apiVersion: spec.apiVersion, service: spec.service, plane: spec.plane, spec, model, validators: v };
    }),
  );
}

/** The seed api-version of each operation: what `azconform run` exercises when no --api-version is given. */
export const SEED_VERSIONS: { readonly [operationId: string]: string } = {
  SetCertificateContacts: '2025-07-01',
  UpdateCertificate: '7.4',
  Vaults_UpdateAccessPolicy: '2019-09-01',
  Certificate_CreateOrUpdate: '2024-05-01',
};

export interface Selection {
  /** Operation ids; empty or undefined = all four. */
  readonly operations?: readonly string[];
  /** An api-version to use for every selected operation that has it; default: each operation's seed version. */
  readonly apiVersion?: string;
  /** Several api-versions (or every one the kit has a spec of): each selected operation at each that it has. */
  readonly apiVersions?: readonly string[] | 'all';
}

/** Every version of the selected operations that the selection names, oldest first per operation. */
function selectVersions(all: readonly Operation[], ids: readonly string[], versions: readonly string[] | 'all'): { selected: Operation[]; errors: string[] } {
  const selected = ids.flatMap((id) =>
    all.filter((o) => o.id === id && (versions === 'all' || versions.includes(o.apiVersion))).sort((a, b) => compareApiVersions(a.apiVersion, b.apiVersion)),
  );
  const errors = versions === 'all' ? [] : versions.filter((v) => !selected.some((o) => o.apiVersion === v)).map((v) => `no selected operation has api-version ${v} (available: ${[...new Set(all.filter((o) => ids.includes(o.id)).map((o) => o.apiVersion))].join(', ')})`);
  return { selected, errors };
}

/** Pick operations by id and api-version; unknown names are reported, never silently ignored. */
export function selectOperations(all: readonly Operation[], sel: Selection): { selected: Operation[]; errors: string[] } {
  const errors: string[] = [];
  const ids = sel.operations && sel.operations.length > 0 ? sel.operations : Object.keys(SEED_VERSIONS);
  const known = new Set(all.map((o) => o.id));
  if (sel.apiVersions) {
    const unknown = ids.filter((id) => !known.has(id)).map((id) => `unknown operation "${id}" (known: ${[...known].join(', ')})`);
    const r = selectVersions(all, ids.filter((id) => known.has(id)), sel.apiVersions);
    return { selected: r.selected, errors: [...unknown, ...r.errors] };
  }
  const selected: Operation[] = [];
  for (const id of ids) {
    if (!known.has(id)) {
      errors.push(`unknown operation "${id}" (known: ${[...known].join(', ')})`);
      continue;
    }
    const version = sel.apiVersion ?? SEED_VERSIONS[id];
    const op = all.find((o) => o.id === id && o.apiVersion === version);
    if (op) selected.push(op);
    else if (!sel.apiVersion) errors.push(`no spec for ${id} at its seed api-version ${String(version)}`);
  }
  if (sel.apiVersion && selected.length === 0 && errors.length === 0) {
    const versions = [...new Set(all.filter((o) => ids.includes(o.id)).map((o) => o.apiVersion))];
    errors.push(`no selected operation has api-version ${sel.apiVersion} (available: ${versions.join(', ')})`);
  }
  return { selected, errors };
}
