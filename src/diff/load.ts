/** The two documents of a diff: a version of the kit's own specs/, or any OpenAPI 3.1 file (YAML or JSON). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { specs } from '../../generated/index.js';
import { compareApiVersions } from '../model/api-version.js';
import { packageRoot } from '../model/root.js';
import type { Json } from './facts.js';

export class DiffInputError extends Error {}

/** The api-versions the kit has a spec of for an operation, oldest first as Azure orders them (7.x before dates). */
export function versionsOf(operationId: string): { apiVersion: string; file: string }[] {
  return specs
    .filter((s) => s.model.operations.some((o) => o.id === operationId))
    .map((s) => ({ apiVersion: s.model.apiVersion, file: s.model.file }))
    .sort((a, b) => compareApiVersions(a.apiVersion, b.apiVersion));
}

export function loadVersion(operationId: string, apiVersion: string): { doc: Json; file: string } {
  const known = versionsOf(operationId);
  if (known.length === 0) throw new DiffInputError(`unknown operation ${operationId} (known: ${[...new Set(specs.flatMap((s) => s.model.operations.map((o) => o.id)))].join(', ')})`);
  const hit = known.find((k) => k.apiVersion === apiVersion);
  if (!hit) throw new DiffInputError(`${operationId} has no spec at api-version ${apiVersion} (known: ${known.map((k) => k.apiVersion).join(', ')})`);
  return { doc: loadFile(path.join(packageRoot(), hit.file)), file: hit.file };
}

export function loadFile(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new DiffInputError(`cannot read ${file}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new DiffInputError(`${file} is not YAML or JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof doc !== 'object' || doc === null || typeof (doc as Json).paths !== 'object') throw new DiffInputError(`${file} is not an OpenAPI document (no paths)`);
  return doc as Json;
}
