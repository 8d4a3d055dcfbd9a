import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { VehicleCommandName } from '../../src/model/actions.js';
import { AutoCommandTransport } from '../../src/commands/auto-transport.js';
import { PairingStatus } from '../../src/commands/pairing-status.js';
import { SignedCommandTransport } from '../../src/commands/signed-transport.js';
import type { VehicleCommandTransport } from '../../src/commands/vehicle-transport.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import type { FleetError, FleetResult } from '../../src/fleet/errors.js';
import type { CommandResult } from '../../src/fleet/vehicles.js';
import { VehicleSessionStore } from '../../src/signing/session-store.js';
import type { VcpClient, VcpResult } from '../../src/signing/vcp-client.js';
import { EcdhKey } from '../../src/signing/vcp-crypto.js';
import { tempDir } from '../support/tmp.js';

/** Signed or REST per car by what the car answers, remembered; "not paired" without a retry storm. */

const VIN = '5YJ3E1EA0PF0CHOSE';
const OK: FleetResult<CommandResult> = { ok: true, value: { result: true, reason: '' }, status: 200 };
const VCP_REQUIRED: FleetResult<CommandResult> = {
  ok: false,
  error: { kind: 'signingRequired', message: 'the car only accepts signed commands (Vehicle Command Protocol)' },
};
const NO_PROTOCOL: FleetResult<CommandResult> = { ok: false, error: { kind: 'permanent', status: 422, message: 'vehicle does not support the protocol' } };

class Recorder implements VehicleCommandTransport {
  readonly calls: string[] = [];
  answers: FleetResult<CommandResult>[] = [];
  private readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  async send(_vin: string, command: VehicleCommandName): Promise<FleetResult<CommandResult>> {
    this.calls.push(`${this.name}:${command}`);
    return this.answers.shift() ?? OK;
  }
  /** The signed side takes the translation the transport chose with. */
  async sendTranslated(vin: string, command: VehicleCommandName): Promise<FleetResult<CommandResult>> {
    return this.send(vin, command);
  }
}

describe('choosing signed or REST per car', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: VehicleSessionStore;
  let log: Logger;
  let clock: FakeClock;
  const calls: string[] = [];

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    clock = new FakeClock();
    log = new Logger({ level: 'debug', format: 'pretty', sink: new MemorySink(), clock });
    store = await VehicleSessionStore.open(dir, log, clock);
    calls.length = 0;
  });
  afterEach(async () => {
    await store.flush();
    await cleanup();
  });

  function transport(keyAvailable = true): { auto: AutoCommandTransport; rest: Recorder; signed: Recorder; pairing: PairingStatus } {
    const rest = new Recorder('rest');
    const signed = new Recorder('signed');
    const pairing = new PairingStatus({ clock, log, domain: 'teslahub.example.com' });
    return { auto: new AutoCommandTransport({ rest, signed, store, pairing, keyAvailable: () => keyAvailable, log }), rest, signed, pairing };
  }

  it('tries a car it does not know signed when there is a key, and remembers that it worked', async () => {
    const t = transport();
    assert.deepEqual(await t.auto.send(VIN, 'door_lock', {}), OK);
    assert.deepEqual(await t.auto.send(VIN, 'door_lock', {}), OK);
    assert.deepEqual([...t.signed.calls, ...t.rest.calls], ['signed:door_lock', 'signed:door_lock']);
    assert.equal(store.transport(VIN)?.mode, 'signed');
  });

  it('without a key it starts with REST; "Vehicle Command Protocol required" switches the car to signed for good (persisted)', async () => {
    const t = transport(false);
    t.rest.answers = [VCP_REQUIRED];
    assert.deepEqual(await t.auto.send(VIN, 'set_sentry_mode', { on: true }), OK);
    assert.deepEqual(await t.auto.send(VIN, 'set_sentry_mode', { on: false }), OK);
    assert.deepEqual(t.rest.calls, ['rest:set_sentry_mode']);
    assert.deepEqual(t.signed.calls, ['signed:set_sentry_mode', 'signed:set_sentry_mode']);
    await store.flush();
    const reopened = await VehicleSessionStore.open(dir, log, clock);
    assert.equal(reopened.transport(VIN)?.mode, 'signed');
    assert.match(reopened.transport(VIN)?.reason ?? '', /Vehicle Command Protocol required/);
  });

  it('treats a 200 "unsigned_cmds_hardlocked" like the 403', async () => {
    const t = transport(false);
    t.rest.answers = [{ ok: true, value: { result: false, reason: 'unsigned_cmds_hardlocked' }, status: 200 }];
    assert.deepEqual(await t.auto.send(VIN, 'honk_horn', {}), OK);
    assert.deepEqual(t.signed.calls, ['signed:honk_horn']);
    assert.equal(store.transport(VIN)?.mode, 'signed');
  });

  it('a signed command answered 422 goes REST, at once and from then on', async () => {
    const t = transport();
    t.signed.answers = [NO_PROTOCOL];
    assert.deepEqual(await t.auto.send(VIN, 'charge_start', {}), OK);
    assert.deepEqual(await t.auto.send(VIN, 'charge_stop', {}), OK);
    assert.deepEqual(t.signed.calls, ['signed:charge_start']);
    assert.deepEqual(t.rest.calls, ['rest:charge_start', 'rest:charge_stop']);
    assert.equal(store.transport(VIN)?.mode, 'rest');
  });

  it('sends REST-only commands (navigation, boombox) over REST even to a signed car', async () => {
    const t = transport();
    store.setTransport(VIN, 'signed', 'test');
    await t.auto.send(VIN, 'navigation_request', { type: 'share_ext_content_raw', value: { 'android.intent.extra.TEXT': 'home' } });
    await t.auto.send(VIN, 'remote_boombox', { sound: 0 });
    assert.deepEqual(t.rest.calls, ['rest:navigation_request', 'rest:remote_boombox']);
    assert.deepEqual(t.signed.calls, []);
  });

  it('refuses, without sending anything, a command with no signed form to a car that needs signing, and a bad body', async () => {
    const t = transport();
    store.setTransport(VIN, 'signed', 'test');
    const wheel = await t.auto.send(VIN, 'remote_steering_wheel_heat_level_request', { level: 1 });
    assert.equal(wheel.ok, false);
    assert.match(!wheel.ok ? wheel.error.message : '', /only takes signed commands, and remote_steering_wheel_heat_level_request has none/);
    const signed = new SignedCommandTransport({
      client: async () => ({}) as VcpClient<FleetError>,
      key: () => assert.fail('no key needed'),
      pairing: t.pairing,
    });
    const bad = await signed.send(VIN, 'set_charge_limit', { percent: 'max' });
    assert.deepEqual(bad, { ok: false, error: { kind: 'permanent', status: 400, message: 'not sent: set_charge_limit: percent must be a number, got "max"' } });
    assert.deepEqual([...t.rest.calls, ...t.signed.calls], []);
  });

  it('a car not known yet that refuses the key is asked over REST once; REST "protocol required" settles it as signed', async () => {
    const t = transport();
    t.pairing.noteUnpaired(VIN, 'infotainment');
    t.signed.answers = [{ ok: false, error: { kind: 'permanent', status: 200, message: 'not paired' } }];
    t.rest.answers = [VCP_REQUIRED];
    const result = await t.auto.send(VIN, 'flash_lights', {});
    assert.deepEqual(result, { ok: false, error: { kind: 'permanent', status: 200, message: 'not paired' } });
    assert.deepEqual([...t.signed.calls, ...t.rest.calls], ['signed:flash_lights', 'rest:flash_lights']);
    assert.equal(store.transport(VIN)?.mode, 'signed');
  });
});

