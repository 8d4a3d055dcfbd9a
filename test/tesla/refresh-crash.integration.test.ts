import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SystemClock } from '../../src/core/clock.js';
import { Simulator } from '../../src/simulator/index.js';
import type { TokenFile } from '../../src/storage/token-store.js';
import { CliProcess } from '../support/cli.js';
import { waitUntil } from '../support/net.js';
import { connectAccount, findSecrets } from '../support/oauth.js';
import { DEMO_CLIENT_SECRET, FREE_PORT_LINES, simulatorTeslaLines } from '../support/tesla-world.js';
import { tempDir } from '../support/tmp.js';

const LANES = 2;
const ROUNDS_PER_LANE = 26;
/** Tokens live 4 s, so the daemon refreshes every 2 s and kills land in every phase of it. */
const TOKEN_LIFETIME_S = 4;
/** A realistic round trip to Tesla's token endpoint. */
const REPLY_LATENCY_MS = 300;

interface Lane {
  sim: Simulator;
  dir: string;
  output: string[];
  secrets: Set<string>;
}

async function startDaemon(lane: Lane): Promise<{ daemon: CliProcess; port: string }> {
  const daemon = new CliProcess(['run'], { cwd: lane.dir });
  try {
    const [, port] = await daemon.waitForOutput(/web interface on http:\/\/127\.0\.0\.1:(\d+)/, 45_000);
    await daemon.waitForOutput(/running; stop with/, 45_000);
    return { daemon, port: port ?? '' };
  } catch (error) {
    await daemon.dispose();
    throw error;
  }
}

function tokenRequests(lane: Lane): string {
  return lane.sim
    .requests()
    .filter((r) => r.path === '/oauth2/v3/token')
    .slice(-6)
    .map((r) => `${r.grantType} ${r.status}`)
    .join(', ');
}

async function readTokens(lane: Lane): Promise<TokenFile> {
  return JSON.parse(await readFile(join(lane.dir, 'data', 'tokens.json'), 'utf8')) as TokenFile;
}

describe('token refresh survives SIGKILL at any moment', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  // About 100 s here; a slower machine must not turn it into a timeout.
  it(`restarts logged in after ${LANES * ROUNDS_PER_LANE} kills around refreshes, never burning a refresh token`, { timeout: 360_000 }, async () => {
    const lanes = await Promise.all(
      Array.from({ length: LANES }, async (): Promise<Lane> => {
        const sim = new Simulator({ clock: new SystemClock(), accessTokenLifetimeSeconds: TOKEN_LIFETIME_S, rateLimits: false });
        await sim.start();
        // Over the internet Tesla's answer takes a while to come back, and the old refresh token is
        // already dead by then: the window in which a killed daemon would lose its login.
        sim.addFault({ path: '/oauth2/v3/token', grantType: 'refresh_token', status: 0, replyDelayMs: REPLY_LATENCY_MS, times: Infinity });
        const { dir, cleanup } = await tempDir('teslahub-refresh-crash-');
        cleanups.push(async () => {
          await sim.stop();
          await cleanup();
        });
        await writeFile(join(dir, 'config.yaml'), ['log_level: debug', ...simulatorTeslaLines(sim), ...FREE_PORT_LINES, ''].join('\n'));
        return { sim, dir, output: [], secrets: new Set([DEMO_CLIENT_SECRET]) };
      }),
    );

    await Promise.all(
      lanes.map(async (lane) => {
        let { daemon, port } = await startDaemon(lane);
        // Whatever happens, no daemon of this test outlives it.
        cleanups.unshift(() => daemon.dispose());
        await connectAccount(`http://127.0.0.1:${port}`);
        for (let round = 0; round < ROUNDS_PER_LANE; round++) {
          const tokens = await readTokens(lane);
          if (tokens.account) {
            lane.secrets.add(tokens.account.access_token);
            lane.secrets.add(tokens.account.refresh_token);
          }
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 3_000));
          daemon.kill('SIGKILL');
          await daemon.wait();
          lane.output.push(daemon.output);
          ({ daemon } = await startDaemon(lane));
        }
        // Let the last daemon refresh a few times: a burned token would fail here at the latest.
        const refreshesBefore = lane.sim.requests().filter((r) => r.grantType === 'refresh_token' && r.status === 200).length;
        const refreshing = await waitUntil(
          () => lane.sim.requests().filter((r) => r.grantType === 'refresh_token' && r.status === 200).length >= refreshesBefore + 2,
          45_000,
        );
        assert.ok(
          refreshing,
          `the daemon kept refreshing after the last restart; the killed one's log ends:\n${(lane.output.at(-1) ?? '').slice(-3000)}\nthe last one's log ends:\n${daemon.output.slice(-4000)}\ntoken requests: ${tokenRequests(lane)}`,
        );
        daemon.kill('SIGTERM');
        assert.equal((await daemon.wait()).code, 0);
        lane.output.push(daemon.output);
      }),
    );

    for (const lane of lanes) {
      const tokenCalls = lane.sim.requests().filter((r) => r.path === '/oauth2/v3/token');
      const refused = tokenCalls.filter((r) => r.status !== 200);
      assert.deepEqual(
        refused.map((r) => `${r.grantType} ${r.status}`),
        [],
        'Tesla never refused a refresh token: none was lost or reused',
      );
      const tokens = await readTokens(lane);
      assert.equal(tokens.login_required, null);
      assert.ok(tokens.account);
      const refreshes = tokenCalls.filter((r) => r.grantType === 'refresh_token').length;
      assert.ok(refreshes >= ROUNDS_PER_LANE / 2, `only ${refreshes} refreshes happened: the kills did not land around refreshes`);
      assert.deepEqual(findSecrets(lane.output.join('\n'), lane.secrets), [], 'no token or secret in the daemon output');
    }
  });
});
