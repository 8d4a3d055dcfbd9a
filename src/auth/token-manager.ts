import type { Clock, Timer } from '../core/clock.js';
import { Backoff } from '../core/backoff.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import { type AccessTokenSource, NoAccessToken } from '../fleet/token-source.js';
import type { JsonStore } from '../storage/json-store.js';
import type { TokenFile, TokenSet } from '../storage/token-store.js';
import { waitForRefreshWorker } from './refresh-lock.js';
import type { TokenRefresher } from './refresher.js';

export type AuthState =
  | { kind: 'logged_out' }
  | { kind: 'ok'; sub: string | null; expiresAt: number; scopes: string[] }
  | { kind: 'login_required'; since: number; reason: string };

export interface TokenManagerDeps {
  store: JsonStore<TokenFile>;
  /** Undefined when the app's client id/secret are not configured: tokens can then not be refreshed. */
  refresher: TokenRefresher | undefined;
  dataDir: string;
  clock: Clock;
  log: Logger;
  bus: EventBus<DaemonEvents>;
  /** Secrets to hide in logs: every token we hold is registered. */
  addSecret: (secret: string) => void;
  /** Where the user logs in again; for messages. */
  loginHint: string;
}

/** Refresh when less than this share of the token's lifetime is left (TeslaMate refreshes at 75 %). */
const REFRESH_AT_REMAINING = 0.25;
const MIN_MARGIN_MS = 60_000;

/**
 * Owns the account's tokens. Refreshes ahead of expiry (on a timer and on demand), one refresh at
 * a time however many callers wait, with the rotated refresh token saved durably before the new
 * access token is handed out. A 401 forces a refresh once; Tesla refusing the refresh token
 * puts the daemon into a "log in again" state instead of retrying.
 */
export class TokenManager implements AccessTokenSource, Service {
  readonly name = 'tokens';
  private inflight: Promise<void> | undefined;
  private rejectedToken: string | undefined;
  private timer: Timer | undefined;
  private stopped = false;
  private lastFailure: string | undefined;
  private readonly retry = new Backoff({ initialMs: 30_000, maxMs: 15 * 60_000 });
  private readonly deps: TokenManagerDeps;

  constructor(deps: TokenManagerDeps) {
    this.deps = deps;
  }

  async start(): Promise<void> {
    // A refresh worker of a daemon that was killed may still be saving new tokens.
    if (await waitForRefreshWorker(this.deps.dataDir, this.deps.clock)) {
      this.deps.log.info('waited for a token refresh that was in progress when teslahub last stopped');
    }
    await this.deps.store.reload();
    this.registerSecrets();
    const state = this.state();
    if (state.kind === 'ok') this.deps.log.info('Tesla account connected', { expires: new Date(state.expiresAt).toISOString() });
    if (state.kind === 'login_required') this.deps.log.error(`Tesla login needed: ${state.reason} (fix: ${this.deps.loginHint})`);
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    // A refresh in flight finishes (it saves the tokens) but nothing new starts.
    await this.settled();
  }

  state(): AuthState {
    const { account, login_required: required } = this.deps.store.data;
    if (required) return { kind: 'login_required', since: required.since, reason: required.reason };
    if (!account) return { kind: 'logged_out' };
    return { kind: 'ok', sub: account.sub, expiresAt: account.expires_at, scopes: [...account.scopes] };
  }

  /** The last refresh problem, while the current token still works. */
  get refreshProblem(): string | undefined {
    return this.lastFailure;
  }

  async accessToken(): Promise<string> {
    let account = this.current();
    if (this.needsRefresh(account)) {
      await this.refresh();
      account = this.current();
      // A failed refresh leaves the old token; it is fine while it is valid and not rejected.
      if (account.access_token === this.rejectedToken || this.deps.clock.now() >= account.expires_at) {
        throw new NoAccessToken('refresh_failed', `the access token expired and could not be refreshed (${this.lastFailure ?? 'unknown reason'})`);
      }
    }
    return account.access_token;
  }

