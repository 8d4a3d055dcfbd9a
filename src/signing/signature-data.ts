import { ProtobufError, ProtoMessage, ProtoWriter } from './protobuf.js';

/** Signatures.* messages (vehicle-command-protocol.md §2.2). */

export type KeyIdentity = { publicKey: Uint8Array } | { handle: number } | { unknown: true };

export type SignatureBody =
  | { kind: 'aesGcmPersonalized'; epoch?: Uint8Array; nonce: Uint8Array; counter: number; expiresAt: number; tag: Uint8Array }
  | { kind: 'sessionInfoTag'; tag: Uint8Array }
  | { kind: 'hmacPersonalized'; epoch?: Uint8Array; counter: number; expiresAt: number; tag: Uint8Array }
  | { kind: 'aesGcmResponse'; nonce: Uint8Array; counter: number; tag: Uint8Array };

export interface SignatureData {
  signerIdentity?: KeyIdentity;
  body?: SignatureBody;
}

export interface SessionInfo {
  counter: number;
  publicKey: Uint8Array;
  epoch: Uint8Array;
  clockTime: number;
  status: number;
  handle: number;
}

const EMPTY = new Uint8Array(0);

function writeIfBytes(w: ProtoWriter, field: number, value: Uint8Array | undefined): void {
  if (value !== undefined && value.length > 0) w.bytesField(field, value);
}

function writeIfNonZero(w: ProtoWriter, field: number, value: number, kind: 'uint32' | 'fixed32' | 'enum'): void {
  if (value === 0) return;
  if (kind === 'uint32') w.uint32(field, value);
  else if (kind === 'fixed32') w.fixed32(field, value);
  else w.enum(field, value);
}

function encodeBody(body: SignatureBody): { field: number; bytes: Uint8Array } {
  const w = new ProtoWriter();
  switch (body.kind) {
    case 'aesGcmPersonalized':
      writeIfBytes(w, 1, body.epoch);
      writeIfBytes(w, 2, body.nonce);
      writeIfNonZero(w, 3, body.counter, 'uint32');
      writeIfNonZero(w, 4, body.expiresAt, 'fixed32');
      writeIfBytes(w, 5, body.tag);
      return { field: 5, bytes: w.finish() };
    case 'sessionInfoTag':
      writeIfBytes(w, 1, body.tag);
      return { field: 6, bytes: w.finish() };
    case 'hmacPersonalized':
      writeIfBytes(w, 1, body.epoch);
      writeIfNonZero(w, 2, body.counter, 'uint32');
      writeIfNonZero(w, 3, body.expiresAt, 'fixed32');
      writeIfBytes(w, 4, body.tag);
      return { field: 8, bytes: w.finish() };
    case 'aesGcmResponse':
      writeIfBytes(w, 1, body.nonce);
      writeIfNonZero(w, 2, body.counter, 'uint32');
      writeIfBytes(w, 3, body.tag);
      return { field: 9, bytes: w.finish() };
  }
}

export function encodeSignatureData(data: SignatureData): Uint8Array {
  const w = new ProtoWriter();
  if (data.signerIdentity) {
    const identity = new ProtoWriter();
    // identity_type is a oneof: written even when empty or zero (§9.1).
    if ('publicKey' in data.signerIdentity) identity.bytesField(1, data.signerIdentity.publicKey);
    else if ('handle' in data.signerIdentity) identity.uint32(3, data.signerIdentity.handle);
    w.message(1, identity);
  }
  if (data.body) {
    const { field, bytes } = encodeBody(data.body);
    w.message(field, bytes);
  }
  return w.finish();
}

export function decodeSignatureData(bytes: Uint8Array): SignatureData {
  const m = ProtoMessage.parse(bytes);
  const out: SignatureData = {};
  const identity = m.message(1);
  if (identity) {
    const which = identity.oneof([1, 3]);
    out.signerIdentity = which === 1 ? { publicKey: identity.bytes(1) ?? EMPTY } : which === 3 ? { handle: identity.uint32(3) } : { unknown: true };
  }
  const kind = m.oneof([5, 6, 8, 9]);
  const body = kind === undefined ? undefined : m.message(kind);
  if (body) {
    switch (kind) {
      case 5: {
        const epoch = body.bytes(1);
        out.body = { kind: 'aesGcmPersonalized', ...(epoch ? { epoch } : {}), nonce: body.bytes(2) ?? EMPTY, counter: body.uint32(3), expiresAt: body.fixed32(4), tag: body.bytes(5) ?? EMPTY };
        break;
      }
      case 6:
        out.body = { kind: 'sessionInfoTag', tag: body.bytes(1) ?? EMPTY };
        break;
      case 8: {
        const epoch = body.bytes(1);
        out.body = { kind: 'hmacPersonalized', ...(epoch ? { epoch } : {}), counter: body.uint32(2), expiresAt: body.fixed32(3), tag: body.bytes(4) ?? EMPTY };
        break;
      }
      case 9:
        out.body = { kind: 'aesGcmResponse', nonce: body.bytes(1) ?? EMPTY, counter: body.uint32(2), tag: body.bytes(3) ?? EMPTY };
        break;
      default:
        throw new ProtobufError(`unexpected signature type field ${String(kind)}`);
    }
  }
  return out;
}

export function encodeSessionInfo(info: SessionInfo): Uint8Array {
  const w = new ProtoWriter();
  writeIfNonZero(w, 1, info.counter, 'uint32');
  writeIfBytes(w, 2, info.publicKey);
  writeIfBytes(w, 3, info.epoch);
  writeIfNonZero(w, 4, info.clockTime, 'fixed32');
  writeIfNonZero(w, 5, info.status, 'enum');
  writeIfNonZero(w, 6, info.handle, 'uint32');
  return w.finish();
}

export function decodeSessionInfo(bytes: Uint8Array): SessionInfo {
  const m = ProtoMessage.parse(bytes);
  return {
    counter: m.uint32(1),
    publicKey: m.bytes(2) ?? EMPTY,
    epoch: m.bytes(3) ?? EMPTY,
    clockTime: m.fixed32(4),
    status: m.enum(5),
    handle: m.uint32(6),
  };
}
