import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { create, toBinary } from '@bufbuild/protobuf';
import { FakeClock } from '../../src/core/fake-clock.js';
import { PayloadSchema } from '../../src/gen/telemetry/vehicle_data_pb.js';
import { LINK_LOST_MS, PING_INTERVAL_MS } from '../../src/telemetry/receiver/link-check.js';
import { decodeFrame, encodeStream, INCORRECT_FORMAT } from '../../src/telemetry/wire/envelope.js';
import { encodeVehicleData } from '../../src/telemetry/wire/payload-encode.js';
import { tempDir } from '../support/tmp.js';
import { receiverRig, until, watch } from './receiver-support.js';

const VIN = '5YJ3E1EA0PF000001';
const OTHER = '5YJ3E1EA0PF000002';
const STRANGER = '5YJ3E1EA0PF000009';

type Rig = Awaited<ReturnType<typeof receiverRig>>;

function frame(topic: string, payload: Uint8Array, txid = 'tx'): Uint8Array {
  const id = new TextEncoder().encode(txid);
  return encodeStream({ txid: id, topic, messageId: id, createdAt: 1, senderId: '', deviceType: 'vehicle_device', deviceId: VIN, deliveredAtMs: 0, payload });
}

/** The reply a raw socket got, decoded: 'ack', 'error' (incorrect message format) or another kind. */
function replies(messages: Buffer[]): string[] {
  return messages.map((m) => {
    const decoded = decodeFrame(m);
    if (decoded.kind === 'stream' && decoded.topic === '') return new TextDecoder().decode(decoded.payload) === INCORRECT_FORMAT ? 'error' : 'stream';
    return decoded.kind;
  });
}

