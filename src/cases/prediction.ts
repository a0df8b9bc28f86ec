// What a stateful model predicts for one step. A leaf module: cases and rules both read it, so it imports nothing.

/** What the model of a certificate knows, read from the last answer. */
export interface CertificateView {
  readonly enabled?: boolean;
  readonly nbf?: number;
  readonly exp?: number;
  readonly created?: number;
  readonly updated?: number;
  readonly recoverableDays?: number;
  readonly recoveryLevel?: string;
  readonly tags: { readonly [k: string]: string };
  readonly validityMonths?: number;
  readonly lifetimeActions?: readonly unknown[];
  /** The policy's sections the answer carries (key_props, secret_props, x509_props, issuer, lifetime_actions); undefined: no policy. */
  readonly policySections?: readonly string[];
}

/**
 * What the model of a stateful property predicts for one step. The step's request is in the exchange; the
 * prediction carries only what the request alone cannot say: the state before it.
 */
export type Prediction =
  | { readonly kind: 'certificate'; readonly before: CertificateView }
  | {
      readonly kind: 'apim';
      /** Whether the certificateId existed before this request. */
      readonly existed: boolean;
      /** Every ETag this certificateId has had, oldest first (the last one is current). */
      readonly etags: readonly string[];
      /** The If-Match the step sends, as the model classifies it. */
      readonly ifMatch: 'none' | 'current' | 'star' | 'stale';
      /** The body is the one the last successful write sent (an ETag computed from content may then stay). */
      readonly sameBody?: boolean;
    };
