/** The three Fleet API regions; each has its own base URL (`${url}/na` etc. in the simulator). */
export const REGIONS = ['na', 'eu', 'cn'] as const;
export type Region = (typeof REGIONS)[number];

export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && (REGIONS as readonly string[]).includes(value);
}

/** Tesla's billing categories. */
export type BillingCategory = 'data' | 'command' | 'wake' | 'signal';

/** One request the simulator answered, as the request log and the billing report show it. */
export interface SimRequest {
  /** Simulated ms (clock.now()) when the response was sent. */
  at: number;
  method: string;
  /** Path without the query, including the region prefix (`/na/api/1/...`). */
  path: string;
  region?: Region;
  query: Record<string, string>;
  /** For POST /oauth2/v3/token: the form's grant_type. */
  grantType?: string;
  status: number;
  /** Tesla's billing category of the endpoint; null for endpoints Tesla does not bill. */
  category: BillingCategory | null;
  /** category !== null && status < 500: Tesla bills every answer below 500, 4xx included. */
  billed: boolean;
  vin?: string;
  siteId?: string;
}

export interface BillingReport {
  counts: Record<BillingCategory, number>;
  /** data $0.002, command $0.001, wake $0.02, signal $1/150000 each; not rounded. */
  usd: number;
  /** The billed requests, in order. */
  entries: SimRequest[];
}

/** An injected failure or delay for the requests it matches (every given field must match). */
export interface FaultRule {
  method?: string;
  /** Substring of the path, or a regular expression written as "/.../" (flags after the last slash). */
  path?: string;
  vin?: string;
  /** Matches the token endpoint's form field grant_type (authorization_code, refresh_token, client_credentials). */
  grantType?: string;
  /** HTTP status to answer with; 0 = answer normally, only later (delayMs and/or replyDelayMs). */
  status: number;
  /** Default: Tesla's body for that status; a string is sent as plain text. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Simulated ms to wait (on the injected clock) before handling the request. */
  delayMs?: number;
  /**
   * Simulated ms to hold the answer after the request has taken effect, as a slow network does on
   * the way back: a refresh has already rotated the token while its answer is still travelling.
   */
  replyDelayMs?: number;
  /** How many matching requests the rule applies to; default 1; Infinity allowed. */
  times?: number;
}
