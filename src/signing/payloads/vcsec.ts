import { ProtoWriter } from '../protobuf.js';

/** VCSEC.UnsignedMessage payloads for the vehicle-security domain (vehicle-command-protocol.md §9.3). */

export const RkeAction = { UNLOCK: 0, LOCK: 1, REMOTE_DRIVE: 20, AUTO_SECURE_VEHICLE: 29, WAKE_VEHICLE: 30 } as const;

/** ClosureMoveRequest fields. */
export const Closure = {
  frontDriverDoor: 1,
  frontPassengerDoor: 2,
  rearDriverDoor: 3,
  rearPassengerDoor: 4,
  rearTrunk: 5,
  frontTrunk: 6,
  chargePort: 7,
  tonneau: 8,
} as const;

export const ClosureMoveType = { NONE: 0, MOVE: 1, STOP: 2, OPEN: 3, CLOSE: 4 } as const;

export const vcsec = {
  /** RKEAction is a oneof member: UNLOCK (0) is still written as `10 00` (§9.1). */
  rke: (action: number): Uint8Array => new ProtoWriter().enum(2, action).finish(),
  closureMove: (closure: number, move: number): Uint8Array => new ProtoWriter().message(4, new ProtoWriter().enum(closure, move)).finish(),
};
