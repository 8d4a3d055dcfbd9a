import type { SessionInfo } from './signature-data.js';
import { commandHmacKey, EPOCH_LENGTH, PUBLIC_KEY_LENGTH, sameBytes } from './vcp-crypto.js';

/**
 * One domain's session as the client keeps it: the
 * car's key, epoch and last used counter, and where the car's clock stood against ours.
 */
export interface DomainSession {
  vehiclePublicKey: Uint8Array;
  epoch: Uint8Array;
  /** The last counter used (the next command uses counter + 1). */
  counter: number;
  /** The newest clock_time accepted in this epoch; older session info is ignored. */
  clockTime: number;
  /** Our clock (ms) at the car's domain clock 0. */
  timeZeroMs: number;
  sharedKey: Buffer;
  commandKey: Buffer;
}

export class SessionInfoRejected extends Error {
  override readonly name = 'SessionInfoRejected';
}

const MAX_COUNTER = 0xffff_ffff;

/** A new session from authenticated SessionInfo received at `nowMs`. */
export function sessionFromInfo(info: SessionInfo, sharedKey: Buffer, nowMs: number): DomainSession {
  checkShape(info);
  return {
    vehiclePublicKey: info.publicKey,
    epoch: info.epoch,
    counter: info.counter,
    clockTime: info.clockTime,
    timeZeroMs: nowMs - info.clockTime * 1000,
    sharedKey,
    commandKey: commandHmacKey(sharedKey),
  };
}

/**
 * Applies authenticated SessionInfo attached to a fault. Same epoch: the clock may not
 * go back and the counter never goes down. New epoch (the car restarted): its counter and
 * clock are taken as they are. A different vehicle key is refused.
 */
export function updateSession(session: DomainSession, info: SessionInfo, nowMs: number): DomainSession {
  checkShape(info);
  if (!sameBytes(info.publicKey, session.vehiclePublicKey)) throw new SessionInfoRejected("the session info carries another vehicle key than the session's");
  const sameEpoch = sameBytes(info.epoch, session.epoch);
  if (sameEpoch && info.clockTime < session.clockTime)
    throw new SessionInfoRejected(`the session info is older than the one in use (clock ${info.clockTime} < ${session.clockTime})`);
  return {
    ...session,
    epoch: info.epoch,
    counter: sameEpoch ? Math.max(session.counter, info.counter) : info.counter,
    clockTime: info.clockTime,
    timeZeroMs: nowMs - info.clockTime * 1000,
  };
}

/** expires_at for a command signed now that should live `lifetimeMs`. */
export function expiresAt(session: DomainSession, nowMs: number, lifetimeMs: number): number {
  const value = Math.floor((nowMs + lifetimeMs - session.timeZeroMs) / 1000);
  return Math.min(MAX_COUNTER, Math.max(1, value));
}

/** Takes the next counter, or undefined when the epoch is used up (a new handshake is needed). */
export function nextCounter(session: DomainSession): number | undefined {
  return session.counter >= MAX_COUNTER ? undefined : session.counter + 1;
}

function checkShape(info: SessionInfo): void {
  if (info.publicKey.length !== PUBLIC_KEY_LENGTH)
    throw new SessionInfoRejected(`the session info's vehicle key is ${info.publicKey.length} bytes, not ${PUBLIC_KEY_LENGTH}`);
  if (info.epoch.length !== EPOCH_LENGTH) throw new SessionInfoRejected(`the session info's epoch is ${info.epoch.length} bytes, not ${EPOCH_LENGTH}`);
}
