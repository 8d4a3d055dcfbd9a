import { ProtoMessage, ProtoWriter } from '../protobuf.js';

/**
 * Application-level replies (vehicle-command-protocol.md §7.4): CarServer.Response from
 * Infotainment, VCSEC.FromVCSECMessage from vehicle security. Encoders are for the simulator.
 */

export type ActionOutcome = { kind: 'ok'; reason: string } | { kind: 'refused'; reason: string } | { kind: 'wait' };

/** CarServer's own OperationStatus_E: ERROR is 1 here (the universal enum has 2). */
const CARSERVER_ERROR = 1;
const VCSEC_WAIT = 1;
const VCSEC_ERROR = 2;

/** Errors.GenericError_E, in the words of Tesla's REST reasons. */
export const GENERIC_ERRORS = ['none', 'unknown', 'closures_open', 'already_on', 'disabled_for_user_command', 'vehicle_not_in_park', 'unauthorized', 'not_allowed_over_transport'] as const;

export function encodeCarServerResponse(ok: boolean, reason: string): Uint8Array {
  const status = new ProtoWriter();
  if (!ok) status.enum(1, CARSERVER_ERROR);
  if (reason !== '') status.message(2, new ProtoWriter().string(1, reason));
  return new ProtoWriter().message(1, status).finish();
}

export function decodeCarServerResponse(bytes: Uint8Array): ActionOutcome {
  const response = ProtoMessage.parse(bytes);
  const status = response.message(1);
  // No actionStatus at all: nothing went wrong that the car chose to say.
  if (!status) return { kind: 'ok', reason: '' };
  const reason = status.message(2)?.string(1) ?? '';
  return status.enum(1) === CARSERVER_ERROR ? { kind: 'refused', reason: reason || 'the car refused without a reason' } : { kind: 'ok', reason };
}

/** Success is an empty message; a refusal is nominalError with the closest generic error. */
export function encodeVcsecResponse(ok: boolean, reason: string): Uint8Array {
  if (ok) return new Uint8Array(0);
  const index = GENERIC_ERRORS.indexOf(reason as (typeof GENERIC_ERRORS)[number]);
  return new ProtoWriter().message(46, new ProtoWriter().enum(1, index > 0 ? index : 1)).finish();
}

export function decodeVcsecResponse(bytes: Uint8Array): ActionOutcome {
  const message = ProtoMessage.parse(bytes);
  const nominal = message.message(46);
  if (nominal) {
    const code = nominal.enum(1);
    return { kind: 'refused', reason: GENERIC_ERRORS[code] ?? `generic error ${code}` };
  }
  const status = message.message(4);
  if (status) {
    const operation = status.enum(1);
    if (operation === VCSEC_WAIT) return { kind: 'wait' };
    // ERROR is legacy; upstream waits for something more specific, which Fleet never relays.
    if (operation === VCSEC_ERROR) return { kind: 'refused', reason: 'the vehicle security controller reported an error' };
  }
  return { kind: 'ok', reason: '' };
}
