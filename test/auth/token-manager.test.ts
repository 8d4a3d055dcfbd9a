import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import type { TokenRefresher } from '../../src/auth/refresher.js';
import type { GrantOutcome } from '../../src/auth/token-exchange.js';
import { TokenManager } from '../../src/auth/token-manager.js';
import type { DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { NoAccessToken } from '../../src/fleet/token-source.js';
import type { JsonStore } from '../../src/storage/json-store.js';
import { openTokenStore, type TokenFile, type TokenSet } from '../../src/storage/token-store.js';
import { tempDir } from '../support/tmp.js';

const HOUR = 3_600_000;

function tokenSet(n: number, now: number, lifetimeMs = 8 * HOUR): TokenSet {
  return {
    access_token: `access-${n}`,
    refresh_token: `refresh-${n}`,
    expires_at: now + lifetimeMs,
    obtained_at: now,
    scopes: ['openid'],
    sub: 'user-1',
    ou_code: 'NA',
  };
}

/** Like Tesla: each refresh token works once; the refresher saves before answering. */
class ScriptedRefresher implements TokenRefresher {
  calls: string[] = [];
  next: 'ok' | 'login_required' | 'failed' = 'ok';
  delayMs = 200;
  private issued = 1;
  private readonly store: JsonStore<TokenFile>;
  private readonly clock: FakeClock;
  constructor(store: JsonStore<TokenFile>, clock: FakeClock) {
    this.store = store;
    this.clock = clock;
  }
  async refresh(refreshToken: string): Promise<GrantOutcome> {
    this.calls.push(refreshToken);
    await this.clock.sleep(this.delayMs);
    if (this.next === 'login_required') return { kind: 'login_required', message: 'refresh token already used' };
    if (this.next === 'failed') return { kind: 'failed', message: 'Tesla is down' };
    const tokens = tokenSet(++this.issued, this.clock.now());
    await this.store.replace({ version: 1, account: tokens, login_required: null });
    return { kind: 'ok', tokens };
  }
}

/** Advances fake time in steps, letting real I/O (the token file) finish between steps. */
async function tick(clock: FakeClock, ms: number, stepMs = 250): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    await clock.advance(Math.min(stepMs, ms - done));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Awaits a promise that needs fake time to pass. */
async function settle<T>(clock: FakeClock, promise: Promise<T>): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 200 && !done; i++) await tick(clock, 100, 100);
  return promise;
}

let dir: string;
const cleanups: (() => Promise<void>)[] = [];

async function setup(options: { loggedIn?: boolean; lifetimeMs?: number } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 8));
  const sink = new MemorySink();
  const log = new Logger({ level: 'debug', format: 'pretty', sink, clock });
  const store = await openTokenStore(dir, log, clock);
  if (options.loggedIn !== false) await store.replace({ version: 1, account: tokenSet(1, clock.now(), options.lifetimeMs), login_required: null });
  const refresher = new ScriptedRefresher(store, clock);
  const events: string[] = [];
  const bus = new EventBus<DaemonEvents>(() => undefined);
  bus.on({}, 'auth.tokens', (e) => void events.push(`tokens:${e.via}`));
  bus.on({}, 'auth.login_required', () => void events.push('login_required'));
  const secrets: string[] = [];
  const manager = new TokenManager({ store, refresher, dataDir: dir, clock, log, bus, addSecret: (s) => void secrets.push(s), loginHint: 'log in' });
  return { clock, store, refresher, manager, events, secrets, sink, log };
}

