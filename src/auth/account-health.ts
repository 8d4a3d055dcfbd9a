import type { Clock } from '../core/clock.js';
import type { HealthRegistry } from '../core/health.js';
import { type AuthSetup, LOGIN_HINT } from './setup.js';

/** The `account` health check: is a Tesla account connected, and can its token still be refreshed. */
export function registerAccountHealth(health: HealthRegistry, auth: AuthSetup, clock: Clock): void {
  health.register('account', () => {
    const state = auth.tokens.state();
    switch (state.kind) {
      case 'ok':
        return auth.tokens.refreshProblem && clock.now() >= state.expiresAt
          ? { ok: false, reason: `the Tesla token expired and cannot be refreshed: ${auth.tokens.refreshProblem}` }
          : { ok: true, reason: `Tesla account connected; token valid until ${new Date(state.expiresAt).toISOString()}` };
      case 'login_required':
        return { ok: false, reason: `Tesla needs a new login: ${state.reason}`, fix: LOGIN_HINT };
      case 'logged_out':
        return auth.settings
          ? { ok: false, reason: 'no Tesla account is connected', fix: LOGIN_HINT }
          : {
              ok: false,
              reason: 'the Tesla app is not configured',
              fix: 'set tesla.client_id and tesla.client_secret in config.yaml, then connect the account',
            };
    }
  });
}
