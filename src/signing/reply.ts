import { decodeRoutableMessage, type RoutableMessage } from './routable-message.js';
import { decodeSessionInfo, type SessionInfo } from './signature-data.js';
import { verifySessionInfoTag } from './signer.js';
import { type EcdhKey, sameBytes, VcpCryptoError } from './vcp-crypto.js';
import { Session_Info_Status } from './vcp-enums.js';
import { ProtobufError } from './wire.js';

/**
 * Reading what a domain sent back: is it the
 * answer to our request, and is the session info in it authentic?
 */

export class ReplyError extends Error {
  override readonly name = 'ReplyError';
}

export interface Sent {
  domain: number;
  routingAddress: Uint8Array;
  uuid: Uint8Array;
}

/** The Fleet API `response` member (base64) as a RoutableMessage addressed to this request. */
export function readReply(response: unknown, sent: Sent): RoutableMessage {
  if (typeof response !== 'string' || response === '') throw new ReplyError('the Fleet API answer carries no signed reply');
  let reply: RoutableMessage;
  try {
    reply = decodeRoutableMessage(Buffer.from(response, 'base64'));
  } catch (error) {
    if (error instanceof ProtobufError) throw new ReplyError(`the car's reply is not a protocol message (${error.message})`);
    throw error;
  }
  const to = reply.toDestination;
  if (!to || !('routingAddress' in to) || !sameBytes(to.routingAddress, sent.routingAddress))
    throw new ReplyError("the reply is not addressed to this request's routing address");
  const from = reply.fromDestination;
  if (!from || !('domain' in from) || from.domain !== sent.domain) throw new ReplyError(`the reply does not come from domain ${sent.domain}`);
  // VCSEC often leaves request_uuid out; when present it must be ours.
  if (reply.requestUuid && reply.requestUuid.length > 0 && !sameBytes(reply.requestUuid, sent.uuid))
    throw new ReplyError('the reply answers another request (request_uuid differs)');
  return reply;
}

export type SessionInfoReading =
  | { kind: 'none' }
  | { kind: 'notPaired' }
  | { kind: 'valid'; info: SessionInfo; sharedKey: Buffer }
  | { kind: 'invalid'; reason: string };

/**
 * Session info in a reply, authenticated with the challenge we sent (the request uuid) over the
 * bytes as received. KEY_NOT_ON_WHITELIST needs no tag: the worst a forger gains is a
 * "not paired" message.
 */
export function readSessionInfo(reply: RoutableMessage, vin: string, challenge: Uint8Array, key: EcdhKey): SessionInfoReading {
  if (reply.payload?.kind !== 'sessionInfo') return { kind: 'none' };
  const bytes = reply.payload.bytes;
  let info: SessionInfo;
  try {
    info = decodeSessionInfo(bytes);
  } catch (error) {
    return { kind: 'invalid', reason: `session info does not decode (${error instanceof Error ? error.message : String(error)})` };
  }
  if (info.status === Session_Info_Status.SESSION_INFO_STATUS_KEY_NOT_ON_WHITELIST) return { kind: 'notPaired' };
  const body = reply.signatureData?.body;
  if (body?.kind !== 'sessionInfoTag') return { kind: 'invalid', reason: 'session info without its authentication tag' };
  let sharedKey: Buffer;
  try {
    sharedKey = key.sharedKey(info.publicKey);
  } catch (error) {
    if (error instanceof VcpCryptoError) return { kind: 'invalid', reason: `session info with an unusable vehicle key (${error.message})` };
    throw error;
  }
  if (!verifySessionInfoTag({ sharedKey, vin, challenge, sessionInfoBytes: bytes, tag: body.tag }))
    return { kind: 'invalid', reason: 'the session info tag does not verify' };
  return { kind: 'valid', info, sharedKey };
}
