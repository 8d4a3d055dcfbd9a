import * as oidc from 'openid-client';
import type { Clock } from '../core/clock.js';
import type { OAuthClient } from './oauth-client.js';
import { UserError } from '../core/errors.js';
import type { TokenSet } from '../storage/token-store.js';
import { grantFailure, toTokenSet } from './token-exchange.js';

interface Pending {
  verifier: string;
  created: number;
}

export interface LoginFlowOptions {
  oauth: OAuthClient;
  /** Read when needed: the web server's port may only be known once it listens. */
  redirectUri: () => string;
  scopes: readonly string[];
  /** The Fleet API base URL the tokens are for (Tesla's `audience`). */
  audience: () => string;
  clock: Clock;
}

const PENDING_TTL_MS = 15 * 60_000;
const MAX_PENDING = 20;

/**
 * The authorization-code flow with PKCE (S256) and a random state: `begin()` gives the URL to
 * send the browser to, `complete()` takes the URL Tesla redirected back to and returns tokens.
 */
export class LoginFlow {
  private readonly pending = new Map<string, Pending>();
  private readonly options: LoginFlowOptions;

  constructor(options: LoginFlowOptions) {
    this.options = options;
  }

  async begin(): Promise<URL> {
    this.expire();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    this.pending.set(state, { verifier, created: this.options.clock.now() });
    return oidc.buildAuthorizationUrl(this.options.oauth.configuration(), {
      redirect_uri: this.options.redirectUri(),
      scope: this.options.scopes.join(' '),
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      // Ask again for scopes the account has not granted yet.
      prompt_missing_scopes: 'true',
      audience: this.options.audience(),
    });
  }

  /**
   * Finishes a login from the query Tesla appended to the redirect URI. The URL is rebuilt on the
   * configured redirect URI, because Tesla compares it with the one the flow started with.
   */
  async complete(query: URLSearchParams): Promise<TokenSet> {
    const error = query.get('error');
    if (error) {
      const description = query.get('error_description');
      throw new UserError(
        `Tesla did not grant access: ${error}${description ? ` (${description})` : ''}`,
        error === 'access_denied' ? 'start the login again and allow access' : 'start the login again',
      );
    }
    const state = query.get('state') ?? '';
    const pending = this.pending.get(state);
    this.expire();
    if (!pending || !this.pending.has(state)) {
      throw new UserError('this login link has expired or was already used', 'start the login again from the beginning');
    }
    this.pending.delete(state);
    const callback = new URL(this.options.redirectUri());
    callback.search = query.toString();
    try {
      const response = await oidc.authorizationCodeGrant(
        this.options.oauth.configuration(),
        callback,
        { pkceCodeVerifier: pending.verifier, expectedState: state },
        { audience: this.options.audience() },
      );
      return toTokenSet(response, this.options.clock.now());
    } catch (cause) {
      const failure = grantFailure(cause);
      throw new UserError(`the login could not be completed: ${failure.message}`, 'fix' in failure && failure.fix ? failure.fix : 'start the login again', {
        cause,
      });
    }
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private expire(): void {
    const cutoff = this.options.clock.now() - PENDING_TTL_MS;
    for (const [state, entry] of this.pending) if (entry.created < cutoff) this.pending.delete(state);
    while (this.pending.size > MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
  }
}