describe('TokenManager', () => {
  beforeEach(async () => {
    const made = await tempDir();
    dir = join(made.dir, 'data');
    cleanups.push(made.cleanup);
  });
  after(() => Promise.all(cleanups.map((c) => c())));

  it('hands out the stored token while it is fresh, without refreshing', async () => {
    const { manager, refresher } = await setup();
    await manager.start();
    assert.equal(await manager.accessToken(), 'access-1');
    assert.deepEqual(refresher.calls, []);
    await manager.stop();
  });

  it('makes 100 concurrent callers across an expiring token share exactly one refresh', async () => {
    const { manager, refresher, clock } = await setup();
    await manager.start();
    await manager.stop(); // no timer: this test is about on-demand refresh
    await clock.advance(7 * HOUR);
    const callers = Array.from({ length: 100 }, () => manager.accessToken());
    const tokens = await settle(clock, Promise.all(callers));
    assert.deepEqual(refresher.calls, ['refresh-1']);
    assert.ok(tokens.every((token) => token === 'access-2'));
  });

  it('refreshes on its own timer ahead of expiry (at 75 % of the lifetime)', async () => {
    const { manager, refresher, clock, events } = await setup();
    await manager.start();
    await clock.advance(6 * HOUR - 1_000);
    assert.deepEqual(refresher.calls, []);
    await tick(clock, 2_000);
    await manager.settled();
    assert.deepEqual(refresher.calls, ['refresh-1']);
    assert.deepEqual(events, ['tokens:refresh']);
    await clock.advance(6 * HOUR - 2_000);
    await tick(clock, 2_000);
    await manager.settled();
    assert.deepEqual(refresher.calls, ['refresh-1', 'refresh-2'], 'and again for the next token');
    await manager.stop();
  });

  it('forces one refresh after a 401 for the current token, and ignores a 401 for an old one', async () => {
    const { manager, refresher, clock } = await setup();
    await manager.start();
    manager.rejected('access-0');
    const same = manager.accessToken();
    assert.equal(await same, 'access-1');
    manager.rejected('access-1');
    assert.equal(await settle(clock, manager.accessToken()), 'access-2');
    assert.deepEqual(refresher.calls, ['refresh-1']);
    await manager.stop();
  });

  it('enters a clear "log in again" state when Tesla refuses the refresh token, without retrying', async () => {
    const { manager, refresher, clock, events, store, sink } = await setup();
    await manager.start();
    refresher.next = 'login_required';
    await clock.advance(6 * HOUR - 1_000);
    await tick(clock, 2_000);
    await manager.settled();
    assert.equal(manager.state().kind, 'login_required');
    assert.deepEqual(events, ['login_required']);
    assert.notEqual(store.data.login_required, null, 'persisted, so a restart stays in that state');
    await assert.rejects(manager.accessToken(), (error: unknown) => error instanceof NoAccessToken && error.reason === 'login_required');
    await clock.advance(24 * HOUR);
    assert.equal(refresher.calls.length, 1, 'no retry storm');
    assert.match(sink.text, /ERROR .*log in again.*fix: log in/);
    await manager.stop();
  });

  it('keeps using a still-valid token when a refresh fails, retries with backoff, and recovers', async () => {
    const { manager, refresher, clock } = await setup();
    await manager.start();
    refresher.next = 'failed';
    await clock.advance(6 * HOUR - 1_000);
    await tick(clock, 2_000);
    await manager.settled();
    assert.equal(refresher.calls.length, 1);
    // The token has two hours left: callers keep getting it while refreshes are retried.
    assert.equal(await settle(clock, manager.accessToken()), 'access-1');
    refresher.next = 'ok';
    await clock.advance(15 * 60_000);
    await tick(clock, 2_000);
    await manager.settled();
    assert.equal(manager.state().kind, 'ok');
    assert.equal(await settle(clock, manager.accessToken()), 'access-2');
    assert.equal(manager.refreshProblem, undefined);
    await manager.stop();
  });

  it('adopts a login: saves before use, clears a login-required state, registers the tokens as secrets', async () => {
    const { manager, store, clock, events, secrets } = await setup({ loggedIn: false });
    await manager.start();
    await assert.rejects(manager.accessToken(), (error: unknown) => error instanceof NoAccessToken && error.reason === 'logged_out');
    await store.update((data) => void (data.login_required = { since: 0, reason: 'old' }));
    await manager.adopt(tokenSet(9, clock.now()));
    assert.equal(store.data.account?.access_token, 'access-9');
    assert.equal(store.data.login_required, null);
    assert.equal(await manager.accessToken(), 'access-9');
    assert.deepEqual(events, ['tokens:login']);
    assert.ok(secrets.includes('access-9') && secrets.includes('refresh-9'));
    await manager.stop();
  });
});
