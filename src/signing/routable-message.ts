import { ProtoMessage, ProtoWriter } from './protobuf.js';
import { decodeSignatureData, encodeSignatureData, type SignatureData } from './signature-data.js';

/** UniversalMessage.RoutableMessage (vehicle-command-protocol.md §2.1). */

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

const EMPTY = new Uint8Array(0);

function encodeDestination(destination: Destination): Uint8Array {
  const w = new ProtoWriter();
  // A oneof: domain 0 (broadcast) is still written (§9.1).
  if ('domain' in destination) w.enum(1, destination.domain);
  else w.bytesField(2, destination.routingAddress);
  return w.finish();
}

function decodeDestination(m: ProtoMessage): Destination | undefined {
  const which = m.oneof([1, 2]);
  if (which === 1) return { domain: m.enum(1) };
  if (which === 2) return { routingAddress: m.bytes(2) ?? EMPTY };
  return undefined;
}

/** Fields in ascending number order, the order the official vectors were serialized in. */
export function encodeRoutableMessage(message: RoutableMessage): Uint8Array {
  const w = new ProtoWriter();
  if (message.toDestination) w.message(6, encodeDestination(message.toDestination));
  if (message.fromDestination) w.message(7, encodeDestination(message.fromDestination));
  const payload = message.payload;
  if (payload?.kind === 'protobuf') w.bytesField(10, payload.bytes);
  if (message.signedMessageStatus) {
    const status = new ProtoWriter();
    if (message.signedMessageStatus.operationStatus !== 0) status.enum(1, message.signedMessageStatus.operationStatus);
    if (message.signedMessageStatus.signedMessageFault !== 0) status.enum(2, message.signedMessageStatus.signedMessageFault);
    w.message(12, status);
  }
  if (message.signatureData) w.message(13, encodeSignatureData(message.signatureData));
  if (payload?.kind === 'sessionInfoRequest') {
    const request = new ProtoWriter();
    if (payload.publicKey.length > 0) request.bytesField(1, payload.publicKey);
    if (payload.challenge && payload.challenge.length > 0) request.bytesField(2, payload.challenge);
    w.message(14, request);
  }
  if (payload?.kind === 'sessionInfo') w.bytesField(15, payload.bytes);
  if (message.requestUuid && message.requestUuid.length > 0) w.bytesField(50, message.requestUuid);
  if (message.uuid && message.uuid.length > 0) w.bytesField(51, message.uuid);
  if (message.flags !== undefined && message.flags !== 0) w.uint32(52, message.flags);
  return w.finish();
}

/** Decodes a RoutableMessage; unknown fields are skipped, malformed bytes throw ProtobufError. */
export function decodeRoutableMessage(bytes: Uint8Array): RoutableMessage {
  const m = ProtoMessage.parse(bytes);
  const out: RoutableMessage = {};
  const to = m.message(6);
  const from = m.message(7);
  const toDestination = to ? decodeDestination(to) : undefined;
  const fromDestination = from ? decodeDestination(from) : undefined;
  if (toDestination) out.toDestination = toDestination;
  if (fromDestination) out.fromDestination = fromDestination;
  switch (m.oneof([10, 14, 15])) {
    case 10:
      out.payload = { kind: 'protobuf', bytes: m.bytes(10) ?? EMPTY };
      break;
    case 14: {
      const request = m.message(14);
      const challenge = request?.bytes(2);
      out.payload = { kind: 'sessionInfoRequest', publicKey: request?.bytes(1) ?? EMPTY, ...(challenge ? { challenge } : {}) };
      break;
    }
    case 15:
      out.payload = { kind: 'sessionInfo', bytes: m.bytes(15) ?? EMPTY };
      break;
    default:
      break;
  }
  const status = m.message(12);
  if (status) out.signedMessageStatus = { operationStatus: status.enum(1), signedMessageFault: status.enum(2) };
  if (m.has(13)) out.signatureData = decodeSignatureData(m.bytes(13) ?? EMPTY);
  const requestUuid = m.bytes(50);
  const uuid = m.bytes(51);
  if (requestUuid) out.requestUuid = requestUuid;
  if (uuid) out.uuid = uuid;
  if (m.has(52)) out.flags = m.uint32(52);
  return out;
}