describe('built-in Fleet Telemetry receiver (real mutual TLS and WebSocket on loopback)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let rig: Rig;

  before(async () => {
    ({ dir, cleanup } = await tempDir('teslahub-receiver-'));
  });
  after(async () => cleanup());
  beforeEach(async () => {
    rig = await receiverRig(dir, { vins: [VIN, OTHER], limits: { frame_bytes: 4096 } });
  });
  afterEach(async () => rig.close());

  it("takes a car's values with its own time, and acks each message only after the sink saved it", async () => {
    const car = rig.car(VIN);
    const createdAt = rig.clock.now() - 60_000;
    rig.behaviour.delayMs = 150;
    let ackedBeforeSaved = false;
    car.onAck(() => (ackedBeforeSaved ||= rig.received.length === 0));
    car.send('V', createdAt, (resend) =>
      encodeVehicleData({
        vin: VIN,
        createdAtMs: createdAt,
        isResend: resend,
        data: [
          ['BatteryLevel', 77.5],
          ['Gear', 'ShiftStateD'],
        ],
      }),
    );
    car.start();
    await until(() => car.acked === 1, 5000, 'the ack');
    assert.equal(ackedBeforeSaved, false);
    const [got] = rig.received;
    assert.equal(got?.vin, VIN);
    assert.equal(got?.carAt, createdAt);
    assert.ok(got?.record.topic === 'V');
    assert.deepEqual(got.record.data, [
      { field: 'BatteryLevel', value: 77.5 },
      { field: 'Gear', value: 'ShiftStateD' },
    ]);
    assert.deepEqual(rig.links, [`+${VIN}`]);
    assert.deepEqual(
      rig.receiver.connections().map((c) => c.vin),
      [VIN],
    );
  });

  it('a message the sink could not save is not acked, and the car sends it again after reconnecting', async () => {
    const car = rig.car(VIN);
    rig.behaviour.fail = true;
    car.send('V', rig.clock.now(), (resend) => encodeVehicleData({ vin: VIN, createdAtMs: rig.clock.now(), isResend: resend, data: [['Soc', 50]] }));
    car.start();
    await until(() => car.connected);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(car.acked, 0);
    assert.equal(car.unacked, 1);
    rig.behaviour.fail = false;
    // The car drops the connection (sleep, network) and resends what was not acked, flagged as a resend.
    rig.receiver.connections();
    for (const c of (rig.receiver as unknown as { open: Set<{ close(code: number, reason: string): void }> }).open) c.close(1001, 'test');
    await until(() => car.acked === 1, 5000, 'the resend to be acked');
    const last = rig.received.at(-1)?.record;
    assert.ok(last?.topic === 'V' && last.isResend);
  });

  it("refuses a client without a certificate, with another CA's, with an expired one, or a car not in use; each cause counted", async () => {
    const now = rig.clock.now();
    const stranger = rig.pki.car(STRANGER);
    const expired = rig.pki.car(VIN, { notBefore: now - 10 * 86_400_000, notAfter: now - 86_400_000 });
    const { testPki } = await import('../../src/simulator/telemetry/pki.js');
    const foreign = testPki(now, ['localhost'], 'Tesla Issuing CA').car(VIN);
    const attempts = [rig.raw(), rig.raw(foreign), rig.raw(expired), rig.raw(stranger)].map(watch);
    await until(() => attempts.every((a) => a.closed), 5000, 'every refused client to be closed');
    assert.ok(
      attempts.every((a) => !a.opened),
      'no refused client reaches the WebSocket layer',
    );
    assert.deepEqual(rig.received, []);
    assert.deepEqual(rig.links, []);
    assert.deepEqual(rig.receiver.refusals.snapshot(), { no_certificate: 1, untrusted_certificate: 1, expired_certificate: 1, unknown_vehicle: 1 });
    // Logged once per cause, not per attempt.
    const again = watch(rig.raw());
    await until(() => again.closed);
    assert.equal(rig.receiver.refusals.snapshot().no_certificate, 2);
    assert.equal(rig.log.lines.filter((line) => line.includes('without a certificate')).length, 1);
  });

  it('refuses a certificate that client_ca trusts when its issuer is not one Tesla issues car certificates from', async () => {
    const { testPki } = await import('../../src/simulator/telemetry/pki.js');
    const other = testPki(rig.clock.now(), ['localhost'], 'Example Corp Root', 'Example Corp Device CA');
    // client_ca now trusts both CAs: the other CA's certificate verifies, and is refused by name.
    await writeFile(rig.files.clientCa, rig.pki.ca.cert + other.ca.cert);
    assert.equal(await rig.receiver.reload(), true);
    const refused = watch(rig.raw(other.car(VIN)));
    await until(() => refused.closed, 5000, 'the client to be closed');
    assert.equal(refused.opened, false);
    assert.deepEqual(rig.receiver.refusals.snapshot(), { unknown_issuer: 1 });
    assert.equal(rig.log.lines.filter((line) => line.includes('Example Corp Device CA')).length, 1);
    // A car from the accepted issuer still gets in.
    const car = watch(rig.raw(rig.pki.car(VIN)));
    await until(() => car.opened, 5000, 'the car to connect');
    assert.deepEqual(rig.received, []);
  });

  it('malformed, text and oversize frames get "incorrect message format" and the connection goes on', async () => {
    const ws = rig.raw(rig.pki.car(VIN));
    const state = watch(ws);
    await until(() => state.opened);
    ws.send(Buffer.from('not flatbuffers at all'), { binary: true });
    ws.send('hello', { binary: false });
    ws.send(Buffer.alloc(5000, 7), { binary: true });
    ws.send(frame('V', new Uint8Array([0xff, 0xff, 0xff]), 'bad-pb'));
    ws.send(frame('V', encodeVehicleData({ vin: VIN, createdAtMs: rig.clock.now(), data: [['Soc', 51]] }), 'good'));
    await until(() => state.messages.length === 5, 5000, 'five replies');
    assert.deepEqual(replies(state.messages), ['error', 'error', 'error', 'error', 'ack']);
    assert.equal(state.closed, false);
    assert.equal(rig.received.length, 1);
    const counts = rig.receiver.refusals.snapshot();
    assert.equal(counts.malformed_frame, 3);
    assert.equal(counts.oversize_frame, 1);
    ws.close();
  });

  it('acks record types it does not know; refuses a message naming another VIN than the certificate', async () => {
    const ws = rig.raw(rig.pki.car(VIN));
    const state = watch(ws);
    await until(() => state.opened);
    ws.send(frame('metrics', new Uint8Array([1, 2, 3]), 'm'));
    await until(() => state.messages.length === 1);
    assert.deepEqual(replies(state.messages), ['ack']);
    ws.send(frame('V', toBinary(PayloadSchema, create(PayloadSchema, { vin: OTHER, data: [] })), 'spoof'));
    await until(() => state.closed, 5000, 'the connection to close');
    assert.equal(state.closeCode, 1008);
    assert.equal(rig.received.filter((r) => r.record.topic === 'V').length, 0);
    assert.equal(rig.receiver.refusals.snapshot().vin_mismatch, 1);
  });

  it('limits connections per car', async () => {
    const cert = rig.pki.car(VIN);
    const sockets = [rig.raw(cert), rig.raw(cert), rig.raw(cert)].map(watch);
    await until(() => sockets.filter((s) => s.opened).length === 2 && sockets.some((s) => s.closed), 5000, 'two open, one refused');
    assert.equal(rig.receiver.refusals.snapshot().too_many_for_vehicle, 1);
  });
});

