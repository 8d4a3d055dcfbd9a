import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRoutableMessage, encodeRoutableMessage } from '../../src/signing/routable-message.js';
import { decodeSessionInfo, encodeSessionInfo } from '../../src/signing/signature-data.js';
import { buildSessionInfoRequest, decryptReply, signHmacCommand, verifySessionInfoTag } from '../../src/signing/signer.js';
import { commandHmacKey } from '../../src/signing/vcp-crypto.js';
import { type Json, hex, named, toHex, VECTORS } from './vectors.js';

/** Whole RoutableMessages: byte-exact where the vectors were serialized in field order, decoded field by field otherwise. */

const messages = VECTORS.full_routable_messages;
const K = hex(VECTORS.kdf.K);
const VIN = '5YJ30123456789ABC';
const client = hex(VECTORS.keys.protocol_md_client.public_uncompressed);
const handshake = named(VECTORS.session_info_authentication, 'protocol_md_handshake');

function protobufPayload(decoded: ReturnType<typeof decodeRoutableMessage>): string {
  assert.equal(decoded.payload?.kind, 'protobuf');
  return decoded.payload?.kind === 'protobuf' ? toHex(decoded.payload.bytes) : '';
}

function destination(d: Json): Json {
  return d && 'domain' in d ? { domain: d.domain } : d ? { routing_address: toHex(d.routingAddress) } : undefined;
}

