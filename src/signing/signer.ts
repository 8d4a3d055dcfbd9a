import { commandMetadata, responseMetadata, sessionInfoMetadata } from './metadata.js';
import { encodeRoutableMessage } from './routable-message.js';
import { aesGcmDecrypt, hmacSha256, sameBytes, sessionInfoKey, sha256 } from './vcp-crypto.js';
import { Domain, SignatureType } from './vcp-enums.js';

/**
 * Pure builders and checks of the client side:
 * nothing here keeps state, draws randomness or reads the clock; the caller passes uuids,
 * routing addresses, counters and expiry in, which is what the known-answer tests need.
 */

export interface Routing {
  /** 16 random bytes: where the reply is addressed. */
  routingAddress: Uint8Array;
  /** 16 random bytes: the request id, and the challenge the session-info tag binds. */
  uuid: Uint8Array;
}

export function buildSessionInfoRequest(input: Routing & { domain: number; clientPublicKey: Uint8Array }): Uint8Array {
  return encodeRoutableMessage({
    toDestination: { domain: input.domain },
    fromDestination: { routingAddress: input.routingAddress },
    payload: { kind: 'sessionInfoRequest', publicKey: input.clientPublicKey },
    uuid: input.uuid,
  });
}

export interface HmacCommandInput extends Routing {
  vin: string;
  domain: number;
  clientPublicKey: Uint8Array;
  /** HMAC-SHA256(K, "authenticated command"). */
  commandKey: Uint8Array;
  epoch: Uint8Array;
  counter: number;
  expiresAt: number;
  flags: number;
  payload: Uint8Array;
}

export interface SignedCommand {
  message: Uint8Array;
  tag: Buffer;
  /** For matching and decrypting the reply. */
  requestHash: Buffer;
}

/** An HMAC-personalized command, the method Fleet API accepts. */
export function signHmacCommand(input: HmacCommandInput): SignedCommand {
  const metadata = commandMetadata({
    signatureType: SignatureType.HMAC_PERSONALIZED,
    domain: input.domain,
    vin: input.vin,
    epoch: input.epoch,
    expiresAt: input.expiresAt,
    counter: input.counter,
    flags: input.flags,
  });
  const tag = hmacSha256(input.commandKey, metadata, input.payload);
  const message = encodeRoutableMessage({
    toDestination: { domain: input.domain },
    fromDestination: { routingAddress: input.routingAddress },
    payload: { kind: 'protobuf', bytes: input.payload },
    signatureData: {
      signerIdentity: { publicKey: input.clientPublicKey },
      body: { kind: 'hmacPersonalized', epoch: input.epoch, counter: input.counter, expiresAt: input.expiresAt, tag },
    },
    uuid: input.uuid,
    flags: input.flags,
  });
  return { message, tag, requestHash: requestHash(SignatureType.HMAC_PERSONALIZED, tag, input.domain) };
}

/** The signature type byte and the tag; truncated to 17 bytes for VCSEC. */
export function requestHash(signatureType: number, tag: Uint8Array, domain: number): Buffer {
  const full = Buffer.concat([Buffer.of(signatureType), tag]);
  return domain === Domain.VEHICLE_SECURITY ? full.subarray(0, 17) : full;
}

/** The tag a domain puts on SessionInfo bytes for this challenge. */
export function sessionInfoTag(sharedKey: Uint8Array, vin: string, challenge: Uint8Array, sessionInfoBytes: Uint8Array): Buffer {
  return hmacSha256(sessionInfoKey(sharedKey), sessionInfoMetadata(vin, challenge), sessionInfoBytes);
}

/** Verifies the tag over the bytes as received, in constant time. */
export function verifySessionInfoTag(input: {
  sharedKey: Uint8Array;
  vin: string;
  challenge: Uint8Array;
  sessionInfoBytes: Uint8Array;
  tag: Uint8Array;
}): boolean {
  return sameBytes(sessionInfoTag(input.sharedKey, input.vin, input.challenge, input.sessionInfoBytes), input.tag);
}

export interface EncryptedReply {
  sharedKey: Uint8Array;
  vin: string;
  /** The reply's from_destination domain. */
  domain: number;
  counter: number;
  flags: number;
  fault: number;
  requestHash: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

/** The plaintext of an encrypted reply, or undefined when it does not authenticate. */
export function decryptReply(input: EncryptedReply): Buffer | undefined {
  const aad = sha256(
    responseMetadata({ domain: input.domain, vin: input.vin, counter: input.counter, flags: input.flags, requestHash: input.requestHash, fault: input.fault }),
  );
  return aesGcmDecrypt(input.sharedKey, input.nonce, input.ciphertext, input.tag, aad);
}