  rejected(token: string): void {
    if (this.deps.store.data.account?.access_token === token) this.rejectedToken = token;
  }

  /** Saves the tokens of a fresh login (durably, before anything uses them). */
  async adopt(tokens: TokenSet): Promise<void> {
    await this.deps.store.replace({ version: 1, account: tokens, login_required: null });
    this.rejectedToken = undefined;
    this.lastFailure = undefined;
    this.retry.reset();
    this.registerSecrets();
    this.deps.bus.emit('auth.tokens', { sub: tokens.sub, expiresAt: tokens.expires_at, scopes: tokens.scopes, via: 'login' });
    this.schedule();
  }

  /** Resolves once no refresh is in flight. */
  async settled(): Promise<void> {
    await this.inflight?.catch(() => undefined);
  }

  /** Runs a refresh now, or joins the one in flight. */
  refresh(): Promise<void> {
    this.inflight ??= this.runRefresh().finally(() => {
      this.inflight = undefined;
      this.schedule();
    });
    return this.inflight;
  }

  private current(): TokenSet {
    const { account, login_required: required } = this.deps.store.data;
    if (required) throw new NoAccessToken('login_required', `Tesla needs a new login: ${required.reason}`, this.deps.loginHint);
    if (!account) throw new NoAccessToken('logged_out', 'no Tesla account is connected', this.deps.loginHint);
    return account;
  }

  private needsRefresh(account: TokenSet): boolean {
    return account.access_token === this.rejectedToken || this.deps.clock.now() >= this.refreshAt(account);
  }

  private refreshAt(account: TokenSet): number {
    const lifetime = Math.max(0, account.expires_at - account.obtained_at);
    const margin = Math.max(MIN_MARGIN_MS, lifetime * REFRESH_AT_REMAINING);
    return account.expires_at - Math.min(margin, lifetime / 2);
  }

  private async runRefresh(): Promise<void> {
    const { refresher, log, bus } = this.deps;
    const account = this.deps.store.data.account;
    if (!account || this.deps.store.data.login_required) return;
    if (!refresher) {
      this.lastFailure = 'tesla.client_id and tesla.client_secret are not configured';
      return;
    }
    const outcome = await refresher.refresh(account.refresh_token);
    switch (outcome.kind) {
      case 'ok':
        this.rejectedToken = undefined;
        this.lastFailure = undefined;
        this.retry.reset();
        this.registerSecrets();
        log.info('Tesla tokens refreshed', { expires: new Date(outcome.tokens.expires_at).toISOString() });
        bus.emit('auth.tokens', { sub: outcome.tokens.sub, expiresAt: outcome.tokens.expires_at, scopes: outcome.tokens.scopes, via: 'refresh' });
        return;
      case 'login_required': {
        const since = this.deps.clock.now();
        await this.deps.store.update((data) => {
          data.login_required = { since, reason: outcome.message };
        });
        log.error(`${outcome.message}; teslahub cannot reach Tesla until you log in again (fix: ${this.deps.loginHint})`);
        bus.emit('auth.login_required', { reason: outcome.message });
        return;
      }
      case 'failed':
        this.lastFailure = outcome.fix ? `${outcome.message} (fix: ${outcome.fix})` : outcome.message;
        log.warn(`could not refresh the Tesla tokens: ${this.lastFailure}; trying again later`);
        return;
    }
  }

  /** Arms the timer for the next refresh: ahead of expiry, or after a backoff when one failed. */
  private schedule(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.stopped) return;
    const account = this.deps.store.data.account;
    if (!account || this.deps.store.data.login_required) return;
    const now = this.deps.clock.now();
    const at = this.lastFailure ? now + this.retry.next() : this.refreshAt(account);
    this.timer = this.deps.clock.setTimeout(
      () => {
        this.timer = undefined;
        void this.refresh();
      },
      Math.max(0, at - now),
    );
  }

  private registerSecrets(): void {
    const account = this.deps.store.data.account;
    if (!account) return;
    this.deps.addSecret(account.access_token);
    this.deps.addSecret(account.refresh_token);
  }
}
