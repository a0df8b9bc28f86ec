import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Violation } from '../events/types.js';
import type { OperationModel } from '../model/spec-model.js';

/** Where a finding lands in a spec file: a 1-based line and what the line names. */
export interface SpecLine {
  readonly line: number;
  /** JSON pointer of the node in the spec document (or the rule entry), for the message. */
  readonly pointer: string;
}

type Hit = { node: Node | null; line: number };
const decode = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');
const encode = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * One spec file parsed with line positions (the `yaml` package's LineCounter), read once per report: the SARIF
 * report puts a finding on the line of the schema node or `x-azconform-rules` entry that was broken.
 */
export class SpecLines {
  private readonly doc;
  private readonly lines = new LineCounter();

  constructor(file: string) {
    this.doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: this.lines });
  }

  private lineOf(node: Node | null | undefined): number {
    const at = node?.range?.[0];
    return at === undefined ? 1 : this.lines.linePos(at).line;
  }

  /** The child `seg` of a node, with the line of its key (or of the item, in a list). */
  private child(node: Node | null, seg: string): Hit | undefined {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) return undefined;
      return { node: (pair.value as Node | null) ?? null, line: this.lineOf(pair.key as Node) };
    }
    if (isSeq(node) && /^\d+$/.test(seg)) {
      const item = node.items[Number(seg)] as Node | undefined;
      return item ? { node: item, line: this.lineOf(item) } : undefined;
    }
    return undefined;
  }

  /** Follow a path from the root as far as it exists. */
  private walk(segs: readonly string[]): { hit: Hit; done: string[] } | undefined {
    let hit: Hit = { node: this.doc.contents as Node | null, line: 1 };
    const done: string[] = [];
    for (const s of segs) {
      const next = this.child(hit.node, s);
      if (!next) return done.length > 0 ? { hit, done } : undefined;
      hit = next;
      done.push(s);
    }
    return { hit, done };
  }

  private has(ptr: readonly string[]): boolean {
    return this.walk(ptr)?.done.length === ptr.length;
  }

  private at(segs: readonly string[]): SpecLine | undefined {
    const w = this.walk(segs);
    return w ? { line: w.hit.line, pointer: `/${w.done.map(encode).join('/')}` } : undefined;
  }

  /** The operation's node: paths/<path>/<method>. */
  operation(op: OperationModel): readonly string[] {
    return ['paths', op.path, op.method.toLowerCase()];
  }

  /** The line of `- id: <rule>` in an x-azconform-rules list, preferring one under the operation. */
  rule(id: string, op: OperationModel): SpecLine | undefined {
    const found: { pointer: string[]; line: number }[] = [];
    const visit = (node: Node | null, ptr: string[]): void => {
      if (isMap(node)) {
        for (const p of node.items) {
          if (!isScalar(p.key)) continue;
          const k = String(p.key.value);
          const v = p.value as Node | null;
          if (k === 'x-azconform-rules' && isSeq(v)) {
            v.items.forEach((item, i) => {
              if (isMap(item) && item.get('id') === id) found.push({ pointer: [...ptr, k, String(i)], line: this.lineOf(item as Node) });
            });
          } else visit(v, [...ptr, k]);
        }
      } else if (isSeq(node)) node.items.forEach((item, i) => visit(item as Node | null, [...ptr, String(i)]));
    };
    visit(this.doc.contents as Node | null, []);
    const prefix = this.operation(op).join('\u0000');
    const best = found.find((f) => f.pointer.join('\u0000').startsWith(prefix)) ?? found[0];
    return best ? { line: best.line, pointer: `/${best.pointer.map(encode).join('/')}` } : undefined;
  }

  /**
   * The schema node an instance path leads to, from a schema root (a path into the document), through `$ref`s,
   * properties, items, additionalProperties and allOf/anyOf/oneOf branches; it stops at the deepest node that
   * exists. `keyword` (e.g. `maximum`), when the node has it, moves the line to the keyword.
   */
  schemaNode(root: readonly string[], instancePath: string, keyword?: string): SpecLine | undefined {
    let cur: string[] = [...root];
    const resolve = (ptr: string[]): string[] => {
      for (let i = 0; i < 16; i++) {
        const w = this.walk(ptr);
        const ref = w && w.done.length === ptr.length && isMap(w.hit.node) ? w.hit.node.get('$ref') : undefined;
        if (typeof ref !== 'string' || !ref.startsWith('#/')) return ptr;
        ptr = ref.slice(2).split('/').map(decode);
      }
      return ptr;
    };
    const has = (ptr: readonly string[]): boolean => this.has(ptr);
    const step = (base: string[], seg: string): string[] | undefined => {
      const b = resolve(base);
      const tries = [[...b, 'properties', seg], ...(/^(\d+|\*)$/.test(seg) ? [[...b, 'items']] : []), [...b, 'additionalProperties']];
      const direct = tries.find(has);
      if (direct) return direct;
      for (const comb of ['allOf', 'anyOf', 'oneOf']) {
        for (let i = 0; has([...b, comb, String(i)]); i++) {
          const inner = step([...b, comb, String(i)], seg);
          if (inner) return inner;
        }
      }
      return undefined;
    };
    if (!has(cur)) return this.at(cur);
    for (const seg of instancePath.split('/').slice(1).map(decode)) {
      const next = step(cur, seg);
      if (!next) break;
      cur = next;
    }
    if (keyword) {
      const r = resolve(cur);
      if (has([...r, keyword])) return this.at([...r, keyword]);
    }
    return this.at(cur);
  }

  /** Where a violation lands: its rule's entry, else the schema node it points at, else the operation. */
  locate(v: Violation, op: OperationModel): SpecLine {
    const opPath = this.operation(op);
    const fallback = this.at(opPath) ?? { line: 1, pointer: '' };
    if (v.rule) return this.rule(v.rule, op) ?? fallback;
    const body = (ptr: readonly string[]): string[] | undefined => {
      const content = this.walk([...ptr, 'content'])?.hit.node;
      const ct = isMap(content) ? content.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).find((k) => /json/.test(k)) : undefined;
      return ct ? [...ptr, 'content', ct, 'schema'] : undefined;
    };
    const status = v.response ? String(v.response.status) : undefined;
    const responseAt = [...opPath, 'responses', status && this.has([...opPath, 'responses', status]) ? status : 'default'];
    // A missing member is reported at its parent (JSON Schema's `required`); the member's own node is the place.
    const missing = /must have required property '([^']+)'/.exec(v.message)?.[1];
    const instancePath = v.instancePath !== undefined && missing ? `${v.instancePath}/${missing.replace(/~/g, '~0').replace(/\//g, '~1')}` : v.instancePath;
    if (instancePath !== undefined && v.direction === 'request') {
      const root = body([...opPath, 'requestBody']);
      if (root) return this.schemaNode(root, instancePath) ?? fallback;
    }
    if (instancePath !== undefined && v.direction !== 'request') {
      const header = /^\/headers\/([^/]+)$/.exec(instancePath);
      if (header?.[1]) {
        const headers = this.walk([...responseAt, 'headers'])?.hit.node;
        const name = isMap(headers) ? headers.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).find((k) => k.toLowerCase() === header[1]?.toLowerCase()) : undefined;
        return this.at([...responseAt, 'headers', ...(name ? [name] : [])]) ?? fallback;
      }
      const root = body(responseAt);
      // Schema findings end with the keyword they broke, `… (maximum)`: the line of that keyword, when the node has it.
      const keyword = /\((\w+)\)$/.exec(v.message)?.[1];
      if (root) return this.schemaNode(root, instancePath, keyword) ?? fallback;
    }
    if (v.breaks?.kind === 'schema') {
      const root = body([...opPath, 'requestBody']);
      if (root) return this.schemaNode(root, v.breaks.path, v.breaks.id) ?? fallback;
    }
    if (v.breaks?.kind === 'rule') return this.rule(v.breaks.id, op) ?? fallback;
    // Status and transport findings: the operation's responses (or the operation itself).
    return this.at([...opPath, 'responses']) ?? fallback;
  }
}

