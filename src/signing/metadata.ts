import { SignatureType, Tag } from './vcp-enums.js';

/**
 * The authenticated metadata: `tag || length || value` items in
 * ascending tag order, then 0xff. Integers are 4 bytes big-endian here (unlike protobuf's fixed32).
 */

export class MetadataError extends Error {
  override readonly name = 'MetadataError';
}

export class Metadata {
  private readonly bytes: number[] = [];
  private lastTag = -1;

  add(tag: number, value: Uint8Array): this {
    if (!Number.isInteger(tag) || tag < 0 || tag > 254) throw new MetadataError(`metadata tag ${tag} is out of range`);
    // Upstream refuses a lower tag than the previous one; an equal one is let through.
    if (tag < this.lastTag) throw new MetadataError(`metadata tag ${tag} added after tag ${this.lastTag}: items must be in ascending order`);
    if (value.length > 255) throw new MetadataError(`metadata item ${tag} is ${value.length} bytes; at most 255 fit`);
    this.lastTag = tag;
    this.bytes.push(tag, value.length, ...value);
    return this;
  }

  addUint32(tag: number, value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new MetadataError(`metadata item ${tag}: ${value} is not a uint32`);
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(value);
    return this.add(tag, buffer);
  }

  addByte(tag: number, value: number): this {
    return this.add(tag, Uint8Array.of(value));
  }

  /** The serialized items followed by TAG_END. */
  finish(): Uint8Array {
    return Uint8Array.from([...this.bytes, Tag.END]);
  }
}

/** What the session-info tag covers before the SessionInfo bytes. */
export function sessionInfoMetadata(vin: string, challenge: Uint8Array): Uint8Array {
  return new Metadata()
    .addByte(Tag.SIGNATURE_TYPE, SignatureType.HMAC)
    .add(Tag.PERSONALIZATION, Buffer.from(vin, 'ascii'))
    .add(Tag.CHALLENGE, challenge)
    .finish();
}

export interface CommandMetadataInput {
  signatureType: typeof SignatureType.HMAC_PERSONALIZED | typeof SignatureType.AES_GCM_PERSONALIZED;
  domain: number;
  vin: string;
  epoch: Uint8Array;
  expiresAt: number;
  counter: number;
  flags: number;
}

/** Request metadata: FLAGS only when non-zero. */
export function commandMetadata(input: CommandMetadataInput): Uint8Array {
  const m = new Metadata()
    .addByte(Tag.SIGNATURE_TYPE, input.signatureType)
    .addByte(Tag.DOMAIN, input.domain)
    .add(Tag.PERSONALIZATION, Buffer.from(input.vin, 'ascii'))
    .add(Tag.EPOCH, input.epoch)
    .addUint32(Tag.EXPIRES_AT, input.expiresAt)
    .addUint32(Tag.COUNTER, input.counter);
  if (input.flags !== 0) m.addUint32(Tag.FLAGS, input.flags);
  return m.finish();
}

export interface ResponseMetadataInput {
  /** The reply's from_destination domain. */
  domain: number;
  vin: string;
  counter: number;
  /** The reply's flags: always present, even 0. */
  flags: number;
  requestHash: Uint8Array;
  /** The reply's signed_message_fault, 0 when absent. */
  fault: number;
}

export function responseMetadata(input: ResponseMetadataInput): Uint8Array {
  return new Metadata()
    .addByte(Tag.SIGNATURE_TYPE, SignatureType.AES_GCM_RESPONSE)
    .addByte(Tag.DOMAIN, input.domain)
    .add(Tag.PERSONALIZATION, Buffer.from(input.vin, 'ascii'))
    .addUint32(Tag.COUNTER, input.counter)
    .addUint32(Tag.FLAGS, input.flags)
    .add(Tag.REQUEST_HASH, input.requestHash)
    .addUint32(Tag.FAULT, input.fault)
    .finish();
}
