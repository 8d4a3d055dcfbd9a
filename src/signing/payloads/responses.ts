import { OperationStatus_E as CarServerStatus, ResponseSchema } from '../../gen/vcp/car_server_pb.js';
import { GenericError_E } from '../../gen/vcp/errors_pb.js';
import { FromVCSECMessageSchema, OperationStatus_E as VcsecStatus } from '../../gen/vcp/vcsec_pb.js';
import { decode, encode } from '../wire.js';

/**
 * Application-level replies: CarServer.Response from Infotainment, VCSEC.FromVCSECMessage from
 * vehicle security, through the generated schemas. Encoders are for the simulator.
 */

export type ActionOutcome = { kind: 'ok'; reason: string } | { kind: 'refused'; reason: string } | { kind: 'wait' };

const GENERIC_PREFIX = 'GENERICERROR_';

/** Errors.GenericError_E in the words of Tesla's REST reasons: GENERICERROR_CLOSURES_OPEN is closures_open. */
function genericReason(code: number): string {
  const name: unknown = Number.isInteger(code) ? GenericError_E[code] : undefined;
  return typeof name === 'string' ? name.slice(GENERIC_PREFIX.length).toLowerCase() : `generic error ${code}`;
}

const GENERIC_BY_REASON: ReadonlyMap<string, GenericError_E> = new Map(
  Object.values(GenericError_E)
    .filter((value): value is GenericError_E => typeof value === 'number')
    .map((code) => [genericReason(code), code]),
);

export function encodeCarServerResponse(ok: boolean, reason: string): Uint8Array {
  return encode(ResponseSchema, {
    actionStatus: {
      result: ok ? CarServerStatus.OPERATIONSTATUS_OK : CarServerStatus.OPERATIONSTATUS_ERROR,
      ...(reason !== '' ? { resultReason: { reason: { case: 'plainText', value: reason } } } : {}),
    },
  });
}

export function decodeCarServerResponse(bytes: Uint8Array): ActionOutcome {
  const status = decode(ResponseSchema, bytes).actionStatus;
  // No actionStatus at all: nothing went wrong that the car chose to say.
  if (!status) return { kind: 'ok', reason: '' };
  const reason = status.resultReason?.reason.case === 'plainText' ? status.resultReason.reason.value : '';
  return status.result === CarServerStatus.OPERATIONSTATUS_ERROR
    ? { kind: 'refused', reason: reason || 'the car refused without a reason' }
    : { kind: 'ok', reason };
}

/** Success is an empty message; a refusal is nominalError with the closest generic error. */
export function encodeVcsecResponse(ok: boolean, reason: string): Uint8Array {
  if (ok) return new Uint8Array(0);
  const code = GENERIC_BY_REASON.get(reason);
  const genericError = code === undefined || code === GenericError_E.GENERICERROR_NONE ? GenericError_E.GENERICERROR_UNKNOWN : code;
  return encode(FromVCSECMessageSchema, { subMessage: { case: 'nominalError', value: { genericError } } });
}

export function decodeVcsecResponse(bytes: Uint8Array): ActionOutcome {
  const message = decode(FromVCSECMessageSchema, bytes).subMessage;
  if (message.case === 'nominalError') return { kind: 'refused', reason: genericReason(message.value.genericError) };
  if (message.case === 'commandStatus') {
    const operation = message.value.operationStatus;
    if (operation === VcsecStatus.OPERATIONSTATUS_WAIT) return { kind: 'wait' };
    // ERROR is legacy; upstream waits for something more specific, which Fleet never relays.
    if (operation === VcsecStatus.OPERATIONSTATUS_ERROR) return { kind: 'refused', reason: 'the vehicle security controller reported an error' };
  }
  return { kind: 'ok', reason: '' };
}
