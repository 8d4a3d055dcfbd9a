import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandMetadata } from '../../src/signing/metadata.js';
import { decodeRoutableMessage, encodeRoutableMessage, type RoutableMessage } from '../../src/signing/routable-message.js';
import { signHmacCommand } from '../../src/signing/signer.js';
import { commandHmacKey, EcdhKey, sha256 } from '../../src/signing/vcp-crypto.js';
import { MessageFault_E, SignatureType } from '../../src/signing/vcp-enums.js';
import { DomainVerifier, type VerifierInit } from '../../src/simulator/vcp/domain-verifier.js';
import { decodeInfotainmentAction, decodeVcsecMessage } from '../../src/simulator/vcp/payload-decode.js';
import { slideWindow } from '../../src/simulator/vcp/sliding-window.js';
import { VehicleVcp } from '../../src/simulator/vcp/vehicle-vcp.js';
import { PAYLOAD_CASES } from '../signing/payload-cases.js';
import { hex, named, toHex, VECTORS } from '../signing/vectors.js';

/** The simulated car's side against the same known answers the signer is tested with. */

const VIN = '5YJ30123456789ABC';
const NOW = 1_800_000_000_000;
const vehicleKey = EcdhKey.fromScalar(hex(VECTORS.keys.protocol_md_vehicle.private_scalar));
const client = hex(VECTORS.keys.protocol_md_client.public_uncompressed);
const handshake = named(VECTORS.session_info_authentication, 'protocol_md_handshake');
const epoch = hex(handshake.session_info_decoded.epoch);
const command = named(VECTORS.full_routable_messages, 'derived_hmac_command_flags_2');

function protocolVerifier(overrides: Partial<VerifierInit> = {}): DomainVerifier {
  return new DomainVerifier({
    domain: 3,
    vin: VIN,
    vehicleKey,
    clientPublicKey: client,
    now: NOW,
    random: () => new Uint8Array(16),
    strictCounters: false,
    ttlCapS: 60,
    epoch,
    clockTime: 2650,
    counter: 6,
    ...overrides,
  });
}

function withoutUuid(message: RoutableMessage): string {
  const { uuid: _uuid, ...rest } = message;
  return toHex(encodeRoutableMessage(rest));
}

