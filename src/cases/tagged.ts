/**
 * A generated value together with what a conforming target must do with it. Every generated input carries the
 * constraint it tests, so a finding can name it and a report can say why the case exists.
 */
export type Expectation = 'accept' | 'reject' | 'either';

export interface Breaks {
  /** `schema` for a JSON Schema keyword, `rule` for an x-azconform-rules id. */
  readonly kind: 'schema' | 'rule';
  /** The keyword (`maximum`, `pattern`, `required`, `enum`, `type`, `maxItems`, …) or the rule id. */
  readonly id: string;
  /** JSON pointer into the generated value where the constraint is broken (or tested, for boundaries). */
  readonly path: string;
  readonly detail: string;
}

export interface Tagged<T> {
  readonly value: T;
  readonly expect: Expectation;
  /** What this value breaks (expect 'reject') or probes at its edge (boundary, expect 'accept'). */
  readonly breaks?: Breaks;
  /** Short human label, e.g. `lifetime_percentage=100`, `permissions.keys: every value`. */
  readonly label?: string;
  /**
   * The valid, rule-keeping value this one is a single edit of (negatives and boundaries): the value differs from
   * it only at `breaks.path`, so whatever the target answers is about that one edit.
   */
  readonly base?: T;
}
