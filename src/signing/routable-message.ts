import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  type Destination as WireDestination,
  type DestinationSchema,
  type RoutableMessage as WireRoutableMessage,
  RoutableMessageSchema,
} from '../gen/vcp/universal_message_pb.js';
import { readSignatureData, type SignatureData, signatureDataInit } from './signature-data.js';
import { decode, encode } from './wire.js';

/**
 * UniversalMessage.RoutableMessage, the envelope of every protocol message, as the signer and the
 * simulated car read it: the payload and the destinations as tagged unions. The bytes always go
 * through the generated schema (wire.ts).
 */

export type Destination = { domain: number } | { routingAddress: Uint8Array };

export interface MessageStatus {
  operationStatus: number;
  signedMessageFault: number;
}

export type RoutablePayload =
  | { kind: 'protobuf'; bytes: Uint8Array }
  | { kind: 'sessionInfoRequest'; publicKey: Uint8Array; challenge?: Uint8Array }
  | { kind: 'sessionInfo'; bytes: Uint8Array };

export interface RoutableMessage {
  toDestination?: Destination;
  fromDestination?: Destination;
  payload?: RoutablePayload;
  signedMessageStatus?: MessageStatus;
  signatureData?: SignatureData;
  requestUuid?: Uint8Array;
  uuid?: Uint8Array;
  flags?: number;
}

type Init = MessageInitShape<typeof RoutableMessageSchema>;
type DestinationInit = MessageInitShape<typeof DestinationSchema>;

const EMPTY = new Uint8Array(0);

function destinationInit(destination: Destination): DestinationInit {
  return 'domain' in destination
    ? { subDestination: { case: 'domain', value: destination.domain } }
    : { subDestination: { case: 'routingAddress', value: destination.routingAddress } };
}

function readDestination(destination: WireDestination | undefined): Destination | undefined {
  switch (destination?.subDestination.case) {
    case 'domain':
      return { domain: destination.subDestination.value };
    case 'routingAddress':
      return { routingAddress: destination.subDestination.value };
    default:
      return undefined;
  }
}

function payloadInit(payload: RoutablePayload | undefined): NonNullable<Init['payload']> {
  switch (payload?.kind) {
    case 'protobuf':
      return { case: 'protobufMessageAsBytes', value: payload.bytes };
    case 'sessionInfoRequest':
      return { case: 'sessionInfoRequest', value: { publicKey: payload.publicKey, challenge: payload.challenge ?? EMPTY } };
    case 'sessionInfo':
      return { case: 'sessionInfo', value: payload.bytes };
    default:
      return { case: undefined };
  }
}

function readPayload(payload: WireRoutableMessage['payload']): RoutablePayload | undefined {
  switch (payload.case) {
    case 'protobufMessageAsBytes':
      return { kind: 'protobuf', bytes: payload.value };
    case 'sessionInfoRequest': {
      const { publicKey, challenge } = payload.value;
      return { kind: 'sessionInfoRequest', publicKey, ...(challenge.length > 0 ? { challenge } : {}) };
    }
    case 'sessionInfo':
      return { kind: 'sessionInfo', bytes: payload.value };
    default:
      return undefined;
  }
}

export function encodeRoutableMessage(message: RoutableMessage): Uint8Array {
  return encode(RoutableMessageSchema, {
    ...(message.toDestination ? { toDestination: destinationInit(message.toDestination) } : {}),
    ...(message.fromDestination ? { fromDestination: destinationInit(message.fromDestination) } : {}),
    payload: payloadInit(message.payload),
    ...(message.signedMessageStatus ? { signedMessageStatus: message.signedMessageStatus } : {}),
    ...(message.signatureData ? { subSigData: { case: 'signatureData', value: signatureDataInit(message.signatureData) } } : {}),
    requestUuid: message.requestUuid ?? EMPTY,
    uuid: message.uuid ?? EMPTY,
    flags: message.flags ?? 0,
  });
}

/** Decodes a RoutableMessage; unknown fields are skipped, malformed bytes throw ProtobufError. */
export function decodeRoutableMessage(bytes: Uint8Array): RoutableMessage {
  const m = decode(RoutableMessageSchema, bytes);
  const toDestination = readDestination(m.toDestination);
  const fromDestination = readDestination(m.fromDestination);
  const payload = readPayload(m.payload);
  const status = m.signedMessageStatus;
  return {
    ...(toDestination ? { toDestination } : {}),
    ...(fromDestination ? { fromDestination } : {}),
    ...(payload ? { payload } : {}),
    ...(status ? { signedMessageStatus: { operationStatus: status.operationStatus, signedMessageFault: status.signedMessageFault } } : {}),
    ...(m.subSigData.case === 'signatureData' ? { signatureData: readSignatureData(m.subSigData.value) } : {}),
    ...(m.requestUuid.length > 0 ? { requestUuid: m.requestUuid } : {}),
    ...(m.uuid.length > 0 ? { uuid: m.uuid } : {}),
    ...(m.flags !== 0 ? { flags: m.flags } : {}),
  };
}
