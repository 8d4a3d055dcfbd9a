import type { MessageInitShape } from '@bufbuild/protobuf';
import { type ClosureMoveRequestSchema, ClosureMoveType_E, RKEAction_E, UnsignedMessageSchema } from '../../gen/vcp/vcsec_pb.js';
import { encode } from '../wire.js';

/** VCSEC.UnsignedMessage payloads for the vehicle-security domain, through the generated schema. */

export { ClosureMoveType_E, RKEAction_E };

/** A closure of ClosureMoveRequest (frontTrunk, rearTrunk, chargePort, ...). */
export type Closure = Exclude<keyof MessageInitShape<typeof ClosureMoveRequestSchema>, '$typeName'>;

export const vcsec = {
  /** RKEAction is a oneof member: UNLOCK (0) is still written. */
  rke: (action: RKEAction_E): Uint8Array => encode(UnsignedMessageSchema, { subMessage: { case: 'RKEAction', value: action } }),
  closureMove: (closure: Closure, move: ClosureMoveType_E): Uint8Array =>
    encode(UnsignedMessageSchema, { subMessage: { case: 'closureMoveRequest', value: { [closure]: move } } }),
};
