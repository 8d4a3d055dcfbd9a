import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { infotainment } from '../../src/signing/payloads/infotainment.js';
import { RKEAction_E, vcsec } from '../../src/signing/payloads/vcsec.js';
import type { RoutableMessage } from '../../src/signing/routable-message.js';
import { SESSIONS_FILE } from '../../src/signing/session-store.js';
import { Domain, MessageFault_E } from '../../src/signing/vcp-enums.js';
import { type Bench, startBench, VIN } from './support.js';

/** The client's session handling against the simulated car, with the faults a car can answer injected. */

const HVAC_ON = infotainment.hvacAuto(true);
const LOCK = vcsec.rke(RKEAction_E.RKE_ACTION_LOCK);
let bench: Bench | undefined;

async function started(options: Parameters<typeof startBench>[0] = {}): Promise<Bench> {
  bench = await startBench(options);
  return bench;
}

/** The reply as a car sends a bare fault: addressing kept, no payload, no signature. */
function faultReply(reply: RoutableMessage, fault: number): RoutableMessage {
  const { payload: _payload, signatureData: _signature, ...addressing } = reply;
  return { ...addressing, signedMessageStatus: { operationStatus: 2, signedMessageFault: fault } };
}

function kinds(b: Bench): string[] {
  return b.sent.map((m) =>
    m.payload?.kind === 'sessionInfoRequest'
      ? 'handshake'
      : `command#${m.signatureData?.body?.kind === 'hmacPersonalized' ? m.signatureData.body.counter : '?'}`,
  );
}

describe('VCP client: sessions', () => {
  afterEach(async () => {
    await bench?.close();
    bench = undefined;
  });

  it('shakes hands once per domain, then sends one signed request per command, asking for encrypted replies', async () => {
    const b = await started();
    assert.deepEqual(await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key), { ok: true, outcome: { kind: 'ok', reason: '' } });
    assert.deepEqual(await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key), { ok: true, outcome: { kind: 'ok', reason: '' } });
    assert.deepEqual(await b.client.execute(VIN, Domain.VEHICLE_SECURITY, LOCK, b.key), { ok: true, outcome: { kind: 'ok', reason: '' } });
    assert.deepEqual(kinds(b), ['handshake', 'command#1', 'command#2', 'handshake', 'command#1']);
    assert.deepEqual(
      b.sent.map((m) => m.flags ?? 0),
      [0, 2, 2, 0, 2],
    );
    assert.deepEqual(b.acted, ['3:120452020801', '3:120452020801', '2:1001']);
  });

  it('keeps sessions in data_dir (mode 0600) and reuses them after a restart without a handshake', async () => {
    const b = await started();
    await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key);
    const restarted = await b.newClient({ sameStore: true });
    b.sent.length = 0;
    assert.ok((await restarted.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key)).ok);
    assert.deepEqual(kinds(b), ['command#2']);
    await restarted.store.flush();
    assert.equal((await stat(join(b.dir, SESSIONS_FILE))).mode & 0o777, 0o600);
  });

  it('runs one command at a time per car and domain', async () => {
    const b = await started();
    const results = await Promise.all([1, 2, 3, 4].map(() => b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key)));
    assert.ok(results.every((r) => r.ok));
    assert.deepEqual(kinds(b), ['handshake', 'command#1', 'command#2', 'command#3', 'command#4']);
  });
});

