import { type Domain, Flags, MessageFault_E } from '../gen/vcp/universal_message_pb.js';

/**
 * The enums of the Vehicle Command Protocol, as generated from schemas/proto/vcp, and the few
 * things said about them in words.
 */

export { Domain, Flags, MessageFault_E, OperationStatus_E } from '../gen/vcp/universal_message_pb.js';
export { Session_Info_Status, SignatureType, Tag } from '../gen/vcp/signatures_pb.js';

export { domainName } from './domain-name.js';

export type VcpDomain = Domain.VEHICLE_SECURITY | Domain.INFOTAINMENT;

/** Flags are bit positions: FLAG_ENCRYPT_RESPONSE = 1 is the mask 2 in the flags word. */
export const FLAG_ENCRYPT_RESPONSE = 1 << Flags.FLAG_ENCRYPT_RESPONSE;

const F = MessageFault_E;

/** What each fault means, for a person. Numbers beyond these may come from newer firmware. */
const FAULT_TEXT: ReadonlyMap<number, string> = new Map([
  [F.MESSAGEFAULT_ERROR_BUSY, 'the car is busy'],
  [F.MESSAGEFAULT_ERROR_TIMEOUT, 'the car did not answer in time'],
  [F.MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID, 'the car does not know this key (it is not paired)'],
  [F.MESSAGEFAULT_ERROR_INACTIVE_KEY, 'the key is disabled on the car'],
  [F.MESSAGEFAULT_ERROR_INVALID_SIGNATURE, 'the signature did not verify'],
  [F.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER, 'the counter was reused or out of order'],
  [F.MESSAGEFAULT_ERROR_INSUFFICIENT_PRIVILEGES, 'the key may not do this, or the car is in a state that forbids it'],
  [F.MESSAGEFAULT_ERROR_INVALID_DOMAINS, 'the message went to a domain the car does not have'],
  [F.MESSAGEFAULT_ERROR_INVALID_COMMAND, 'the car does not know this command (older firmware?)'],
  [F.MESSAGEFAULT_ERROR_DECODING, 'the car could not decode the command'],
  [F.MESSAGEFAULT_ERROR_INTERNAL, 'the car had an internal error (often still booting)'],
  [F.MESSAGEFAULT_ERROR_WRONG_PERSONALIZATION, 'the command was signed for another VIN'],
  [F.MESSAGEFAULT_ERROR_BAD_PARAMETER, 'the command has a malformed parameter'],
  [F.MESSAGEFAULT_ERROR_KEYCHAIN_IS_FULL, "the car's keychain is full"],
  [F.MESSAGEFAULT_ERROR_INCORRECT_EPOCH, 'the session expired (the car restarted)'],
  [F.MESSAGEFAULT_ERROR_IV_INCORRECT_LENGTH, 'the nonce length is wrong'],
  [F.MESSAGEFAULT_ERROR_TIME_EXPIRED, 'the command expired before it reached the car'],
  [F.MESSAGEFAULT_ERROR_NOT_PROVISIONED_WITH_IDENTITY, 'the car has no VIN provisioned'],
  [F.MESSAGEFAULT_ERROR_COULD_NOT_HASH_METADATA, 'the car could not hash the metadata'],
  [F.MESSAGEFAULT_ERROR_TIME_TO_LIVE_TOO_LONG, "the command's expiry is too far in the future"],
  [F.MESSAGEFAULT_ERROR_REMOTE_ACCESS_DISABLED, 'mobile access is turned off in the car'],
  [F.MESSAGEFAULT_ERROR_REMOTE_SERVICE_ACCESS_DISABLED, 'a service key was used remotely without permission'],
  [F.MESSAGEFAULT_ERROR_COMMAND_REQUIRES_ACCOUNT_CREDENTIALS, 'this command must come through the Fleet API with account credentials'],
  [F.MESSAGEFAULT_ERROR_REQUEST_MTU_EXCEEDED, 'a field of the command is too large'],
  [F.MESSAGEFAULT_ERROR_RESPONSE_MTU_EXCEEDED, 'the reply was too large (the command may have been carried out)'],
  [F.MESSAGEFAULT_ERROR_REPEATED_COUNTER, 'the counter was repeated'],
  [F.MESSAGEFAULT_ERROR_INVALID_KEY_HANDLE, 'the key handle is not valid'],
  [F.MESSAGEFAULT_ERROR_REQUIRES_RESPONSE_ENCRYPTION, 'the car requires encrypted replies for this command'],
]);

/** The fault's meaning and Tesla's name for it (a number for one this schema does not know). */
export function describeFault(fault: number): string {
  const name: unknown = Number.isInteger(fault) ? F[fault] : undefined;
  return `${FAULT_TEXT.get(fault) ?? 'an unknown protocol fault'} (${typeof name === 'string' ? name : `fault ${fault}`})`;
}
