import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { infotainment } from '../../src/signing/payloads/infotainment.js';
import { decodeRoutableMessage } from '../../src/signing/routable-message.js';
import { decodeSessionInfo } from '../../src/signing/signature-data.js';
import { expiresAt, sessionFromInfo } from '../../src/signing/session.js';
import { signHmacCommand, verifySessionInfoTag } from '../../src/signing/signer.js';
import { EcdhKey } from '../../src/signing/vcp-crypto.js';
import { DomainVerifier } from '../../src/simulator/vcp/domain-verifier.js';

/**
 * CPU per operation, in-process and without I/O: signing a command (metadata, HMAC, protobuf),
 * the car's verification of it, and the client's half of a handshake (ECDH, key derivation,
 * session-info tag check).
 */
export function measureCpu(rounds = 5000): { sign_us: number; verify_us: number; handshake_us: number } {
  const key = (): EcdhKey => EcdhKey.fromKeyObject(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
  const client = key();
  const vehicle = key();
  const vin = '5YJ3E1EA0PF0BENCH';
  const now = 1_800_000_000_000;
  const verifier = new DomainVerifier({
    domain: 3,
    vin,
    vehicleKey: vehicle,
    clientPublicKey: client.publicKey,
    now,
    random: (n) => randomBytes(n),
    strictCounters: false,
    ttlCapS: 60,
  });
  const challenge = randomBytes(16);
  const info = verifier.sessionInfo(now, challenge);
  const session = sessionFromInfo(decodeSessionInfo(info.bytes), client.sharedKey(vehicle.publicKey), now);
  const payload = infotainment.chargingSetLimit(80);
  const messages: Uint8Array[] = [];
  let started = performance.now();
  for (let i = 1; i <= rounds; i++) {
    const signed = signHmacCommand({
      vin,
      domain: 3,
      clientPublicKey: client.publicKey,
      commandKey: session.commandKey,
      epoch: session.epoch,
      counter: session.counter + i,
      expiresAt: expiresAt(session, now, 15_000),
      flags: 2,
      payload,
      routingAddress: randomBytes(16),
      uuid: randomBytes(16),
    });
    messages.push(signed.message);
  }
  const signUs = ((performance.now() - started) * 1000) / rounds;
  started = performance.now();
  for (const message of messages) if (!verifier.verify(decodeRoutableMessage(message), now).ok) throw new Error('bench: a signed command did not verify');
  const verifyUs = ((performance.now() - started) * 1000) / rounds;
  const handshakes = Math.max(1, Math.floor(rounds / 10));
  started = performance.now();
  for (let i = 0; i < handshakes; i++) {
    const shared = client.sharedKey(vehicle.publicKey);
    if (!verifySessionInfoTag({ sharedKey: shared, vin, challenge, sessionInfoBytes: info.bytes, tag: info.tag })) throw new Error('bench: tag');
    sessionFromInfo(decodeSessionInfo(info.bytes), shared, now);
  }
  const handshakeUs = ((performance.now() - started) * 1000) / handshakes;
  const round = (v: number): number => Math.round(v * 10) / 10;
  return { sign_us: round(signUs), verify_us: round(verifyUs), handshake_us: round(handshakeUs) };
}
