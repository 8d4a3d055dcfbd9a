import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TokenEndpointResponse } from 'openid-client';
import { toTokenSet } from '../../src/auth/token-exchange.js';
import { SystemClock } from '../../src/core/clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { Simulator } from '../../src/simulator/index.js';
import { openTokenStore } from '../../src/storage/token-store.js';
import { runCli } from '../support/cli.js';
import { simulatorTeslaLines } from '../support/tesla-world.js';
import { tempDir } from '../support/tmp.js';
import { DOMAIN, newFleetKey, registerPartner, writeKeyFiles } from './sim-fleet.js';

const MODERN = '5YJ3E1EA0PF000001';
const UNPAIRED = '5YJ3E1EA1PF000003';

describe('teslahub telemetry configure|status|remove (spawned CLI against the simulator)', () => {
  let sim: Simulator;
  let dir: string;
  let cleanup: () => Promise<void>;

  before(async () => {
    ({ dir, cleanup } = await tempDir('teslahub-cli-telemetry-'));
    const key = newFleetKey();
    sim = new Simulator({
      clock: new SystemClock(),
      fetchPublicKey: async (domain) => (domain === DOMAIN ? key.publicPem : undefined),
      scenario: { vehicles: [{ vin: MODERN }, { vin: UNPAIRED, keyPaired: false }] },
    });
    await sim.start();
    await writeKeyFiles(dir, key);
    await writeFile(
      join(dir, 'config.yaml'),
      [
        ...simulatorTeslaLines(sim),
        `  domain: ${DOMAIN}`,
        'telemetry:',
        '  enabled: true',
        '  source: mqtt',
        '  hostname: telemetry.example.com',
        '  ca: telemetry-ca.pem',
        '',
      ].join('\n'),
    );
    const clock = new SystemClock();
    const store = await openTokenStore(join(dir, 'data'), new Logger({ level: 'error', format: 'pretty', sink: new MemorySink(), clock }), clock);
    await store.replace({ version: 1, account: toTokenSet(sim.issueTokens() as unknown as TokenEndpointResponse, clock.now()), login_required: null });
    await registerPartner(sim);
  });
  after(async () => {
    await sim.stop();
    await cleanup();
  });

  it('configures every car in use and explains the one that cannot stream (exit 1)', async () => {
    const run = await runCli(['telemetry', 'configure'], { cwd: dir });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`^${MODERN}  pending +the car has not picked up the configuration yet`, 'm'));
    assert.match(run.stdout, new RegExp(`^${UNPAIRED}  PROBLEM +the car does not have teslahub's virtual key`, 'm'));
    assert.match(run.stdout, /fix: +open https:\/\/tesla\.com\/_ak\/teslahub\.example\.com on the phone/);
    assert.match(run.stdout, /A car takes the configuration the next time it is awake/);
  });

  it('configures one car (exit 0), shows its state, and removes it', async () => {
    const configure = await runCli(['telemetry', 'configure', MODERN.toLowerCase()], { cwd: dir });
    assert.equal(configure.code, 0, configure.stdout + configure.stderr);
    const status = await runCli(['telemetry', 'status', MODERN], { cwd: dir });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /synced: no, key paired: yes, valid until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    assert.match(status.stdout, /stream: nothing received yet/);
    // What the daemon saved about the car's stream: connected now, the last message and its age.
    const lastAt = Date.now() - 42_000;
    await writeFile(
      join(dir, 'data', 'devices.json'),
      JSON.stringify({
        version: 1,
        vehicles: {
          [MODERN]: {
            kind: 'vehicle',
            vin: MODERN,
            summary: {},
            connection: 'online',
            stream: { mode: 'stream', reason: 'values arrive from the car', since: lastAt, link: 'connected', lastAt, at: {} },
          },
        },
        sites: {},
        wallConnectors: {},
      }),
    );
    const streaming = await runCli(['telemetry', 'status', MODERN], { cwd: dir });
    assert.match(streaming.stdout, /stream: connected now, last message \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \(4\d s ago\)/);
    const remove = await runCli(['telemetry', 'remove', MODERN], { cwd: dir });
    assert.equal(remove.code, 0, remove.stdout + remove.stderr);
    assert.match(remove.stdout, /streaming configuration removed; teslahub polls this car again/);
    const saved = JSON.parse(await readFile(join(dir, 'data', 'telemetry.json'), 'utf8')) as { removed: string[] };
    assert.deepEqual(saved.removed, [MODERN], 'the daemon will not push it again');
    const after = await runCli(['telemetry', 'status', MODERN], { cwd: dir });
    assert.match(after.stdout, /no streaming configuration from teslahub/);
  });

  it('refuses what it cannot do, with the fix', async () => {
    const bad = await runCli(['telemetry', 'status', 'NOT-A-VIN'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not a VIN: NOT-A-VIN/);
    const unknown = await runCli(['telemetry', 'enable'], { cwd: dir });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /use "teslahub telemetry configure", "status" or "remove"/);
    await writeFile(
      join(dir, 'no-host.yaml'),
      [...simulatorTeslaLines(sim), `  domain: ${DOMAIN}`, 'telemetry:', '  enabled: true', '  source: mqtt', ''].join('\n'),
    );
    const unset = await runCli(['telemetry', 'configure', MODERN, '--config', 'no-host.yaml'], { cwd: dir });
    assert.equal(unset.code, 1);
    assert.match(unset.stderr, /telemetry\.hostname is not set/);
  });
});
