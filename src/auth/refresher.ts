import { spawn } from 'node:child_process';
import { type Clock, SystemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { JsonStore } from '../storage/json-store.js';
import type { TokenFile } from '../storage/token-store.js';
import type { OAuthClient } from './oauth-client.js';
import type { OAuthClientSettings } from './oauth-server.js';
import { removeLock, writeLock } from './refresh-lock.js';
import { type GrantOutcome, refreshGrant } from './token-exchange.js';

/**
 * Exchanges a refresh token for new tokens and has them on disk, durably, before it resolves:
 * Tesla's refresh tokens are single use, so a new pair that is not saved is a lost login.
 */
export interface TokenRefresher {
  refresh(refreshToken: string): Promise<GrantOutcome>;
}

export async function saveRefreshed(store: JsonStore<TokenFile>, outcome: GrantOutcome): Promise<void> {
  if (outcome.kind === 'ok') await store.replace({ version: 1, account: outcome.tokens, login_required: null });
}

/** Refreshes inside this process. */
export class InProcessRefresher implements TokenRefresher {
  private readonly oauth: OAuthClient;
  private readonly store: JsonStore<TokenFile>;
  private readonly clock: Clock;

  constructor(oauth: OAuthClient, store: JsonStore<TokenFile>, clock: Clock) {
    this.oauth = oauth;
    this.store = store;
    this.clock = clock;
  }

  async refresh(refreshToken: string): Promise<GrantOutcome> {
    const outcome = await refreshGrant(this.oauth, refreshToken, () => this.clock.now());
    await saveRefreshed(this.store, outcome);
    return outcome;
  }
}

/** What the worker reads from its stdin. */
export interface RefreshWorkerInput {
  settings: OAuthClientSettings;
  refreshToken: string;
  /**
   * The daemon's clock minus the machine's when it started the worker (0 in production): the
   * worker keeps the daemon's time, so token expiry and ID token checks agree with the daemon's.
   */
  clockOffsetMs: number;
}

/**
 * Refreshes in a detached child process that saves the new tokens itself. If the daemon dies
 * while Tesla's answer is on its way (after Tesla has already retired the old refresh token),
 * the worker still writes the new pair, and the next start waits for it (refresh-lock.ts).
 */
export class DetachedRefresher implements TokenRefresher {
  private readonly command: readonly string[];
  private readonly settings: OAuthClientSettings;
  private readonly dataDir: string;
  private readonly store: JsonStore<TokenFile>;
  private readonly clock: Clock;
  private readonly machine: Pick<Clock, 'now'>;
  private readonly log: Logger;

  constructor(options: {
    /** How to run `teslahub __refresh-tokens`: [node, bin/teslahub.js]. */
    command: readonly string[];
    settings: OAuthClientSettings;
    dataDir: string;
    store: JsonStore<TokenFile>;
    clock: Clock;
    log: Logger;
    /** The machine's clock, which the worker starts from; only tests pass another. */
    machine?: Pick<Clock, 'now'>;
  }) {
    this.command = options.command;
    this.settings = options.settings;
    this.dataDir = options.dataDir;
    this.store = options.store;
    this.clock = options.clock;
    this.machine = options.machine ?? new SystemClock();
    this.log = options.log;
  }

  async refresh(refreshToken: string): Promise<GrantOutcome> {
    // The lock goes down before the worker exists, so no moment is left in which a restarted
    // daemon could miss a refresh in flight.
    await writeLock(this.dataDir, { pid: null, started: this.clock.now() });
    const [executable, ...args] = this.command;
    if (!executable) throw new Error('no command to start the token refresh worker');
    // The data folder is no secret and goes on the command line, so the worker can claim and
    // release the lock even when its input never arrives; the secrets go through stdin.
    const child = spawn(executable, [...args, '__refresh-tokens', this.dataDir], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const input: RefreshWorkerInput = { settings: this.settings, refreshToken, clockOffsetMs: this.clock.now() - this.machine.now() };
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(input));
    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(null));
      child.once('exit', (code) => resolve(code));
    });
    const line = stdout.trim().split('\n').at(-1) ?? '';
    let outcome: GrantOutcome;
    try {
      outcome = JSON.parse(line) as GrantOutcome;
    } catch {
      removeLock(this.dataDir);
      this.log.error('token refresh worker failed', { exitCode, stderr: stderr.slice(-500) });
      return { kind: 'failed', message: `token refresh worker exited with code ${String(exitCode)}` };
    }
    await this.store.reload();
    return outcome;
  }
}