describe('VCP known answers: full routable messages', () => {
  it("decodes protocol.md's unsigned list-keys request (Go's field order)", () => {
    const v = named(messages, 'protocol_md_tx_list_keys');
    const m = decodeRoutableMessage(hex(v.hex));
    assert.deepEqual(destination(m.toDestination), v.decoded.to_destination);
    assert.deepEqual(destination(m.fromDestination), v.decoded.from_destination);
    assert.equal(toHex(m.uuid ?? new Uint8Array()), v.decoded.uuid);
    assert.equal(protobufPayload(m), v.decoded.protobuf_message_as_bytes);
    assert.equal(m.signatureData, undefined);
  });

  it('decodes the TestGCMKnown message: broadcast from_destination, legacy key identity, counter 0xFFFFFFFF', () => {
    const v = named(messages, 'go_test_gcm_known');
    const m = decodeRoutableMessage(hex(v.hex));
    assert.deepEqual(destination(m.toDestination), { domain: 2 });
    assert.deepEqual(destination(m.fromDestination), { domain: 0 });
    assert.equal(protobufPayload(m), v.decoded.protobuf_message_as_bytes);
    assert.deepEqual(m.signatureData?.signerIdentity, { unknown: true });
    const body = m.signatureData?.body;
    assert.equal(body?.kind, 'aesGcmPersonalized');
    if (body?.kind !== 'aesGcmPersonalized') return;
    const expected = v.decoded.signature_data.AES_GCM_Personalized_data;
    assert.deepEqual(
      { epoch: toHex(body.epoch ?? new Uint8Array()), nonce: toHex(body.nonce), counter: body.counter, expires_at: body.expiresAt, tag: toHex(body.tag) },
      expected,
    );
    // Re-encoding writes the oneof domain 0 (08 00) but drops the legacy identity field it cannot name.
    assert.match(toHex(encodeRoutableMessage(m)), /^320208023a020800/);
  });

  it('decodes the real-world Fleet HMAC message (flags 2, Go field order 6,7,51,52,10,13)', () => {
    const v = named(messages, 'real_world_hmac_seat_heater');
    const m = decodeRoutableMessage(Buffer.from(v.b64, 'base64'));
    assert.equal(toHex(Buffer.from(v.b64, 'base64')), v.hex);
    assert.equal(m.flags, 2);
    assert.equal(toHex(m.uuid ?? new Uint8Array()), v.decoded.uuid);
    assert.equal(protobufPayload(m), v.decoded.protobuf_message_as_bytes);
    const identity = m.signatureData?.signerIdentity;
    assert.ok(identity && 'publicKey' in identity);
    assert.equal(toHex(identity.publicKey), v.decoded.signature_data['signer_identity.public_key']);
    const body = m.signatureData?.body;
    assert.ok(body?.kind === 'hmacPersonalized');
    assert.deepEqual(
      { epoch: toHex(body.epoch ?? new Uint8Array()), counter: body.counter, expires_at: body.expiresAt, tag: toHex(body.tag) },
      v.decoded.signature_data.HMAC_Personalized_data,
    );
  });

  it('builds the handshake request byte for byte, and its Fleet API body', () => {
    const v = named(messages, 'derived_session_info_request');
    const bytes = buildSessionInfoRequest({
      domain: 3,
      clientPublicKey: client,
      routingAddress: hex(handshake.routing_address),
      uuid: hex(handshake.request_uuid_used_as_challenge),
    });
    assert.equal(toHex(bytes), v.hex);
    assert.deepEqual({ routable_message: Buffer.from(bytes).toString('base64') }, v.fleet_api_request_body);
  });

  it('accepts the handshake response: its tag verifies over the received session-info bytes', () => {
    const v = named(messages, 'derived_session_info_response');
    const m = decodeRoutableMessage(Buffer.from(v.fleet_api_response_body.response, 'base64'));
    assert.deepEqual(destination(m.toDestination), { routing_address: handshake.routing_address });
    assert.deepEqual(destination(m.fromDestination), { domain: 3 });
    assert.equal(toHex(m.requestUuid ?? new Uint8Array()), handshake.request_uuid_used_as_challenge);
    assert.equal(m.payload?.kind, 'sessionInfo');
    if (m.payload?.kind !== 'sessionInfo' || m.signatureData?.body?.kind !== 'sessionInfoTag') throw new Error('not a session info reply');
    assert.equal(toHex(m.payload.bytes), handshake.session_info_bytes);
    assert.ok(
      verifySessionInfoTag({
        sharedKey: K,
        vin: VIN,
        challenge: hex(handshake.request_uuid_used_as_challenge),
        sessionInfoBytes: m.payload.bytes,
        tag: m.signatureData.body.tag,
      }),
    );
    const info = decodeSessionInfo(m.payload.bytes);
    const d = handshake.session_info_decoded;
    assert.deepEqual(
      {
        counter: info.counter,
        publicKey: toHex(info.publicKey),
        epoch: toHex(info.epoch),
        clock_time: info.clockTime,
        status: info.status,
        handle: info.handle,
      },
      d,
    );
    assert.equal(toHex(encodeSessionInfo(info)), handshake.session_info_bytes);
    assert.equal(toHex(encodeRoutableMessage(m)), v.hex);
  });

  it('signs the HVAC-on command byte for byte (flags 2), and its Fleet API body', () => {
    const v = named(messages, 'derived_hmac_command_flags_2');
    const c = named(VECTORS.hmac_command, 'hmac_infotainment_hvac_on_flags_2');
    const signed = signHmacCommand({
      vin: VIN,
      domain: 3,
      clientPublicKey: client,
      commandKey: commandHmacKey(K),
      epoch: hex(c.epoch),
      counter: c.counter,
      expiresAt: c.expires_at,
      flags: c.flags,
      payload: hex(c.payload),
      routingAddress: hex(handshake.routing_address),
      uuid: hex(named(VECTORS.session_info_authentication, 'session_info_in_error_reply').challenge),
    });
    assert.equal(toHex(signed.message), v.hex);
    assert.equal(toHex(signed.tag), v.tag);
    assert.deepEqual({ routable_message: Buffer.from(signed.message).toString('base64') }, v.fleet_api_request_body);
  });

  it('decodes and decrypts the encrypted reply to that command', () => {
    const v = named(messages, 'derived_encrypted_response');
    const m = decodeRoutableMessage(Buffer.from(v.fleet_api_response_body.response, 'base64'));
    assert.equal(toHex(encodeRoutableMessage(m)), v.hex);
    const body = m.signatureData?.body;
    if (body?.kind !== 'aesGcmResponse' || m.payload?.kind !== 'protobuf') throw new Error('not an encrypted reply');
    const fromDomain = m.fromDestination && 'domain' in m.fromDestination ? m.fromDestination.domain : -1;
    const plaintext = decryptReply({
      sharedKey: K,
      vin: VIN,
      domain: fromDomain,
      counter: body.counter,
      flags: m.flags ?? 0,
      fault: m.signedMessageStatus?.signedMessageFault ?? 0,
      requestHash: hex(named(VECTORS.hmac_command, 'hmac_infotainment_hvac_on_flags_2').request_hash),
      nonce: body.nonce,
      ciphertext: m.payload.bytes,
      tag: body.tag,
    });
    assert.equal(plaintext && toHex(plaintext), '0a00');
  });
});
