import assert from 'node:assert/strict';
import { createECDH, createHash, createPrivateKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { commandMetadata, Metadata, MetadataError, responseMetadata, sessionInfoMetadata } from '../../src/signing/metadata.js';
import { decryptReply, requestHash, sessionInfoTag, signHmacCommand, verifySessionInfoTag } from '../../src/signing/signer.js';
import {
  aesGcmEncrypt,
  commandHmacKey,
  EcdhKey,
  parsePublicKey,
  publicKeyBytes,
  sessionInfoKey,
  sha256,
  VcpCryptoError,
} from '../../src/signing/vcp-crypto.js';
import { SignatureType } from '../../src/signing/vcp-enums.js';
import { hex, named, toHex, VECTORS } from './vectors.js';

/** The client side against every official and derived known answer of vcp-test-vectors.json. */

const K = hex(VECTORS.kdf.K);

describe('VCP known answers: keys and key agreement', () => {
  it('reads the published PEM keys (SEC1 and PKCS#8) as the expected uncompressed points', () => {
    const keys = VECTORS.keys;
    for (const name of ['protocol_md_vehicle', 'protocol_md_client']) {
      assert.equal(toHex(publicKeyBytes(createPrivateKey(keys[name].sec1_pem))), keys[name].public_uncompressed, name);
      assert.equal(toHex(parsePublicKey(keys[name].spki_pem)), keys[name].public_uncompressed, name);
      assert.equal(toHex(EcdhKey.fromScalar(hex(keys[name].private_scalar)).publicKey), keys[name].public_uncompressed, name);
    }
    const loading = keys.pem_loading_pkg_protocol_test;
    assert.equal(toHex(publicKeyBytes(createPrivateKey(loading.sec1_pem))), loading.expected_public_uncompressed);
    assert.equal(toHex(publicKeyBytes(createPrivateKey(loading.pkcs8_pem))), loading.expected_public_uncompressed);
    assert.equal(toHex(parsePublicKey(loading.spki_pem)), loading.expected_public_uncompressed);
    assert.equal(toHex(EcdhKey.fromKeyObject(createPrivateKey(loading.pkcs8_pem)).publicKey), loading.expected_public_uncompressed);
    assert.equal(toHex(EcdhKey.fromScalar(hex(keys.native_test_key.private_scalar)).publicKey), keys.native_test_key.public_uncompressed);
  });

  it('derives K from the protocol.md keys, from both sides', () => {
    const v = named(VECTORS.key_agreement, 'protocol_md_shared_key');
    assert.equal(toHex(EcdhKey.fromScalar(hex(v.client_private_scalar)).sharedKey(hex(v.vehicle_public_uncompressed))), v.K);
    const vehicle = EcdhKey.fromScalar(hex(VECTORS.keys.protocol_md_vehicle.private_scalar));
    assert.equal(toHex(vehicle.sharedKey(hex(VECTORS.keys.protocol_md_client.public_uncompressed))), v.K);
    const x = createECDH('prime256v1');
    x.setPrivateKey(hex(v.client_private_scalar));
    assert.equal(x.computeSecret(hex(v.vehicle_public_uncompressed)).toString('hex'), v.shared_x_derived);
  });

  it('keeps the leading zero byte of the shared X coordinate', () => {
    const v = named(VECTORS.key_agreement, 'leading_zero_shared_secret');
    assert.equal(toHex(EcdhKey.fromScalar(hex(v.private_scalar)).sharedKey(hex(v.peer_public_uncompressed))), v.K_derived);
    assert.equal(createHash('sha1').update(hex(v.shared_x)).digest().subarray(0, 16).toString('hex'), v.K_derived);
    // A bigint round trip would drop the zero and hash 31 bytes: a different key.
    assert.notEqual(createHash('sha1').update(hex(v.shared_x).subarray(1)).digest().subarray(0, 16).toString('hex'), v.K_derived);
  });

  it('rejects an off-curve point, the all-zero point and a zero private scalar', () => {
    const v = named(VECTORS.key_agreement, 'invalid_peer_keys');
    const key = EcdhKey.fromScalar(hex(named(VECTORS.key_agreement, 'leading_zero_shared_secret').private_scalar));
    assert.throws(() => key.sharedKey(hex(v.not_on_curve)), VcpCryptoError);
    assert.throws(() => key.sharedKey(hex(v.all_zero_point)), VcpCryptoError);
    assert.throws(() => parsePublicKey(v.not_on_curve), VcpCryptoError);
    assert.throws(() => parsePublicKey(v.all_zero_point), VcpCryptoError);
    assert.throws(() => EcdhKey.fromScalar(Buffer.alloc(32)), VcpCryptoError);
  });

  it('derives the session-info and command HMAC keys (and not the excluded third-party values)', () => {
    assert.equal(toHex(sessionInfoKey(K)), VECTORS.kdf.session_info_key.value);
    assert.equal(toHex(commandHmacKey(K)), VECTORS.kdf.command_hmac_key.value);
    assert.equal(VECTORS.excluded_third_party_values.length, 2);
    assert.ok(!toHex(commandHmacKey(K)).startsWith('a2478e6c'), 'the yoziru/tesla-ble constant is not the command key');
  });
});

describe('VCP known answers: metadata', () => {
  it('serializes single items and sets as protocol.md shows', () => {
    const [str, int, set] = ['single_string_item', 'single_uint32_item', 'serialize_set'].map((name) => named(VECTORS.metadata_tlv, name));
    assert.equal(toHex(new Metadata().add(2, Buffer.from(str.input.value_ascii)).finish()), `${str.tlv}ff`);
    assert.equal(toHex(new Metadata().addUint32(5, int.input.value_uint32).finish()), `${int.tlv}ff`);
    assert.equal(toHex(new Metadata().add(2, Buffer.from('abc')).addUint32(5, 100).finish()), set.serialized);
  });

  it('matches the upstream checksum test (SHA-256 and SHA-512 over the items)', () => {
    const v = named(VECTORS.metadata_tlv, 'checksum_sha256');
    const m = new Metadata();
    for (const item of v.items) m.add(item.tag, item.value_ascii !== undefined ? Buffer.from(item.value_ascii, 'ascii') : hex(item.value));
    const serialized = m.finish();
    assert.equal(toHex(serialized), v.serialized_derived);
    assert.equal(toHex(sha256(serialized)), v.sha256);
    assert.equal(createHash('sha512').update(serialized).digest('hex'), named(VECTORS.metadata_tlv, 'checksum_sha512_same_items').sha512);
  });

  it('refuses items out of order and values over 255 bytes, and lets an equal tag through', () => {
    assert.throws(() => new Metadata().addUint32(5, 1).addUint32(4, 1), MetadataError);
    assert.throws(() => new Metadata().add(2, Buffer.alloc(256)), MetadataError);
    assert.doesNotThrow(() => new Metadata().addUint32(5, 1).addUint32(5, 2));
  });
});

describe('VCP known answers: session info, commands, replies', () => {
  it('tags session info for the handshake and for a fault reply', () => {
    const hs = named(VECTORS.session_info_authentication, 'protocol_md_handshake');
    const challenge = hex(hs.request_uuid_used_as_challenge);
    assert.equal(toHex(sessionInfoMetadata(hs.vin_ascii, challenge)), hs.metadata);
    assert.equal(toHex(sessionInfoKey(K)), hs.hmac_key);
    assert.equal(toHex(sessionInfoTag(K, hs.vin_ascii, challenge, hex(hs.session_info_bytes))), hs.tag);
    assert.ok(verifySessionInfoTag({ sharedKey: K, vin: hs.vin_ascii, challenge, sessionInfoBytes: hex(hs.session_info_bytes), tag: hex(hs.tag) }));
    const fault = named(VECTORS.session_info_authentication, 'session_info_in_error_reply');
    assert.equal(toHex(sessionInfoMetadata(hs.vin_ascii, hex(fault.challenge))), fault.metadata);
    assert.equal(toHex(sessionInfoTag(K, hs.vin_ascii, hex(fault.challenge), hex(hs.session_info_bytes))), fault.tag);
    // The handshake's tag does not authenticate the same bytes for another challenge.
    assert.equal(
      verifySessionInfoTag({
        sharedKey: K,
        vin: hs.vin_ascii,
        challenge: hex(fault.challenge),
        sessionInfoBytes: hex(hs.session_info_bytes),
        tag: hex(hs.tag),
      }),
      false,
    );
  });

  for (const name of ['aes_gcm_personalized_flags_0', 'aes_gcm_personalized_flags_2']) {
    it(`builds the AES-GCM example's metadata, AAD, ciphertext and tag (${name})`, () => {
      const v = named(VECTORS.aes_gcm_command, name);
      const metadata = commandMetadata({
        signatureType: SignatureType.AES_GCM_PERSONALIZED,
        domain: v.domain,
        vin: v.vin_ascii,
        epoch: hex(v.epoch),
        expiresAt: v.expires_at,
        counter: v.counter,
        flags: v.flags,
      });
      assert.equal(toHex(metadata), v.metadata);
      assert.equal(toHex(sha256(metadata)), v.aad_sha256_of_metadata);
      const sealed = aesGcmEncrypt(hex(v.K), hex(v.nonce), hex(v.plaintext), sha256(metadata));
      assert.equal(toHex(sealed.ciphertext), v.ciphertext);
      assert.equal(toHex(sealed.tag), v.tag);
    });
  }

  for (const v of VECTORS.hmac_command) {
    it(`signs an HMAC-personalized command: metadata, tag, request hash (${v.name})`, () => {
      assert.equal(toHex(commandHmacKey(hex(v.K))), v.command_hmac_key);
      assert.equal(
        toHex(
          commandMetadata({
            signatureType: SignatureType.HMAC_PERSONALIZED,
            domain: v.domain,
            vin: v.vin_ascii,
            epoch: hex(v.epoch),
            expiresAt: v.expires_at,
            counter: v.counter,
            flags: v.flags,
          }),
        ),
        v.metadata,
      );
      const signed = signHmacCommand({
        vin: v.vin_ascii,
        domain: v.domain,
        clientPublicKey: hex(VECTORS.keys.protocol_md_client.public_uncompressed),
        commandKey: hex(v.command_hmac_key),
        epoch: hex(v.epoch),
        counter: v.counter,
        expiresAt: v.expires_at,
        flags: v.flags,
        payload: hex(v.payload),
        routingAddress: Buffer.alloc(16),
        uuid: Buffer.alloc(16, 1),
      });
      assert.equal(toHex(signed.tag), v.tag);
      assert.equal(toHex(signed.requestHash), v.request_hash);
    });
  }

  it('truncates the request hash to 17 bytes for VCSEC only', () => {
    const v = VECTORS.request_hash_truncation;
    assert.equal(toHex(requestHash(SignatureType.HMAC_PERSONALIZED, hex(v.hmac_tag_input), 2)), v.vcsec_request_hash);
    assert.equal(toHex(requestHash(SignatureType.HMAC_PERSONALIZED, hex(v.hmac_tag_input), 3)), v.infotainment_request_hash);
  });

  for (const v of VECTORS.response_decryption) {
    it(`decrypts a reply with the request hash (${v.name})`, () => {
      const input = {
        domain: v.response_from_domain,
        vin: v.vin_ascii,
        counter: v.response_counter,
        flags: v.response_flags,
        requestHash: hex(v.request_hash),
        fault: v.response_fault,
      };
      assert.equal(toHex(responseMetadata(input)), v.metadata);
      assert.equal(toHex(sha256(responseMetadata(input))), v.aad_sha256_of_metadata);
      const plaintext = decryptReply({ ...input, sharedKey: hex(v.K), nonce: hex(v.nonce), ciphertext: hex(v.ciphertext), tag: hex(v.tag) });
      assert.equal(plaintext && toHex(plaintext), v.plaintext);
      // A wrong hash length (Teslemetry's constant 17, crosscheck #9) or a flipped counter does not authenticate.
      assert.equal(
        decryptReply({
          ...input,
          requestHash: hex(v.request_hash).subarray(0, 16),
          sharedKey: hex(v.K),
          nonce: hex(v.nonce),
          ciphertext: hex(v.ciphertext),
          tag: hex(v.tag),
        }),
        undefined,
      );
      assert.equal(
        decryptReply({ ...input, counter: v.response_counter + 1, sharedKey: hex(v.K), nonce: hex(v.nonce), ciphertext: hex(v.ciphertext), tag: hex(v.tag) }),
        undefined,
      );
    });
  }
});
