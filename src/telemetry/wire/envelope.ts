import { Builder, ByteBuffer } from 'flatbuffers';
import { FlatbuffersEnvelope } from '../../gen/flatbuffers/tesla/flatbuffers-envelope.js';
import { FlatbuffersStream } from '../../gen/flatbuffers/tesla/flatbuffers-stream.js';
import { FlatbuffersStreamAck } from '../../gen/flatbuffers/tesla/flatbuffers-stream-ack.js';
import { Message } from '../../gen/flatbuffers/tesla/message.js';
import { rootPosition, tableInBounds } from './table-check.js';

/**
 * The Fleet Telemetry frame: one FlatBuffers envelope per binary WebSocket message
 * (schemas/flatbuffers/telemetry_envelope.fbs, docs/telemetry-wire.md). Decoding never trusts the
 * bytes: anything that is not a well-formed envelope is a `malformed` result, never an exception.
 */

/** What identifies a message to the car: echoed in the ack so the car can drop it from its buffer. */
export interface MessageRef {
  txid: Uint8Array;
  topic: string;
  messageId: Uint8Array;
}

export interface StreamFrame extends MessageRef {
  kind: 'stream';
  /** Seconds since the epoch, when the car recorded the message. */
  createdAt: number;
  senderId: string;
  deviceType: string;
  deviceId: string;
  deliveredAtMs: number;
  payload: Uint8Array;
}

export type Frame =
  | StreamFrame
  | (MessageRef & { kind: 'ack' })
  /** A record type this receiver does not know: still acked, so the car stops resending it. */
  | (MessageRef & { kind: 'unknown'; type: number })
  | { kind: 'malformed'; reason: string };

const TEXT = new TextDecoder('utf-8', { fatal: false });
const ENCODE = new TextEncoder();
/** Bounds what a car can make the receiver keep per message (topic, ids). */
const MAX_ID_BYTES = 256;

function copy(view: Uint8Array | null): Uint8Array {
  return view ? Uint8Array.from(view) : new Uint8Array(0);
}

function readRef(envelope: FlatbuffersEnvelope): MessageRef | string {
  const txid = copy(envelope.txidArray());
  const topicBytes = envelope.topicArray();
  const messageId = copy(envelope.messageIdArray());
  if (txid.length > MAX_ID_BYTES || messageId.length > MAX_ID_BYTES) return 'identifier too long';
  if (topicBytes && topicBytes.length > 64) return 'topic too long';
  return { txid, topic: topicBytes ? TEXT.decode(topicBytes) : '', messageId };
}

function readStream(bb: ByteBuffer, envelope: FlatbuffersEnvelope, ref: MessageRef): Frame {
  const stream = envelope.message(new FlatbuffersStream()) as FlatbuffersStream | null;
  if (!stream || !tableInBounds(bb, stream.bb_pos)) return { kind: 'malformed', reason: 'stream table out of bounds' };
  const delivered = stream.deliveredAtEpochMs();
  return {
    kind: 'stream',
    ...ref,
    createdAt: stream.createdAt(),
    senderId: TEXT.decode(stream.senderIdArray() ?? new Uint8Array(0)).slice(0, MAX_ID_BYTES),
    deviceType: TEXT.decode(stream.deviceTypeArray() ?? new Uint8Array(0)).slice(0, MAX_ID_BYTES),
    deviceId: TEXT.decode(stream.deviceIdArray() ?? new Uint8Array(0)).slice(0, MAX_ID_BYTES),
    deliveredAtMs: delivered > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(delivered),
    payload: copy(stream.payloadArray()),
  };
}

export function decodeFrame(bytes: Uint8Array): Frame {
  try {
    const bb = new ByteBuffer(bytes);
    const root = rootPosition(bb);
    if (root === undefined || !tableInBounds(bb, root)) return { kind: 'malformed', reason: 'not a FlatBuffers envelope' };
    const envelope = FlatbuffersEnvelope.getRootAsFlatbuffersEnvelope(bb);
    const ref = readRef(envelope);
    if (typeof ref === 'string') return { kind: 'malformed', reason: ref };
    const type = envelope.messageType();
    if (type === Message.FlatbuffersStream) return readStream(bb, envelope, ref);
    if (type === Message.FlatbuffersStreamAck) return { kind: 'ack', ...ref };
    return { kind: 'unknown', type, ...ref };
  } catch (error) {
    // A vector pointing outside the frame: the typed-array view refuses it.
    return { kind: 'malformed', reason: error instanceof RangeError ? 'vector out of bounds' : 'undecodable envelope' };
  }
}

function finishEnvelope(builder: Builder, ref: MessageRef, type: Message, message: number): Uint8Array {
  const txid = FlatbuffersEnvelope.createTxidVector(builder, ref.txid);
  const topic = FlatbuffersEnvelope.createTopicVector(builder, ENCODE.encode(ref.topic));
  const messageId = FlatbuffersEnvelope.createMessageIdVector(builder, ref.messageId);
  FlatbuffersEnvelope.startFlatbuffersEnvelope(builder);
  FlatbuffersEnvelope.addTxid(builder, txid);
  FlatbuffersEnvelope.addTopic(builder, topic);
  FlatbuffersEnvelope.addMessageType(builder, type);
  FlatbuffersEnvelope.addMessage(builder, message);
  FlatbuffersEnvelope.addMessageId(builder, messageId);
  builder.finish(FlatbuffersEnvelope.endFlatbuffersEnvelope(builder));
  return builder.asUint8Array();
}

/** The ack for one message: an envelope with an empty StreamAck echoing txid, topic and message id. */
export function encodeAck(ref: MessageRef): Uint8Array {
  const builder = new Builder(64 + ref.txid.length + ref.messageId.length);
  FlatbuffersStreamAck.startFlatbuffersStreamAck(builder);
  const ack = FlatbuffersStreamAck.endFlatbuffersStreamAck(builder);
  return finishEnvelope(builder, ref, Message.FlatbuffersStreamAck, ack);
}

export interface OutgoingStream extends MessageRef {
  createdAt: number;
  senderId: string;
  deviceType: string;
  deviceId: string;
  deliveredAtMs: number;
  payload: Uint8Array;
}

/** A stream message as a car sends it (the simulator's car, and tests). */
export function encodeStream(message: OutgoingStream): Uint8Array {
  const builder = new Builder(128 + message.payload.length);
  const senderId = FlatbuffersStream.createSenderIdVector(builder, ENCODE.encode(message.senderId));
  const payload = FlatbuffersStream.createPayloadVector(builder, message.payload);
  const deviceType = FlatbuffersStream.createDeviceTypeVector(builder, ENCODE.encode(message.deviceType));
  const deviceId = FlatbuffersStream.createDeviceIdVector(builder, ENCODE.encode(message.deviceId));
  const stream = FlatbuffersStream.createFlatbuffersStream(builder, message.createdAt, senderId, payload, deviceType, deviceId, BigInt(message.deliveredAtMs));
  return finishEnvelope(builder, message, Message.FlatbuffersStream, stream);
}

/** The words Tesla's server answers a frame it cannot read with. */
export const INCORRECT_FORMAT = 'incorrect message format';

/**
 * The error reply: like Tesla's server, a stream message without topic that echoes the txid and
 * carries the text as its payload.
 */
export function encodeError(txid: Uint8Array, text = INCORRECT_FORMAT): Uint8Array {
  return encodeStream({
    txid,
    topic: '',
    messageId: new Uint8Array(0),
    createdAt: 0,
    senderId: '',
    deviceType: '',
    deviceId: '',
    deliveredAtMs: 0,
    payload: ENCODE.encode(text),
  });
}
