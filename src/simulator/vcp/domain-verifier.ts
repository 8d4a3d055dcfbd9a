import { commandMetadata } from '../../signing/metadata.js';
import type { RoutableMessage } from '../../signing/routable-message.js';
import { encodeSessionInfo } from '../../signing/signature-data.js';
import { requestHash, sessionInfoTag } from '../../signing/signer.js';
import { aesGcmDecrypt, commandHmacKey, type EcdhKey, GCM_NONCE_LENGTH, hmacSha256, sameBytes, sha256 } from '../../signing/vcp-crypto.js';
import { MessageFault_E, Session_Info_Status, SignatureType, type VcpDomain } from '../../signing/vcp-enums.js';
import { slideWindow } from './sliding-window.js';

/**
 * One domain of a simulated car facing one client key: its
 * epoch, clock, counter and anti-replay window, the session info it hands out, and the checks a
 * signed command passes in the reference verifier's order, so a forged or replayed
 * message never changes anything.
 */

export interface VerifierInit {
  domain: VcpDomain;
  vin: string;
  vehicleKey: EcdhKey;
  clientPublicKey: Uint8Array;
  now: number;
  random: (size: number) => Uint8Array;
  /** VCSEC takes counters only in order, Infotainment within a window of 32. */
  strictCounters: boolean;
  /** How far ahead an in-order command may expire, seconds (the reference verifier has no cap). */
  ttlCapS: number;
  /** For known answers: start in this epoch, with the domain clock at `clockTime` now. */
  epoch?: Uint8Array;
  clockTime?: number;
  counter?: number;
}

export type Verdict =
  | { ok: true; plaintext: Uint8Array; counter: number; flags: number; requestHash: Buffer }
  | { ok: false; fault: number; withSessionInfo: boolean };

const EPOCH_LENGTH_S = 2 ** 30;
/** Out-of-order or counter-less commands must expire within this. */
const OUT_OF_ORDER_TTL_S = 30;
const MAX_COUNTER = 0xffff_ffff;

export class DomainVerifier {
  readonly domain: VcpDomain;
  readonly sharedKey: Buffer;
  private readonly init: VerifierInit;
  private readonly commandKey: Buffer;
  epoch: Uint8Array;
  private timeZeroMs: number;
  counter: number;
  window = 0n;
  private responseCounter = 0;

  constructor(init: VerifierInit) {
    this.init = init;
    this.domain = init.domain;
    this.sharedKey = init.vehicleKey.sharedKey(init.clientPublicKey);
    this.commandKey = commandHmacKey(this.sharedKey);
    this.epoch = init.epoch ?? init.random(16);
    this.timeZeroMs = init.now - (init.clockTime ?? 0) * 1000;
    this.counter = init.counter ?? 0;
  }

  /** The domain clock: whole seconds since the epoch began. */
  clock(now: number): number {
    return Math.floor((now - this.timeZeroMs) / 1000);
  }

  /** A new epoch: what a restart of the domain does (sessions of every client are lost). */
  rotateEpoch(now: number): void {
    this.epoch = this.init.random(16);
    this.timeZeroMs = now;
    this.counter = 0;
    this.window = 0n;
  }

  private refresh(now: number): void {
    if (this.counter >= MAX_COUNTER || this.clock(now) >= EPOCH_LENGTH_S) this.rotateEpoch(now);
  }

  /** Serialized SessionInfo as of now, and its tag for this challenge. */
  sessionInfo(now: number, challenge: Uint8Array): { bytes: Uint8Array; tag: Buffer } {
    this.refresh(now);
    const bytes = encodeSessionInfo({
      counter: this.counter,
      publicKey: this.init.vehicleKey.publicKey,
      epoch: this.epoch,
      clockTime: this.clock(now),
      status: Session_Info_Status.SESSION_INFO_STATUS_OK,
      handle: 0,
    });
    return { bytes, tag: sessionInfoTag(this.sharedKey, this.init.vin, challenge, bytes) };
  }