describe('a key that is not paired', () => {
  it('says so with the pairing link, asks the car again only after a minute, and clears once a command goes through', async () => {
    const clock = new FakeClock();
    const sink = new MemorySink();
    const log = new Logger({ level: 'debug', format: 'pretty', sink, clock });
    const pairing = new PairingStatus({ clock, log, domain: 'teslahub.example.com' });
    const answers: VcpResult[] = [
      { ok: false, failure: { kind: 'notPaired', domain: 3 } },
      { ok: false, failure: { kind: 'notPaired', domain: 3 } },
      { ok: true, outcome: { kind: 'ok', reason: '' } },
    ];
    let executed = 0;
    const client = {
      execute: async () => {
        executed++;
        return answers.shift();
      },
    } as unknown as VcpClient<FleetError>;
    const key = EcdhKey.fromScalar(Buffer.alloc(32, 1));
    const signed = new SignedCommandTransport({ client: async () => client, key: async () => key, pairing });
    const first = await signed.send(VIN, 'honk_horn', {});
    assert.equal(first.ok, false);
    const error = !first.ok ? first.error : undefined;
    assert.match(error?.message ?? '', /not paired/);
    assert.match(('fix' in (error ?? {}) && (error as { fix?: string }).fix) || '', /https:\/\/tesla\.com\/_ak\/teslahub\.example\.com/);
    assert.deepEqual(pairing.health(), {
      ok: true,
      reason: `not paired: ${VIN} refused teslahub's key for signed commands`,
      fix: 'open https://tesla.com/_ak/teslahub.example.com on the phone that has the Tesla app and approve the key for each car',
    });
    for (let i = 0; i < 5; i++) assert.equal((await signed.send(VIN, 'honk_horn', {})).ok, false);
    assert.equal(executed, 1, 'no request while the car just said no');
    await clock.advance(60_000);
    await signed.send(VIN, 'honk_horn', {});
    assert.equal(executed, 2);
    await clock.advance(60_000);
    assert.deepEqual(await signed.send(VIN, 'honk_horn', {}), { ok: true, value: { result: true, reason: '' }, status: 200 });
    assert.equal(pairing.health().reason, "no car has refused teslahub's key");
    assert.equal(sink.lines.filter((line) => line.includes('does not know teslahub')).length, 1, 'logged once');
    assert.match(sink.text, /now accepts teslahub's signed commands/);
  });
});
