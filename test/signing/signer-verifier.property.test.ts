import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeRoutableMessage, type RoutableMessage } from '../../src/signing/routable-message.js';
import { decodeSessionInfo } from '../../src/signing/signature-data.js';
import { expiresAt, sessionFromInfo } from '../../src/signing/session.js';
import { decryptReply, signHmacCommand, verifySessionInfoTag } from '../../src/signing/signer.js';
import { EcdhKey } from '../../src/signing/vcp-crypto.js';
import { MessageFault_E, type VcpDomain } from '../../src/signing/vcp-enums.js';
import { DomainVerifier } from '../../src/simulator/vcp/domain-verifier.js';
import { VehicleVcp } from '../../src/simulator/vcp/vehicle-vcp.js';
import { prng } from './support.js';

/** Random sessions, payloads, counters and clocks between the signer and the simulated car's verifier. */

const SEED = Number(process.env.VCP_SEED ?? 20_260_301);
const RUNS = 250;
const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const LIFETIME_MS = 15_000;
const TTL_CAP_S = 60;
const keyPair = (): EcdhKey => EcdhKey.fromKeyObject(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
const CLIENT = keyPair();
const VEHICLE = keyPair();

function flip(bytes: Uint8Array, index: number, mask: number): void {
  bytes[index] = (bytes[index] ?? 0) ^ mask;
}

interface World {
  rng: ReturnType<typeof prng>;
  vin: string;
  domain: VcpDomain;
  verifier: DomainVerifier;
  carNow: number;
  clientNow: number;
  session: ReturnType<typeof sessionFromInfo>;
}

/** A handshake between a car and the client whose clocks disagree by up to a year. */
function world(seed: number): World {
  const rng = prng(seed);
  const vin = Array.from({ length: 17 }, () => VIN_CHARS[rng.int(0, VIN_CHARS.length - 1)]).join('');
  const domain: VcpDomain = rng.next() < 0.5 ? 2 : 3;
  const carNow = 1_700_000_000_000 + rng.int(0, 2 ** 40);
  const clientNow = carNow + rng.int(-31_536_000, 31_536_000) * 1000 + rng.int(0, 999);
  const verifier = new DomainVerifier({
    domain,
    vin,
    vehicleKey: VEHICLE,
    clientPublicKey: CLIENT.publicKey,
    now: carNow,
    random: (n) => rng.bytes(n),
    strictCounters: domain === 2,
    ttlCapS: TTL_CAP_S,
    clockTime: rng.int(0, 2 ** 29),
    counter: rng.int(0, 2 ** 31),
  });
  const challenge = rng.bytes(16);
  const info = verifier.sessionInfo(carNow, challenge);
  assert.ok(
    verifySessionInfoTag({ sharedKey: CLIENT.sharedKey(VEHICLE.publicKey), vin, challenge, sessionInfoBytes: info.bytes, tag: info.tag }),
    `seed ${seed}: tag`,
  );
  const session = sessionFromInfo(decodeSessionInfo(info.bytes), CLIENT.sharedKey(VEHICLE.publicKey), clientNow);
  return { rng, vin, domain, verifier, carNow, clientNow, session };
}

function sign(w: World, counter: number, payload: Uint8Array, elapsedMs: number): { message: RoutableMessage; requestHash: Buffer } {
  const signed = signHmacCommand({
    vin: w.vin,
    domain: w.domain,
    clientPublicKey: CLIENT.publicKey,
    commandKey: w.session.commandKey,
    epoch: w.session.epoch,
    counter,
    expiresAt: expiresAt(w.session, w.clientNow + elapsedMs, LIFETIME_MS),
    flags: w.rng.next() < 0.5 ? 2 : 0,
    payload,
    routingAddress: w.rng.bytes(16),
    uuid: w.rng.bytes(16),
  });
  return { message: decodeRoutableMessage(signed.message), requestHash: signed.requestHash };
}

describe('signer ↔ simulated car (property tests)', () => {
  it(`accepts every honest command and decrypts every reply (${RUNS} random sessions, seed ${SEED})`, () => {
    for (let run = 0; run < RUNS; run++) {
      const seed = SEED + run;
      const w = world(seed);
      const payload = w.rng.bytes(w.rng.int(0, 300));
      const counter = w.session.counter + w.rng.int(1, 5);
      const elapsed = w.rng.int(0, LIFETIME_MS - 2000);
      const { message, requestHash } = sign(w, counter, payload, elapsed);
      const verdict = w.verifier.verify(message, w.carNow + elapsed);
      assert.ok(verdict.ok, `seed ${seed}: ${JSON.stringify(verdict)}`);
      assert.deepEqual(Buffer.from(verdict.plaintext), payload, `seed ${seed}`);
      assert.equal(verdict.counter, counter);
      assert.deepEqual(verdict.requestHash, requestHash);
      const car = new VehicleVcp({ vin: w.vin, encryptResponses: true });
      const answer = w.rng.bytes(w.rng.int(0, 64));
      const reply = car.encrypted({}, w.verifier, requestHash, answer);
      assert.ok(reply.signatureData?.body?.kind === 'aesGcmResponse' && reply.payload?.kind === 'protobuf');
      const opened = decryptReply({
        sharedKey: w.session.sharedKey,
        vin: w.vin,
        domain: w.domain,
        counter: reply.signatureData.body.counter,
        flags: 0,
        fault: 0,
        requestHash,
        nonce: reply.signatureData.body.nonce,
        ciphertext: reply.payload.bytes,
        tag: reply.signatureData.body.tag,
      });
      assert.deepEqual(opened, answer, `seed ${seed}: reply`);
    }
  });

  it('judges expiry on the car clock as its drift since the handshake says', () => {
    for (let run = 0; run < RUNS; run++) {
      const seed = SEED + 10_000 + run;
      const w = world(seed);
      const driftMs = w.rng.int(-120_000, 120_000);
      const { message } = sign(w, w.session.counter + 1, w.rng.bytes(8), 0);
      const verdict = w.verifier.verify(message, w.carNow + driftMs);
      // Rounding to whole seconds blurs the edges by up to 2 s; away from them the answer is certain.
      if (driftMs >= LIFETIME_MS + 2000)
        assert.deepEqual(
          verdict,
          { ok: false, fault: MessageFault_E.MESSAGEFAULT_ERROR_TIME_EXPIRED, withSessionInfo: true },
          `seed ${seed}, drift ${driftMs}`,
        );
      else if (driftMs <= -(TTL_CAP_S * 1000 - LIFETIME_MS) - 2000)
        assert.deepEqual(
          verdict,
          { ok: false, fault: MessageFault_E.MESSAGEFAULT_ERROR_TIME_TO_LIVE_TOO_LONG, withSessionInfo: true },
          `seed ${seed}, drift ${driftMs}`,
        );
      else if (driftMs <= LIFETIME_MS - 2000 && driftMs >= -(TTL_CAP_S * 1000 - LIFETIME_MS) + 2000)
        assert.ok(verdict.ok, `seed ${seed}, drift ${driftMs}: ${JSON.stringify(verdict)}`);
    }
  });

  it('refuses any tampered command without moving the counter', () => {
    const mutations: ((m: RoutableMessage, w: World) => void)[] = [
      (m, w) => m.payload?.kind === 'protobuf' && (m.payload.bytes = Buffer.concat([m.payload.bytes, w.rng.bytes(1)])),
      (m, w) => m.signatureData?.body?.kind === 'hmacPersonalized' && flip(m.signatureData.body.tag, w.rng.int(0, 31), 1 << w.rng.int(0, 7)),
      (m, w) => m.signatureData?.body?.kind === 'hmacPersonalized' && (m.signatureData.body.counter += w.rng.int(1, 3)),
      (m, w) => m.signatureData?.body?.kind === 'hmacPersonalized' && (m.signatureData.body.expiresAt -= w.rng.int(1, 3)),
      (m, w) => m.signatureData?.body?.kind === 'hmacPersonalized' && m.signatureData.body.epoch && flip(m.signatureData.body.epoch, w.rng.int(0, 15), 1),
      (m) => (m.flags = (m.flags ?? 0) ^ 2),
      (m, w) => (m.toDestination = { domain: w.domain === 2 ? 3 : 2 }),
    ];
    for (let run = 0; run < RUNS; run++) {
      const seed = SEED + 20_000 + run;
      const w = world(seed);
      const payload = w.rng.bytes(w.rng.int(1, 40));
      const { message } = sign(w, w.session.counter + 1, payload, 0);
      const tampered = structuredClone(message);
      mutations[run % mutations.length]?.(tampered, w);
      const before = w.verifier.counter;
      assert.equal(w.verifier.verify(tampered, w.carNow).ok, false, `seed ${seed}, mutation ${run % mutations.length}`);
      assert.equal(w.verifier.counter, before, `seed ${seed}: counter moved`);
      assert.ok(w.verifier.verify(message, w.carNow).ok, `seed ${seed}: the genuine message still passes`);
    }
  });

  it('takes Infotainment counters out of order within the window, each once (VCSEC: in order only)', () => {
    for (let run = 0; run < 60; run++) {
      const seed = SEED + 30_000 + run;
      const w = world(seed);
      const base = w.session.counter;
      const seen = new Set<number>();
      let highest = base;
      for (let i = 0; i < 40; i++) {
        const counter = base + w.rng.int(1, 50);
        const ok = w.verifier.verify(sign(w, counter, w.rng.bytes(4), 0).message, w.carNow).ok;
        const expected = w.domain === 2 ? counter > highest : !seen.has(counter) && (counter > highest || highest - counter <= 32);
        assert.equal(ok, expected, `seed ${seed}: counter ${counter} after ${highest}`);
        if (ok) {
          seen.add(counter);
          highest = Math.max(highest, counter);
        }
      }
    }
  });
});
