import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { oauthServer } from '../../src/auth/oauth-server.js';
import type { RefreshWorkerInput } from '../../src/auth/refresher.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Simulator } from '../../src/simulator/index.js';
import type { TokenFile } from '../../src/storage/token-store.js';
import { BIN, childEnv } from '../support/cli.js';
import { connectAccount } from '../support/oauth.js';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, startTeslaWorld, type TeslaWorld } from '../support/tesla-world.js';
import { tempDir } from '../support/tmp.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The simulated Tesla's default access and ID token lifetime. */
const LIFETIME_MS = 8 * HOUR;

/**
 * The daemon has one notion of now, its injected clock. These runs put that clock a year away
 * from the machine's on purpose, so any check made against the machine's clock fails them.
 */
describe('one clock: OAuth against the simulator with the daemon a year away from the machine', () => {
  const worlds: TeslaWorld[] = [];
  after(async () => {
    for (const world of worlds) await world.close();
  });

  async function tokens(world: TeslaWorld): Promise<TokenFile | undefined> {
    const file = join(world.dataDir, 'tokens.json');
    return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as TokenFile) : undefined;
  }

  // openid-client refuses an ID token whose exp has passed; behind the machine, every token has.
  for (const [label, offset] of [
    ['a year behind', -365 * DAY],
    ['a year ahead of', 365 * DAY],
  ] as const) {
    it(`logs in with the daemon's clock ${label} the machine's`, async () => {
      const clock = new FakeClock(Date.now() + offset);
      const world = await startTeslaWorld({ clock });
      worlds.push(world);
      const { final } = await connectAccount(world.baseUrl);
      assert.equal(final.status, 200, await final.text());
      const account = (await tokens(world))?.account;
      assert.ok(account, 'tokens saved');
      assert.equal(account.obtained_at, clock.now());
      assert.equal(account.expires_at, clock.now() + LIFETIME_MS);
    });
  }

  it("refuses an ID token that the daemon's clock says has expired, and saves nothing", async () => {
    const simClock = new FakeClock(Date.now() + 365 * DAY);
    // The daemon's clock is ahead of Tesla's by more than the token lifetime.
    const clock = new FakeClock(simClock.now() + LIFETIME_MS + HOUR);
    const world = await startTeslaWorld({ clock, simClock });
    worlds.push(world);
    const { final } = await connectAccount(world.baseUrl);
    const body = await final.text();
    assert.equal(final.status, 400, body);
    assert.match(body, /expiration time/);
    assert.equal((await tokens(world))?.account ?? null, null);
    assert.ok(
      world.sim.requests().some((r) => r.path === '/oauth2/v3/token' && r.status === 200),
      'Tesla answered; the daemon refused its ID token',
    );
  });
});

describe("one clock: the detached token refresh worker keeps the daemon's time", () => {
  it('refreshes against a Tesla a year in the past and stamps the expiry from the time the daemon handed over', async () => {
    const clock = new FakeClock(Date.now() - 365 * DAY);
    const sim = new Simulator({ clock });
    await sim.start();
    const { dir, cleanup } = await tempDir('teslahub-worker-');
    try {
      const refreshToken = String(sim.issueTokens().refresh_token);
      const input: RefreshWorkerInput = {
        settings: { server: oauthServer(sim.authBaseUrl, 'na'), clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET },
        refreshToken,
        clockOffsetMs: clock.now() - Date.now(),
      };
      const run = await runWorker(dir, JSON.stringify(input));
      assert.equal(run.code, 0, run.output);
      const saved = JSON.parse(await readFile(join(dir, 'tokens.json'), 'utf8')) as TokenFile;
      assert.ok(saved.account);
      assert.notEqual(saved.account.refresh_token, refreshToken, 'rotated');
      // The worker's time is the machine's shifted by the offset: the test's seconds, not a year off.
      const drift = saved.account.obtained_at - clock.now();
      assert.ok(drift >= 0 && drift < 60_000, `obtained_at is ${drift} ms after the daemon's now`);
      assert.equal(saved.account.expires_at - saved.account.obtained_at, LIFETIME_MS);
    } finally {
      await cleanup();
      await sim.stop();
    }
  });
});

function runWorker(dataDir: string, stdin: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '__refresh-tokens', dataDir], { env: childEnv() });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the refresh worker did not finish:\n${output}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.stdin.end(stdin);
  });
}
