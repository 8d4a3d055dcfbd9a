import type { MessageInitShape } from '@bufbuild/protobuf';
import { type SignatureData as WireSignatureData, type SignatureDataSchema, SessionInfoSchema } from '../gen/vcp/signatures_pb.js';
import { decode, encode } from './wire.js';

/**
 * Signatures.SignatureData and Signatures.SessionInfo as the signer and the simulated car read
 * them: the signature as a tagged union of its four kinds. Bytes go through the generated schema.
 */

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

type Init = MessageInitShape<typeof SignatureDataSchema>;

const EMPTY = new Uint8Array(0);

function identityInit(identity: KeyIdentity): NonNullable<Init['signerIdentity']> {
  // identity_type is a oneof: a member that is set is written even when empty or zero.
  if ('publicKey' in identity) return { identityType: { case: 'publicKey', value: identity.publicKey } };
  if ('handle' in identity) return { identityType: { case: 'handle', value: identity.handle } };
  return {};
}

function bodyInit(body: SignatureBody): NonNullable<Init['sigType']> {
  switch (body.kind) {
    case 'aesGcmPersonalized':
      return {
        case: 'AESGCMPersonalizedData',
        value: { epoch: body.epoch ?? EMPTY, nonce: body.nonce, counter: body.counter, expiresAt: body.expiresAt, tag: body.tag },
      };
    case 'sessionInfoTag':
      return { case: 'sessionInfoTag', value: { tag: body.tag } };
    case 'hmacPersonalized':
      return { case: 'HMACPersonalizedData', value: { epoch: body.epoch ?? EMPTY, counter: body.counter, expiresAt: body.expiresAt, tag: body.tag } };
    case 'aesGcmResponse':
      return { case: 'AESGCMResponseData', value: { nonce: body.nonce, counter: body.counter, tag: body.tag } };
  }
}

/** What routable-message.ts hands to the generated RoutableMessage. */
export function signatureDataInit(data: SignatureData): Init {
  return {
    ...(data.signerIdentity ? { signerIdentity: identityInit(data.signerIdentity) } : {}),
    ...(data.body ? { sigType: bodyInit(data.body) } : {}),
  };
}

function readIdentity(identity: NonNullable<WireSignatureData['signerIdentity']>): KeyIdentity {
  const which = identity.identityType;
  if (which.case === 'publicKey') return { publicKey: which.value };
  if (which.case === 'handle') return { handle: which.value };
  return { unknown: true };
}

function readBody(sigType: WireSignatureData['sigType']): SignatureBody | undefined {
  switch (sigType.case) {
    case 'AESGCMPersonalizedData': {
      const { epoch, nonce, counter, expiresAt, tag } = sigType.value;
      return { kind: 'aesGcmPersonalized', ...(epoch.length > 0 ? { epoch } : {}), nonce, counter, expiresAt, tag };
    }
    case 'sessionInfoTag':
      return { kind: 'sessionInfoTag', tag: sigType.value.tag };
    case 'HMACPersonalizedData': {
      const { epoch, counter, expiresAt, tag } = sigType.value;
      return { kind: 'hmacPersonalized', ...(epoch.length > 0 ? { epoch } : {}), counter, expiresAt, tag };
    }
    case 'AESGCMResponseData': {
      const { nonce, counter, tag } = sigType.value;
      return { kind: 'aesGcmResponse', nonce, counter, tag };
    }
    default:
      return undefined;
  }
}

/** The view of a decoded SignatureData (routable-message.ts decodes the envelope around it). */
export function readSignatureData(data: WireSignatureData): SignatureData {
  const body = readBody(data.sigType);
  return {
    ...(data.signerIdentity ? { signerIdentity: readIdentity(data.signerIdentity) } : {}),
    ...(body ? { body } : {}),
  };
}

export function encodeSessionInfo(info: SessionInfo): Uint8Array {
  return encode(SessionInfoSchema, info);
}

/** The fields of a serialized SessionInfo; malformed bytes throw ProtobufError. */
export function decodeSessionInfo(bytes: Uint8Array): SessionInfo {
  const { counter, publicKey, epoch, clockTime, status, handle } = decode(SessionInfoSchema, bytes);
  return { counter, publicKey, epoch, clockTime, status, handle };
}
