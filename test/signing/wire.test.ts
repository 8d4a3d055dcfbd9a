import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Domain, RoutableMessageSchema } from '../../src/gen/vcp/universal_message_pb.js';
import { decodeInfotainmentAction, decodeVcsecMessage } from '../../src/simulator/vcp/payload-decode.js';
import { decodeRoutableMessage, encodeRoutableMessage } from '../../src/signing/routable-message.js';
import { decode, encode, ProtobufError } from '../../src/signing/wire.js';
import { hex, named, toHex, VECTORS } from './vectors.js';

/** The generated-schema codec at the edges: what proto3 keeps, and what hostile bytes do. */
describe('VCP wire codec', () => {
  it('writes a oneof member set to zero and an empty message, and leaves plain zero scalars out', () => {
    const bytes = encode(RoutableMessageSchema, {
      toDestination: { subDestination: { case: 'domain', value: Domain.BROADCAST } },
      signedMessageStatus: {},
      flags: 0,
    });
    assert.equal(toHex(bytes), '3202080062' + '00');
  });

  it('throws ProtobufError, naming the message, for truncated and malformed bytes', () => {
    const valid = hex(named(VECTORS.full_routable_messages, 'protocol_md_tx_list_keys').hex);
    for (const bad of [valid.subarray(0, valid.length - 1), Buffer.from('ff', 'hex'), Buffer.from('3208', 'hex'), Buffer.from('a2030100', 'hex')]) {
      assert.throws(
        () => decodeRoutableMessage(bad),
        (error: unknown) => error instanceof ProtobufError && /UniversalMessage\.RoutableMessage/.test(error.message),
        toHex(bad),
      );
    }
    assert.throws(() => decodeInfotainmentAction(Buffer.from('12', 'hex')), ProtobufError);
    assert.throws(() => decodeVcsecMessage(Buffer.from('22ff', 'hex')), ProtobufError);
  });

  it('skips fields it has no declaration for and still reads the rest', () => {
    const valid = hex(named(VECTORS.full_routable_messages, 'protocol_md_tx_list_keys').hex);
    // Field 99 = 7 (key 98 06, a varint) appended: unknown to the schema.
    const extended = Buffer.concat([valid, Buffer.from('980607', 'hex')]);
    const plain = decodeRoutableMessage(valid);
    assert.deepEqual(decodeRoutableMessage(extended), plain);
    assert.deepEqual(
      decode(RoutableMessageSchema, extended).$unknown?.map((u) => u.no),
      [99],
    );
    assert.equal(toHex(encodeRoutableMessage(decodeRoutableMessage(extended))), toHex(encodeRoutableMessage(plain)));
  });

  it('reads an unknown action member as unknown, not as an error', () => {
    // Action { vehicleAction { field 200: empty } }: a member newer than the schema.
    assert.deepEqual(decodeInfotainmentAction(Buffer.from('12' + '03' + 'c20c00', 'hex')).kind, 'unknown');
  });
});
