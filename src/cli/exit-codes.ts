/** Exit codes CI can gate on. */
export const EXIT = {
  ok: 0,
  /** Violations found (conformance failures, or traffic that breaks the spec). */
  violations: 1,
  /** Usage error, unreachable target, broken spec or unreadable input. */
  usage: 2,
} as const;

/** A problem the user can fix: printed as one message, never as a stack trace. */
export class UsageError extends Error {}