  /** The next counter for an encrypted reply: strictly increasing. */
  nextResponseCounter(): number {
    this.responseCounter = (this.responseCounter % MAX_COUNTER) + 1;
    return this.responseCounter;
  }

  /** A car's checks of a signed command, but the key lookup (the car does that before this). */
  verify(message: RoutableMessage, now: number): Verdict {
    this.refresh(now);
    const body = message.signatureData?.body;
    if (!body || (body.kind !== 'hmacPersonalized' && body.kind !== 'aesGcmPersonalized')) return fault(MessageFault_E.MESSAGEFAULT_ERROR_BAD_PARAMETER, false);
    const to = message.toDestination;
    if (!to || !('domain' in to) || to.domain !== this.domain) return fault(MessageFault_E.MESSAGEFAULT_ERROR_INVALID_DOMAINS, false);
    if (body.epoch && body.epoch.length > 0 && !sameBytes(body.epoch, this.epoch)) return fault(MessageFault_E.MESSAGEFAULT_ERROR_INCORRECT_EPOCH, true);
    const clock = this.clock(now);
    const { expiresAt, counter } = body;
    if (expiresAt !== 0 && expiresAt < clock) return fault(MessageFault_E.MESSAGEFAULT_ERROR_TIME_EXPIRED, true);
    if (expiresAt > EPOCH_LENGTH_S) return fault(MessageFault_E.MESSAGEFAULT_ERROR_BAD_PARAMETER, true);
    if (counter === 0 || counter < this.counter) {
      if (expiresAt === 0 || expiresAt - clock > OUT_OF_ORDER_TTL_S) return fault(MessageFault_E.MESSAGEFAULT_ERROR_TIME_TO_LIVE_TOO_LONG, true);
    } else if (expiresAt - clock > this.init.ttlCapS) {
      return fault(MessageFault_E.MESSAGEFAULT_ERROR_TIME_TO_LIVE_TOO_LONG, true);
    }
    const flags = message.flags ?? 0;
    const payload = message.payload?.kind === 'protobuf' ? message.payload.bytes : new Uint8Array(0);
    const signatureType = body.kind === 'hmacPersonalized' ? SignatureType.HMAC_PERSONALIZED : SignatureType.AES_GCM_PERSONALIZED;
    // Always our own epoch and VIN, whatever the message says.
    const metadata = commandMetadata({ signatureType, domain: this.domain, vin: this.init.vin, epoch: this.epoch, expiresAt, counter, flags });
    let plaintext: Uint8Array;
    if (body.kind === 'hmacPersonalized') {
      if (!sameBytes(hmacSha256(this.commandKey, metadata, payload), body.tag)) return fault(MessageFault_E.MESSAGEFAULT_ERROR_INVALID_SIGNATURE, true);
      plaintext = payload;
    } else {
      if (body.nonce.length !== GCM_NONCE_LENGTH) return fault(MessageFault_E.MESSAGEFAULT_ERROR_IV_INCORRECT_LENGTH, false);
      const opened = aesGcmDecrypt(this.sharedKey, body.nonce, payload, body.tag, sha256(metadata));
      if (!opened) return fault(MessageFault_E.MESSAGEFAULT_ERROR_INVALID_SIGNATURE, true);
      plaintext = opened;
    }
    // After the MAC: a forged message never moves the counter.
    if (counter > 0) {
      if (this.init.strictCounters) {
        if (counter <= this.counter) return fault(MessageFault_E.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER, true);
        this.counter = counter;
      } else {
        const slid = slideWindow({ counter: this.counter, window: this.window }, counter);
        if (!slid.ok) return fault(MessageFault_E.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER, true);
        this.counter = slid.counter;
        this.window = slid.window;
      }
    }
    return { ok: true, plaintext, counter, flags, requestHash: requestHash(signatureType, body.tag, this.domain) };
  }
}

function fault(code: number, withSessionInfo: boolean): Verdict {
  return { ok: false, fault: code, withSessionInfo };
}