describe('simulated car: known answers', () => {
  it('verifies TestGCMKnown (VCSEC, AES-GCM, counter 0xFFFFFFFF) and yields the expected plaintext', () => {
    const v = named(VECTORS.full_routable_messages, 'go_test_gcm_known');
    const verifier = new DomainVerifier({
      domain: 2,
      vin: v.verifier_name_ascii,
      vehicleKey: EcdhKey.fromScalar(hex(v.verifier_private_scalar)),
      clientPublicKey: hex(v.signer_public),
      now: NOW,
      random: () => new Uint8Array(16),
      strictCounters: true,
      ttlCapS: Infinity,
      epoch: hex(v.verifier_epoch),
      clockTime: 0,
    });
    assert.equal(toHex(EcdhKey.fromScalar(hex(v.verifier_private_scalar)).publicKey), v.verifier_public_derived);
    assert.equal(toHex(verifier.sharedKey), v.K_derived);
    const metadata = commandMetadata({
      signatureType: SignatureType.AES_GCM_PERSONALIZED,
      domain: 2,
      vin: v.verifier_name_ascii,
      epoch: hex(v.verifier_epoch),
      expiresAt: 50_000,
      counter: 0xffff_ffff,
      flags: 0,
    });
    assert.equal(toHex(metadata), v.metadata_derived);
    assert.equal(toHex(sha256(metadata)), v.aad_derived);
    const verdict = verifier.verify(decodeRoutableMessage(hex(v.hex)), NOW);
    assert.ok(verdict.ok, JSON.stringify(verdict));
    assert.equal(toHex(verdict.plaintext), v.expected_plaintext);
    // Past the expiry on the car's clock it is refused, with session info to resynchronise.
    const late = new DomainVerifier({
      ...{
        domain: 2,
        vin: v.verifier_name_ascii,
        vehicleKey: EcdhKey.fromScalar(hex(v.verifier_private_scalar)),
        clientPublicKey: hex(v.signer_public),
        random: () => new Uint8Array(16),
        strictCounters: true,
        ttlCapS: Infinity,
      },
      now: NOW,
      epoch: hex(v.verifier_epoch),
      clockTime: 50_001,
    });
    assert.deepEqual(late.verify(decodeRoutableMessage(hex(v.hex)), NOW), {
      ok: false,
      fault: MessageFault_E.MESSAGEFAULT_ERROR_TIME_EXPIRED,
      withSessionInfo: true,
    });
  });

  it('accepts derived_hmac_command_flags_2 with payload 120452020801, and only once', () => {
    const verifier = protocolVerifier();
    const message = decodeRoutableMessage(hex(command.hex));
    const verdict = verifier.verify(message, NOW);
    assert.ok(verdict.ok);
    assert.equal(toHex(verdict.plaintext), '120452020801');
    assert.equal(verdict.counter, 7);
    assert.equal(verdict.flags, 2);
    assert.equal(toHex(verdict.requestHash), named(VECTORS.hmac_command, 'hmac_infotainment_hvac_on_flags_2').request_hash);
    assert.deepEqual(verifier.verify(message, NOW), { ok: false, fault: MessageFault_E.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER, withSessionInfo: true });
  });

  it('refuses it in the order a car checks: epoch, expiry, signature (own VIN), counter', () => {
    const message = decodeRoutableMessage(hex(command.hex));
    assert.deepEqual(protocolVerifier({ epoch: Buffer.alloc(16, 7) }).verify(message, NOW), {
      ok: false,
      fault: MessageFault_E.MESSAGEFAULT_ERROR_INCORRECT_EPOCH,
      withSessionInfo: true,
    });
    assert.deepEqual(protocolVerifier({ clockTime: 2656 }).verify(message, NOW), {
      ok: false,
      fault: MessageFault_E.MESSAGEFAULT_ERROR_TIME_EXPIRED,
      withSessionInfo: true,
    });
    assert.deepEqual(protocolVerifier({ vin: '5YJ30123456789ABD' }).verify(message, NOW), {
      ok: false,
      fault: MessageFault_E.MESSAGEFAULT_ERROR_INVALID_SIGNATURE,
      withSessionInfo: true,
    });
    assert.deepEqual(protocolVerifier({ domain: 2 }).verify(message, NOW), {
      ok: false,
      fault: MessageFault_E.MESSAGEFAULT_ERROR_INVALID_DOMAINS,
      withSessionInfo: false,
    });
    // A forged tag does not consume the counter: the genuine message still passes afterwards.
    const verifier = protocolVerifier({ counter: 6 });
    const forged = structuredClone(message);
    if (forged.signatureData?.body?.kind === 'hmacPersonalized') forged.signatureData.body.tag[0] = (forged.signatureData.body.tag[0] ?? 0) ^ 1;
    assert.deepEqual(verifier.verify(forged, NOW), { ok: false, fault: MessageFault_E.MESSAGEFAULT_ERROR_INVALID_SIGNATURE, withSessionInfo: true });
    assert.ok(verifier.verify(message, NOW).ok);
    // Counter 7 already used, or older than the window of 32.
    assert.deepEqual(protocolVerifier({ counter: 7 }).verify(message, NOW), {
      ok: false,
      fault: MessageFault_E.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER,
      withSessionInfo: true,
    });
    assert.deepEqual(protocolVerifier({ counter: 100 }).verify(message, NOW), {
      ok: false,
      fault: MessageFault_E.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER,
      withSessionInfo: true,
    });
    // An old counter must expire within 30 s; an in-order one within the car's cap.
    assert.deepEqual(protocolVerifier({ counter: 100, clockTime: 2600 }).verify(message, NOW), {
      ok: false,
      fault: MessageFault_E.MESSAGEFAULT_ERROR_TIME_TO_LIVE_TOO_LONG,
      withSessionInfo: true,
    });
    assert.deepEqual(protocolVerifier({ clockTime: 2600, ttlCapS: 30 }).verify(message, NOW), {
      ok: false,
      fault: MessageFault_E.MESSAGEFAULT_ERROR_TIME_TO_LIVE_TOO_LONG,
      withSessionInfo: true,
    });
    assert.ok(protocolVerifier({ clockTime: 2600, ttlCapS: 60 }).verify(message, NOW).ok);
  });

  it('answers the handshake request with the protocol.md session info and tag', () => {
    const car = new VehicleVcp({
      vin: VIN,
      pairedKeys: [VECTORS.keys.protocol_md_client.spki_pem],
      encryptResponses: true,
      domainKeys: { 3: vehicleKey },
      random: () => Buffer.alloc(16, 0xaa),
    });
    car.verifier(3, client, NOW, { epoch, clockTime: 2650, counter: 6 });
    const request = decodeRoutableMessage(hex(named(VECTORS.full_routable_messages, 'derived_session_info_request').hex));
    const exchange = car.handle(request, NOW, () => assert.fail('a handshake executes nothing'));
    assert.equal(exchange.kind, 'handshake');
    const reply = decodeRoutableMessage(exchange.reply);
    assert.equal(toHex(reply.uuid ?? new Uint8Array()), 'aa'.repeat(16));
    assert.equal(withoutUuid(reply), named(VECTORS.full_routable_messages, 'derived_session_info_response').hex);
  });

  it('executes the HMAC command and encrypts the reply exactly as derived_encrypted_response', () => {
    const car = new VehicleVcp({
      vin: VIN,
      pairedKeys: [VECTORS.keys.protocol_md_client.public_uncompressed],
      encryptResponses: true,
      domainKeys: { 3: vehicleKey },
      random: (n) => (n === 12 ? hex('000102030405060708090a0b') : Buffer.alloc(n, 0xbb)),
    });
    car.verifier(3, client, NOW, { epoch, clockTime: 2650, counter: 6 });
    const acted: string[] = [];
    const exchange = car.handle(decodeRoutableMessage(hex(command.hex)), NOW, (domain, payload) => {
      acted.push(`${domain}:${toHex(payload)}`);
      return { kind: 'done', ok: true, reason: '' };
    });
    assert.deepEqual(acted, ['3:120452020801']);
    assert.equal(exchange.executed, true);
    assert.equal(withoutUuid(decodeRoutableMessage(exchange.reply)), named(VECTORS.full_routable_messages, 'derived_encrypted_response').hex);
  });

  it('encrypts an empty VCSEC reply to the lock command as resp_vcsec_ok_empty', () => {
    const lock = named(VECTORS.hmac_command, 'hmac_vcsec_lock_flags_2');
    const car = new VehicleVcp({
      vin: VIN,
      pairedKeys: [toHex(client)],
      encryptResponses: true,
      domainKeys: { 2: vehicleKey },
      random: (n) => (n === 12 ? hex('000102030405060708090a0b') : Buffer.alloc(n, 1)),
    });
    car.verifier(2, client, NOW, { epoch, clockTime: 2650, counter: 6 });
    const signed = signHmacCommand({
      vin: VIN,
      domain: 2,
      clientPublicKey: client,
      commandKey: commandHmacKey(hex(lock.K)),
      epoch,
      counter: 7,
      expiresAt: 2655,
      flags: 2,
      payload: hex(lock.payload),
      routingAddress: Buffer.alloc(16, 3),
      uuid: Buffer.alloc(16, 4),
    });
    assert.equal(toHex(signed.tag), lock.tag);
    const exchange = car.handle(decodeRoutableMessage(signed.message), NOW, () => ({ kind: 'done', ok: true, reason: '' }));
    const reply = decodeRoutableMessage(exchange.reply);
    const v = named(VECTORS.response_decryption, 'resp_vcsec_ok_empty');
    assert.equal(reply.requestUuid, undefined, 'VCSEC leaves request_uuid out');
    assert.ok(reply.signatureData?.body?.kind === 'aesGcmResponse');
    assert.equal(reply.signatureData.body.counter, 1);
    assert.equal(toHex(reply.signatureData.body.tag), v.tag);
    assert.ok(reply.payload?.kind === 'protobuf' && reply.payload.bytes.length === 0);
  });

  for (const v of VECTORS.hmac_command) {
    it(`verifies the HMAC command vector ${v.name} and computes its request hash`, () => {
      const signed = signHmacCommand({
        vin: v.vin_ascii,
        domain: v.domain,
        clientPublicKey: client,
        commandKey: hex(v.command_hmac_key),
        epoch: hex(v.epoch),
        counter: v.counter,
        expiresAt: v.expires_at,
        flags: v.flags,
        payload: hex(v.payload),
        routingAddress: Buffer.alloc(16),
        uuid: Buffer.alloc(16, 5),
      });
      const verdict = protocolVerifier({ domain: v.domain, strictCounters: v.domain === 2 }).verify(decodeRoutableMessage(signed.message), NOW);
      assert.ok(verdict.ok, JSON.stringify(verdict));
      assert.equal(toHex(verdict.plaintext), v.payload);
      assert.equal(toHex(verdict.requestHash), v.request_hash);
    });
  }

  for (const v of VECTORS.aes_gcm_command) {
    it(`verifies and decrypts the AES-GCM example (${v.name})`, () => {
      const f = v.routable_message_fields;
      const data = f['signature_data.AES_GCM_Personalized_data'];
      const message: RoutableMessage = {
        toDestination: { domain: f['to_destination.domain'] },
        fromDestination: { routingAddress: hex(f['from_destination.routing_address']) },
        payload: { kind: 'protobuf', bytes: hex(f.protobuf_message_as_bytes) },
        signatureData: {
          signerIdentity: { publicKey: hex(f['signature_data.signer_identity.public_key']) },
          body: {
            kind: 'aesGcmPersonalized',
            epoch: hex(data.epoch),
            nonce: hex(data.nonce),
            counter: data.counter,
            expiresAt: data.expires_at,
            tag: hex(data.tag),
          },
        },
        uuid: hex(f.uuid),
        flags: f.flags,
      };
      const verdict = protocolVerifier().verify(decodeRoutableMessage(encodeRoutableMessage(message)), NOW);
      assert.ok(verdict.ok, JSON.stringify(verdict));
      assert.equal(toHex(verdict.plaintext), v.plaintext);
      assert.equal(verdict.flags, v.flags);
      // The flags are authenticated: the other example's flags do not verify this tag.
      assert.equal(protocolVerifier().verify({ ...message, flags: v.flags === 0 ? 2 : 0 }, NOW).ok, false);
    });
  }

  it('attaches session info to a fault, tagged with the failing command as challenge (session_info_in_error_reply)', () => {
    const car = new VehicleVcp({
      vin: VIN,
      pairedKeys: [toHex(client)],
      encryptResponses: true,
      domainKeys: { 3: vehicleKey },
      random: () => Buffer.alloc(16, 0xcc),
    });
    car.verifier(3, client, NOW, { epoch, clockTime: 2650, counter: 6 });
    const forged = decodeRoutableMessage(hex(command.hex));
    if (forged.signatureData?.body?.kind === 'hmacPersonalized') forged.signatureData.body.tag[5] = (forged.signatureData.body.tag[5] ?? 0) ^ 0x10;
    const exchange = car.handle(forged, NOW, () => assert.fail('a forged command must not execute'));
    assert.equal(exchange.fault, MessageFault_E.MESSAGEFAULT_ERROR_INVALID_SIGNATURE);
    const reply = decodeRoutableMessage(exchange.reply);
    const v = named(VECTORS.session_info_authentication, 'session_info_in_error_reply');
    assert.deepEqual(reply.signedMessageStatus, { operationStatus: 2, signedMessageFault: MessageFault_E.MESSAGEFAULT_ERROR_INVALID_SIGNATURE });
    assert.equal(toHex(reply.requestUuid ?? new Uint8Array()), v.challenge);
    assert.ok(reply.payload?.kind === 'sessionInfo' && reply.signatureData?.body?.kind === 'sessionInfoTag');
    assert.equal(toHex(reply.payload.bytes), handshake.session_info_bytes);
    assert.equal(toHex(reply.signatureData.body.tag), v.tag);
  });

  it('refuses unsigned messages, unknown keys and invalid handshake keys; decodes the real-world seat heater payload', () => {
    const car = new VehicleVcp({ vin: VIN, pairedKeys: [toHex(client)], encryptResponses: true });
    const listKeys = car.handle(decodeRoutableMessage(hex(named(VECTORS.full_routable_messages, 'protocol_md_tx_list_keys').hex)), NOW, () =>
      assert.fail('unsigned'),
    );
    assert.equal(listKeys.fault, MessageFault_E.MESSAGEFAULT_ERROR_BAD_PARAMETER);
    const invalid = named(VECTORS.key_agreement, 'invalid_peer_keys');
    for (const bad of [invalid.not_on_curve, invalid.all_zero_point]) {
      const exchange = car.handle(
        {
          toDestination: { domain: 3 },
          fromDestination: { routingAddress: Buffer.alloc(16) },
          payload: { kind: 'sessionInfoRequest', publicKey: hex(bad) },
          uuid: Buffer.alloc(16, 1),
        },
        NOW,
        () => assert.fail(),
      );
      assert.equal(exchange.fault, MessageFault_E.MESSAGEFAULT_ERROR_BAD_PARAMETER);
      assert.throws(() => car.pair(bad));
    }
    const real = named(VECTORS.full_routable_messages, 'real_world_hmac_seat_heater');
    const stranger = car.handle(decodeRoutableMessage(hex(real.hex)), NOW, () => assert.fail('not on the keychain'));
    assert.equal(stranger.fault, MessageFault_E.MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID);
    assert.deepEqual(decodeInfotainmentAction(hex(real.decoded.protobuf_message_as_bytes)), {
      kind: 'commands',
      commands: [{ name: 'remote_seat_heater_request', body: { seat_position: 0, level: 2 } }],
    });
  });

  for (const c of VECTORS.sliding_window.cases) {
    it(`slides the anti-replay window: counter ${c.counter}, window ${c.window}, new ${c.new}`, () => {
      assert.deepEqual(slideWindow({ counter: c.counter, window: BigInt(c.window) }, c.new), {
        ok: c.ok,
        counter: c.counter_after,
        window: BigInt(c.window_after),
      });
    });
  }

  for (const c of PAYLOAD_CASES) {
    it(`decodes payload ${c.label}`, () => {
      const decoded = c.domain === 3 ? decodeInfotainmentAction(hex(c.hex)) : decodeVcsecMessage(hex(c.hex));
      if (c.rest) assert.deepEqual(decoded, { kind: 'commands', commands: [c.rest] });
      else assert.notEqual(decoded.kind, 'commands');
    });
  }
});
