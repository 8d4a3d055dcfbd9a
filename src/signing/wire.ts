import { create, type DescMessage, fromBinary, type MessageInitShape, type MessageShape, toBinary } from '@bufbuild/protobuf';

/**
 * The one way Vehicle Command Protocol messages become bytes and back: the schemas generated from
 * schemas/proto/vcp (src/gen/vcp) through protobuf-es. proto3 rules apply as Tesla's encoder
 * applies them: a plain scalar at its default is left out, a oneof member or an embedded message
 * that is set is written even when zero or empty.
 */

/** Bytes that are not the message they claim to be; the caller answers with a decoding error. */
export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
}

export function encode<D extends DescMessage>(schema: D, init: MessageInitShape<D>): Uint8Array {
  return toBinary(schema, create(schema, init));
}

/** Unknown fields are kept out of the way; malformed bytes throw ProtobufError. */
export function decode<D extends DescMessage>(schema: D, bytes: Uint8Array): MessageShape<D> {
  try {
    return fromBinary(schema, bytes);
  } catch (error) {
    if (error instanceof Error) throw new ProtobufError(`not a ${schema.typeName} (${error.message})`);
    throw error;
  }
}