describe('VCP client: recovery from faults', () => {
  afterEach(async () => {
    await bench?.close();
    bench = undefined;
  });

  it('wrong epoch after the car restarted: takes the attached session info and sends again (both domains)', async () => {
    const b = await started();
    await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key);
    await b.client.execute(VIN, Domain.VEHICLE_SECURITY, LOCK, b.key);
    b.car.restart([Domain.INFOTAINMENT, Domain.VEHICLE_SECURITY], b.clock.now());
    b.sent.length = 0;
    b.acted.length = 0;
    assert.ok((await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key)).ok);
    assert.ok((await b.client.execute(VIN, Domain.VEHICLE_SECURITY, LOCK, b.key)).ok);
    assert.deepEqual(kinds(b), ['command#2', 'command#1', 'command#2', 'command#1'], 'refused in the old epoch, then counter 1 of the new one');
    assert.deepEqual(b.acted, ['3:120452020801', '2:1001'], 'each carried out once');
  });

  it('expired on the car clock (the car clock ran ahead): resynchronises the clock and succeeds', async () => {
    const b = await started();
    await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key);
    b.carSkewMs = 120_000;
    b.sent.length = 0;
    assert.ok((await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key)).ok);
    assert.equal(b.sent.length, 2);
    b.sent.length = 0;
    assert.ok((await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key)).ok, 'the new offset holds');
    assert.equal(b.sent.length, 1);
  });

  it('a counter already used (a second client on the same key): takes the higher counter and succeeds', async () => {
    const b = await started();
    for (let i = 0; i < 3; i++) await b.client.execute(VIN, Domain.VEHICLE_SECURITY, LOCK, b.key);
    // Another process with the same key and its own session file moves the car's counter on.
    const other = await b.newClient();
    await other.client.execute(VIN, Domain.VEHICLE_SECURITY, LOCK, b.key);
    b.sent.length = 0;
    b.acted.length = 0;
    assert.ok((await b.client.execute(VIN, Domain.VEHICLE_SECURITY, LOCK, b.key)).ok);
    assert.deepEqual(kinds(b), ['command#4', 'command#5']);
    assert.deepEqual(b.acted, ['2:1001']);
  });

  it('a replayed command is refused by the car and changes nothing', async () => {
    const b = await started();
    await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key);
    const replay = b.sent.at(-1);
    assert.ok(replay);
    b.acted.length = 0;
    const exchange = b.car.handle(replay, b.clock.now(), () => assert.fail('a replay must not execute'));
    assert.equal(exchange.fault, MessageFault_E.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER);
    assert.deepEqual(b.acted, []);
  });

  it('unknown key: says "not paired" after one request per domain, and never retries by itself', async () => {
    const b = await started({ paired: false });
    assert.deepEqual(await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key), {
      ok: false,
      failure: { kind: 'notPaired', domain: Domain.INFOTAINMENT },
    });
    assert.deepEqual(await b.client.execute(VIN, Domain.VEHICLE_SECURITY, LOCK, b.key), {
      ok: false,
      failure: { kind: 'notPaired', domain: Domain.VEHICLE_SECURITY },
    });
    assert.deepEqual(kinds(b), ['handshake', 'handshake']);
    // Unpaired after a session existed: the command itself is answered UNKNOWN_KEY_ID.
    b.car.pair(b.key.publicKey);
    assert.ok((await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key)).ok);
    b.car.unpair(b.key.publicKey);
    b.sent.length = 0;
    assert.deepEqual(await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key), {
      ok: false,
      failure: { kind: 'notPaired', domain: Domain.INFOTAINMENT },
    });
    assert.equal(b.sent.length, 1);
    assert.deepEqual(b.acted, ['3:120452020801']);
  });

  it('a forged session-info tag is ignored: the session is dropped and a fresh handshake recovers', async () => {
    const b = await started();
    await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key);
    b.car.restart([Domain.INFOTAINMENT], b.clock.now());
    let forged = 0;
    b.tamper = (reply) => {
      if (reply.signatureData?.body?.kind !== 'sessionInfoTag' || forged > 0) return reply;
      forged += 1;
      return { ...reply, signatureData: { body: { kind: 'sessionInfoTag', tag: Buffer.alloc(32, 9) } } };
    };
    b.sent.length = 0;
    assert.ok((await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key)).ok);
    assert.deepEqual(kinds(b), ['command#2', 'handshake', 'command#1']);
    assert.match(b.sink.text, /ignored session info .*tag does not verify/);
  });

  it('busy: waits and sends again with a new counter', async () => {
    const b = await started();
    await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key);
    let busy = 1;
    b.tamper = (reply, exchange) => (exchange.kind === 'command' && busy-- > 0 ? faultReply(reply, MessageFault_E.MESSAGEFAULT_ERROR_BUSY) : reply);
    b.sent.length = 0;
    const pending = b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key);
    await b.clock.advance(1000);
    assert.ok((await pending).ok);
    assert.deepEqual(kinds(b), ['command#2', 'command#3']);
  });

  it('gives up after a bounded number of requests when the car keeps refusing', async () => {
    const b = await started();
    b.tamper = (reply, exchange) => (exchange.kind === 'command' ? faultReply(reply, MessageFault_E.MESSAGEFAULT_ERROR_INVALID_SIGNATURE) : reply);
    const result = await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.failure.kind, 'exhausted');
    assert.equal(b.sent.length, 4);
  });

  it('a fault with no fix is reported as it is, without a retry', async () => {
    const b = await started();
    b.tamper = (reply, exchange) => (exchange.kind === 'command' ? faultReply(reply, MessageFault_E.MESSAGEFAULT_ERROR_REMOTE_ACCESS_DISABLED) : reply);
    assert.deepEqual(await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key), {
      ok: false,
      failure: { kind: 'fault', fault: MessageFault_E.MESSAGEFAULT_ERROR_REMOTE_ACCESS_DISABLED, domain: Domain.INFOTAINMENT },
    });
    assert.equal(b.sent.length, 2);
  });

  it('a reply that fails to authenticate may still mean the car acted: possibleSuccess, no retry', async () => {
    const b = await started();
    b.tamper = (reply, exchange) => {
      if (exchange.kind !== 'command' || reply.signatureData?.body?.kind !== 'aesGcmResponse') return reply;
      return { ...reply, signatureData: { body: { ...reply.signatureData.body, tag: Buffer.alloc(16) } } };
    };
    const result = await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key);
    assert.deepEqual(result, { ok: false, failure: { kind: 'reply', message: "the car's encrypted reply did not authenticate", possibleSuccess: true } });
    assert.equal(b.acted.length, 1);
  });

  it('reads plaintext replies of older firmware and refusals with their reason', async () => {
    const b = await started({
      encryptResponses: false,
      act: (domain) => ({ kind: 'done', ok: domain === Domain.VEHICLE_SECURITY, reason: domain === Domain.VEHICLE_SECURITY ? '' : 'is_charging' }),
    });
    assert.deepEqual(await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key), { ok: true, outcome: { kind: 'refused', reason: 'is_charging' } });
    assert.deepEqual(await b.client.execute(VIN, Domain.VEHICLE_SECURITY, LOCK, b.key), { ok: true, outcome: { kind: 'ok', reason: '' } });
  });

  it('passes HTTP failures up untouched (422, 408), keeping the session', async () => {
    const b = await started();
    await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key);
    b.intercept = () => ({ ok: false, error: { kind: 'asleep', message: 'the car is asleep or offline' } });
    assert.deepEqual(await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key), {
      ok: false,
      failure: { kind: 'http', error: { kind: 'asleep', message: 'the car is asleep or offline' } },
    });
    b.intercept = undefined;
    b.sent.length = 0;
    assert.ok((await b.client.execute(VIN, Domain.INFOTAINMENT, HVAC_ON, b.key)).ok);
    assert.deepEqual(kinds(b), ['command#3'], 'no handshake: the session survived, counter 2 was skipped');
  });
});
