import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPublicKeyPem, writeKeyPair } from '../../src/signing/keys.js';
import { SESSIONS_FILE } from '../../src/signing/session-store.js';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { startEntityWorld, type EntityWorld } from '../support/entity-world.js';
import { waitUntil } from '../support/net.js';
import { tempDir } from '../support/tmp.js';

/**
 * End to end: MQTT `/set` on a real Mosquitto → the daemon → signed_command over HTTP → the
 * simulated car verifies and acts → the new state comes back on MQTT. The car requires signed
 * commands (REST answers 403), and its keychain holds the daemon's key.
 */

const V = `teslahub/vehicle/${DEMO_VIN}`;
const DOMAIN = 'teslahub.example.com';

interface Result {
  type: string;
  entity: string;
  ok: boolean;
  error?: string;
}

describe('signed commands end to end (real Mosquitto, simulator car that requires signing)', () => {
  let w: EntityWorld;
  let keys: { dir: string; cleanup: () => Promise<void> };
  let publicPem: string;

  before(async () => {
    keys = await tempDir('teslahub-keys-');
    const keyPath = join(keys.dir, 'private-key.pem');
    await writeKeyPair(keyPath, false);
    publicPem = await loadPublicKeyPem(keyPath);
    w = await startEntityWorld({ teslaLines: [`  private_key: ${keyPath}`, `  domain: ${DOMAIN}`] });
    w.world.sim.world.patchVehicle(DEMO_VIN, { asleep: false, userPresent: true, commandSigning: 'required', pairKey: publicPem });
    w.world.daemon.bus.emit('device.refresh', { kind: 'vehicle', id: DEMO_VIN, reason: 'test' });
    assert.ok(await waitUntil(() => w.probe.last(`${V}/charge_limit`)?.payload === '80', 15_000), 'the car is on MQTT');
  });
  after(async () => {
    await w.close();
    await keys.cleanup();
  });

  const car = () => w.world.sim.world.requireVehicle(DEMO_VIN).state;

  async function command(entity: string, payload: string): Promise<{ result: Result; paths: string[] }> {
    const mark = w.probe.mark;
    const before = w.world.sim.requests().length;
    await w.probe.publish(`${V}/${entity}/set`, payload);
    const results = (): Result[] =>
      w.probe.messages
        .slice(mark)
        .filter((m) => m.topic === 'teslahub/bridge/event')
        .map((m) => JSON.parse(m.payload) as Result)
        .filter((e) => e.type === 'command_result');
    assert.ok(await waitUntil(() => results().length > 0, 15_000), `no command_result for ${entity}`);
    const paths = w.world.sim
      .requests()
      .slice(before)
      .filter((r) => r.method === 'POST')
      .map((r) => r.path.replace(`/na/api/1/vehicles/${DEMO_VIN}/`, ''));
    return { result: results()[0] as Result, paths };
  }

  it('sets the charge limit: handshake + signed command, the car changes, MQTT shows it; the next command is one request', async () => {
    const first = await command('charge_limit', '90');
    assert.equal(first.result.ok, true, first.result.error);
    assert.deepEqual(first.paths, ['signed_command', 'signed_command'], 'Infotainment handshake, then the command; no REST');
    assert.equal(car().chargeLimit, 90);
    assert.ok(await waitUntil(() => w.probe.last(`${V}/charge_limit`)?.payload === '90', 5_000), 'MQTT shows 90');

    const second = await command('charge_limit', '75');
    assert.equal(second.result.ok, true, second.result.error);
    assert.deepEqual(second.paths, ['signed_command']);
    assert.equal(car().chargeLimit, 75);
    assert.ok(await waitUntil(() => w.probe.last(`${V}/charge_limit`)?.payload === '75', 5_000));
    assert.equal(w.world.daemon.vehicleCommands.store.transport(DEMO_VIN)?.mode, 'signed');
  });

  it('locks through the vehicle-security domain, with its own session', async () => {
    w.world.sim.world.patchVehicle(DEMO_VIN, { locked: false });
    const result = await command('lock', 'LOCK');
    assert.equal(result.result.ok, true, result.result.error);
    assert.deepEqual(result.paths, ['signed_command', 'signed_command']);
    assert.equal(car().locked, true);
    assert.ok(await waitUntil(() => w.probe.last(`${V}/lock`)?.payload === 'LOCKED', 5_000));
    await w.world.daemon.vehicleCommands.store.flush();
    assert.equal((await stat(join(w.world.dataDir, SESSIONS_FILE))).mode & 0o777, 0o600);
  });

  it('recovers when the car restarted (sessions lost): fault, fresh session info, sent again, carried out once', async () => {
    w.world.sim.world.patchVehicle(DEMO_VIN, { restartSigning: 'both' });
    const result = await command('sentry_mode', 'ON');
    assert.equal(result.result.ok, true, result.result.error);
    assert.deepEqual(result.paths, ['signed_command', 'signed_command']);
    assert.equal(car().sentry, true);
  });

  it('a car that was on REST and now requires signing: 403 switches it, the command still goes through', async () => {
    w.world.daemon.vehicleCommands.store.setTransport(DEMO_VIN, 'rest', 'test: the car took REST before an update');
    const result = await command('sentry_mode', 'OFF');
    assert.equal(result.result.ok, true, result.result.error);
    assert.deepEqual(result.paths, ['command/set_sentry_mode', 'signed_command']);
    assert.equal(car().sentry, false);
    assert.equal(w.world.daemon.vehicleCommands.store.transport(DEMO_VIN)?.mode, 'signed');
  });

  it('a car without the protocol: 422 switches it to REST', async () => {
    w.world.sim.world.patchVehicle(DEMO_VIN, { commandSigning: 'off' });
    try {
      const result = await command('charge_limit', '70');
      assert.equal(result.result.ok, true, result.result.error);
      assert.deepEqual(result.paths, ['signed_command', 'command/set_charge_limit']);
      assert.equal(car().chargeLimit, 70);
      assert.equal(w.world.daemon.vehicleCommands.store.transport(DEMO_VIN)?.mode, 'rest');
    } finally {
      w.world.sim.world.patchVehicle(DEMO_VIN, { commandSigning: 'required' });
      w.world.daemon.vehicleCommands.store.setTransport(DEMO_VIN, 'signed', 'test');
    }
  });

  it('a key the car does not have: the result, the log, /healthz and bridge/info give the pairing link; no retry storm', async () => {
    w.world.sim.world.patchVehicle(DEMO_VIN, { unpairKey: publicPem, locked: false });
    const result = await command('lock', 'LOCK');
    assert.equal(result.result.ok, false);
    assert.match(result.result.error ?? '', /not paired/);
    assert.match(result.result.error ?? '', new RegExp(`https://tesla\\.com/_ak/${DOMAIN.replace(/\./g, '\\.')}`));
    assert.deepEqual(result.paths, ['signed_command'], 'one request, no retries');
    assert.equal(car().locked, false, 'the car did not act');
    const again = await command('lock', 'LOCK');
    assert.equal(again.result.ok, false);
    assert.deepEqual(again.paths, [], 'answered without asking the car again');
    assert.match(w.world.sink.text, /does not know teslahub's key.*https:\/\/tesla\.com\/_ak\/teslahub\.example\.com/);
    const health = (await (await fetch(`${w.world.baseUrl}/healthz`)).json()) as { checks: Record<string, { reason: string; fix?: string }> };
    assert.match(health.checks.vehicle_keys?.reason ?? '', new RegExp(DEMO_VIN));
    assert.match(health.checks.vehicle_keys?.fix ?? '', /https:\/\/tesla\.com\/_ak\/teslahub\.example\.com/);
    assert.ok(
      await waitUntil(() => (w.probe.last('teslahub/bridge/info')?.payload ?? '').includes(`not paired: ${DEMO_VIN}`), 5_000),
      'bridge/info names the car',
    );
    assert.match(w.probe.last('teslahub/bridge/info')?.payload ?? '', /_ak\/teslahub\.example\.com/);
  });
});
