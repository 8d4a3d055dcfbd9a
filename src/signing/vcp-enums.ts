/** Enum values of the Vehicle Command Protocol (vehicle-command-protocol.md §2), as numbers on the wire. */

export const Domain = { BROADCAST: 0, VEHICLE_SECURITY: 2, INFOTAINMENT: 3 } as const;
export type VcpDomain = typeof Domain.VEHICLE_SECURITY | typeof Domain.INFOTAINMENT;

export function domainName(domain: number): string {
  switch (domain) {
    case Domain.VEHICLE_SECURITY:
      return 'vehicle_security';
    case Domain.INFOTAINMENT:
      return 'infotainment';
    default:
      return `domain ${domain}`;
  }
}

export const SignatureType = {
  AES_GCM: 0,
  AES_GCM_PERSONALIZED: 5,
  HMAC: 6,
  HMAC_PERSONALIZED: 8,
  AES_GCM_RESPONSE: 9,
} as const;

export const Tag = {
  SIGNATURE_TYPE: 0,
  DOMAIN: 1,
  PERSONALIZATION: 2,
  EPOCH: 3,
  EXPIRES_AT: 4,
  COUNTER: 5,
  CHALLENGE: 6,
  FLAGS: 7,
  REQUEST_HASH: 8,
  FAULT: 9,
  END: 255,
} as const;

/** Universal OperationStatus_E (CarServer's own enum has ERROR = 1 instead). */
export const OperationStatus = { OK: 0, WAIT: 1, ERROR: 2 } as const;

export const SessionInfoStatus = { OK: 0, KEY_NOT_ON_WHITELIST: 1 } as const;

/** Flags are bit positions (P1): FLAG_ENCRYPT_RESPONSE = 1 is the mask 2. */
export const FLAG_ENCRYPT_RESPONSE_BIT = 1;
export const FLAG_ENCRYPT_RESPONSE = 1 << FLAG_ENCRYPT_RESPONSE_BIT;

/** MessageFault_E (§2.3). Numbers above 28 may appear on newer firmware and are shown as numbers. */
export const MessageFault = {
  NONE: 0,
  BUSY: 1,
  TIMEOUT: 2,
  UNKNOWN_KEY_ID: 3,
  INACTIVE_KEY: 4,
  INVALID_SIGNATURE: 5,
  INVALID_TOKEN_OR_COUNTER: 6,
  INSUFFICIENT_PRIVILEGES: 7,
  INVALID_DOMAINS: 8,
  INVALID_COMMAND: 9,
  DECODING: 10,
  INTERNAL: 11,
  WRONG_PERSONALIZATION: 12,
  BAD_PARAMETER: 13,
  KEYCHAIN_IS_FULL: 14,
  INCORRECT_EPOCH: 15,
  IV_INCORRECT_LENGTH: 16,
  TIME_EXPIRED: 17,
  NOT_PROVISIONED_WITH_IDENTITY: 18,
  COULD_NOT_HASH_METADATA: 19,
  TIME_TO_LIVE_TOO_LONG: 20,
  REMOTE_ACCESS_DISABLED: 21,
  REMOTE_SERVICE_ACCESS_DISABLED: 22,
  COMMAND_REQUIRES_ACCOUNT_CREDENTIALS: 23,
  REQUEST_MTU_EXCEEDED: 24,
  RESPONSE_MTU_EXCEEDED: 25,
  REPEATED_COUNTER: 26,
  INVALID_KEY_HANDLE: 27,
  REQUIRES_RESPONSE_ENCRYPTION: 28,
} as const;

const FAULT_TEXT: Record<number, string> = {
  1: 'the car is busy',
  2: 'the car did not answer in time',
  3: "the car does not know this key (it is not paired)",
  4: 'the key is disabled on the car',
  5: 'the signature did not verify',
  6: 'the counter was reused or out of order',
  7: 'the key may not do this, or the car is in a state that forbids it',
  8: 'the message went to a domain the car does not have',
  9: 'the car does not know this command (older firmware?)',
  10: 'the car could not decode the command',
  11: 'the car had an internal error (often still booting)',
  12: 'the command was signed for another VIN',
  13: 'the command has a malformed parameter',
  14: "the car's keychain is full",
  15: 'the session expired (the car restarted)',
  16: 'the nonce length is wrong',
  17: 'the command expired before it reached the car',
  18: 'the car has no VIN provisioned',
  19: 'the car could not hash the metadata',
  20: "the command's expiry is too far in the future",
  21: 'mobile access is turned off in the car',
  22: 'a service key was used remotely without permission',
  23: 'this command must come through the Fleet API with account credentials',
  24: 'a field of the command is too large',
  25: 'the reply was too large (the command may have been carried out)',
  26: 'the counter was repeated',
  27: 'the key handle is not valid',
  28: 'the car requires encrypted replies for this command',
};

export function describeFault(fault: number): string {
  const name = Object.entries(MessageFault).find(([, value]) => value === fault)?.[0];
  return `${FAULT_TEXT[fault] ?? 'an unknown protocol fault'} (${name ? `MESSAGEFAULT_ERROR_${name}` : `fault ${fault}`})`;
}
