/**
 * The closed set of ways a Fleet API call can fail. Callers switch over `kind` exhaustively;
 * every error carries a message fit for a log line and, where the user can act, a fix.
 */
export type FleetError =
  | { kind: 'asleep'; message: string }
  | { kind: 'rateLimited'; retryAfterS: number | undefined; message: string }
  | { kind: 'unauthorized'; reason: 'expired' | 'invalid' | 'login_required' | 'mobile_access_disabled' | 'logged_out'; message: string; fix?: string }
  | { kind: 'missingScopes'; message: string; fix: string }
  | { kind: 'notRegistered'; baseUrl: string; message: string; fix: string }
  | { kind: 'wrongRegion'; baseUrl: string; message: string }
  | { kind: 'notFound'; message: string }
  /** The car refuses unsigned (REST) commands: switch to the Vehicle Command Protocol. */
  | { kind: 'signingRequired'; message: string }
  /** A command may have reached the car although no answer came: never retry it blindly. */
  | { kind: 'possibleSuccess'; message: string }
  | { kind: 'transient'; status: number | undefined; message: string }
  | { kind: 'permanent'; status: number; message: string; fix?: string };

export type FleetErrorKind = FleetError['kind'];

export type FleetResult<T> = { ok: true; value: T; status: number } | { ok: false; error: FleetError };

/** One line: what happened, and the fix when there is one. */
export function describeFleetError(error: FleetError): string {
  const fix = 'fix' in error && error.fix ? ` (fix: ${error.fix})` : '';
  return `${error.message}${fix}`;
}