describe('built-in receiver: limits and certificate renewal', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir('teslahub-receiver-limits-'));
  });
  after(async () => cleanup());

  it('limits connections in total and messages per minute (the excess is not acked)', async () => {
    const rig = await receiverRig(dir, { vins: [VIN, OTHER], limits: { connections: 1, messages_per_minute: 10 } });
    try {
      const first = watch(rig.raw(rig.pki.car(VIN)));
      await until(() => first.opened);
      const second = watch(rig.raw(rig.pki.car(OTHER)));
      await until(() => second.closed);
      assert.equal(second.opened, false);
      assert.equal(rig.receiver.refusals.snapshot().too_many_connections, 1);
    } finally {
      await rig.close();
    }
    const paced = await receiverRig(dir, { vins: [VIN], limits: { messages_per_minute: 10 } });
    try {
      const ws = paced.raw(paced.pki.car(VIN));
      const state = watch(ws);
      await until(() => state.opened);
      for (let i = 0; i < 15; i += 1) ws.send(frame('V', encodeVehicleData({ vin: VIN, createdAtMs: paced.clock.now(), data: [['Soc', i]] }), `t${i}`));
      await until(() => paced.receiver.refusals.snapshot().rate_limited === 5, 5000, 'five refused');
      await until(() => state.messages.length === 10);
      assert.equal(paced.received.length, 10);
    } finally {
      await paced.close();
    }
  });

  it('pings each car: one that answers is heard without sending anything; one that answered and went silent is closed as link_lost', async () => {
    const clock = new FakeClock(Date.now());
    const rig = await receiverRig(dir, { vins: [VIN, OTHER], clock });
    try {
      const answering = watch(rig.raw(rig.pki.car(VIN)));
      const fadingSocket = rig.raw(rig.pki.car(OTHER), { autoPong: false });
      let pongs = 0;
      fadingSocket.on('ping', () => {
        if (pongs++ === 0) fadingSocket.pong();
      });
      const fading = watch(fadingSocket);
      await until(() => answering.opened && fading.opened && rig.receiver.connections().length === 2, 5000, 'both connected');
      const connection = (vin: string) => rig.receiver.connections().find((c) => c.vin === vin);
      const start = clock.now();
      await clock.advance(PING_INTERVAL_MS);
      await until(() => connection(VIN)?.awaitingPong === false && connection(OTHER)?.awaitingPong === false, 5000, 'both pongs');
      assert.equal(connection(VIN)?.heardAt, start + PING_INTERVAL_MS, 'heard at the ping it answered, without a message');
      assert.equal(connection(OTHER)?.heardAt, start + PING_INTERVAL_MS);
      assert.equal(connection(VIN)?.lastMessageAt, undefined);

      for (let waited = 0; waited < LINK_LOST_MS; waited += PING_INTERVAL_MS) {
        await clock.advance(PING_INTERVAL_MS);
        if (!answering.closed) await until(() => connection(VIN)?.awaitingPong === false, 5000, 'the answering car pongs');
      }
      await until(() => fading.closed, 5000, 'the silent car closed');
      assert.equal(rig.receiver.refusals.snapshot().link_lost, 1);
      assert.equal(answering.closed, false, 'the answering car stays');
      assert.equal(connection(VIN)?.heardAt, clock.now(), 'heard at the last ping');
    } finally {
      await rig.close();
    }
  });

  it('takes a renewed certificate without dropping a connected car; new connections get the new one', async () => {
    const rig = await receiverRig(dir, { vins: [VIN], reloadCheckMs: 100 });
    try {
      const car = rig.car(VIN);
      car.start();
      await until(() => car.connected);
      const renewed = rig.pki.car('localhost');
      const { issue } = await import('../../src/simulator/telemetry/pki.js');
      const now = rig.clock.now();
      const server = issue(
        { commonName: 'localhost', names: ['localhost', '127.0.0.1'], usage: 'server', notBefore: now - 1000, notAfter: now + 30 * 86_400_000 },
        rig.pki.ca,
      );
      void renewed;
      await writeFile(rig.files.cert, server.cert + rig.pki.ca.cert);
      await writeFile(rig.files.key, server.key);
      await until(() => rig.log.text.includes('certificate files changed'), 5000, 'the reload');
      assert.equal(car.connected, true);
      assert.equal(car.connects, 1);
      const ws = rig.raw(rig.pki.car(VIN));
      const fresh = await new Promise<string>((resolve, reject) => {
        ws.once('upgrade', (res) => resolve((res.socket as import('node:tls').TLSSocket).getPeerCertificate().serialNumber));
        ws.once('error', reject);
      });
      assert.equal(fresh, server.x509.serialNumber);
      ws.close();
      // A broken renewal (key of another certificate) is refused; the working one stays.
      await writeFile(rig.files.key, rig.pki.car('x').key);
      await until(() => rig.log.text.includes('kept the current certificate'), 5000, 'the refusal');
      assert.equal(rig.receiver.listening, true);
    } finally {
      await rig.close();
    }
  });
});

