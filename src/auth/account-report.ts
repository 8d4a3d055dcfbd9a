import { checkScopes } from './scopes.js';
import type { TokenManager } from './token-manager.js';

export type AccountReport =
  | { state: 'connected'; token_expires_at: string; scopes: readonly string[]; missing_scopes: readonly string[] }
  | { state: 'login_required'; reason: string }
  | { state: 'logged_out' };

/** The account as `bridge/info` and `/api/status` report it: connected (with its scopes), needing a login, or none. */
export function accountReport(tokens: TokenManager, wantedScopes: readonly string[]): AccountReport {
  const state = tokens.state();
  switch (state.kind) {
    case 'ok':
      return {
        state: 'connected',
        token_expires_at: new Date(state.expiresAt).toISOString(),
        scopes: state.scopes,
        missing_scopes: checkScopes(wantedScopes, state.scopes).missing,
      };
    case 'login_required':
      return { state: 'login_required', reason: state.reason };
    case 'logged_out':
      return { state: 'logged_out' };
  }
}