describe('built-in receiver: bad certificate files', () => {
  it('a missing or mismatched certificate is a clear problem, not a crash; it listens once the files are right', async () => {
    const { dir, cleanup } = await tempDir('teslahub-receiver-bad-');
    try {
      const rig = await receiverRig(dir, { vins: [VIN], reloadCheckMs: 100 });
      await rig.close();
      const { SystemClock } = await import('../../src/core/clock.js');
      const { Logger, MemorySink } = await import('../../src/core/logger.js');
      const { TelemetryReceiver } = await import('../../src/telemetry/receiver/receiver.js');
      const { LIMITS } = await import('./receiver-support.js');
      const { rename } = await import('node:fs/promises');
      await rename(rig.files.cert, `${rig.files.cert}.later`);
      const sink = new MemorySink();
      const clock = new SystemClock();
      const changes: string[] = [];
      const receiver = new TelemetryReceiver({
        host: '127.0.0.1',
        port: 0,
        files: rig.files,
        limits: LIMITS,
        sink: { accepts: () => true, connected: () => undefined, disconnected: () => undefined, receive: async () => undefined },
        clock,
        log: new Logger({ level: 'debug', format: 'pretty', sink, clock }),
        reloadCheckMs: 100,
      });
      receiver.onChange((up, problem) => changes.push(up ? 'up' : `down: ${problem ?? ''}`));
      try {
        await receiver.start();
        assert.equal(receiver.listening, false);
        assert.match(receiver.problem ?? '', /cannot read telemetry\.receiver\.cert .*fullchain\.pem/);
        assert.match(sink.text, /the telemetry receiver cannot start: cannot read telemetry\.receiver\.cert .*\(fix: point it at the full chain/);
        // A key that belongs to another certificate is refused with the fix, too.
        await writeFile(rig.files.cert, rig.pki.car('other').cert);
        await until(() => sink.text.includes('do not load together'), 5000, 'the mismatch');
        assert.equal(receiver.listening, false);
        await rename(`${rig.files.cert}.later`, rig.files.cert);
        await until(() => receiver.listening, 5000, 'the receiver to listen');
        assert.equal(changes.at(-1), 'up');
      } finally {
        await receiver.stop();
      }
    } finally {
      await cleanup();
    }
  });
});
