import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { KeyedSerial } from '../core/serial.js';
import { type ActionOutcome, decodeCarServerResponse, decodeVcsecResponse } from './payloads/responses.js';
import { readReply, readSessionInfo, ReplyError, type Sent } from './reply.js';
import type { RoutableMessage } from './routable-message.js';
import { type DomainSession, expiresAt, nextCounter, SessionInfoRejected, sessionFromInfo, updateSession } from './session.js';
import { restoreSession, type VehicleSessionStore } from './session-store.js';
import { buildSessionInfoRequest, decryptReply, signHmacCommand } from './signer.js';
import { commandHmacKey, type EcdhKey } from './vcp-crypto.js';
import { Domain, domainName, FLAG_ENCRYPT_RESPONSE, MessageFault_E, OperationStatus_E, type VcpDomain } from './vcp-enums.js';
import { ProtobufError } from './wire.js';

/**
 * The client side of the Vehicle Command Protocol for one daemon: per car and domain a session
 * (handshake once, then reused, also across restarts), one command in flight per car and domain,
 * HMAC-signed commands asking for encrypted replies, and recovery from the faults the spec lists
 * within a bounded number of attempts. It sends nothing by itself: `post` is
 * the Fleet API's signed_command.
 */

/** A failure of the transport under the protocol (the Fleet API's), passed up untouched. */
export interface TransportError {
  message: string;
}

/** What posting a RoutableMessage gave: the answer's `response` member, or the transport's failure. */
export type PostResult<E extends TransportError> = { ok: true; value: unknown } | { ok: false; error: E };

export type VcpFailure<E extends TransportError = TransportError> =
  /** The HTTP layer said no (422: no protocol on this car, 408: asleep, 429, …). */
  | { kind: 'http'; error: E }
  | { kind: 'notPaired'; domain: VcpDomain }
  | { kind: 'fault'; fault: number; domain: VcpDomain }
  | { kind: 'reply'; message: string; possibleSuccess: boolean }
  | { kind: 'exhausted'; message: string };

export type VcpResult<E extends TransportError = TransportError> =
  | { ok: true; outcome: Exclude<ActionOutcome, { kind: 'wait' }> }
  | { ok: false; failure: VcpFailure<E> };

export interface VcpClientDeps<E extends TransportError> {
  post: (vin: string, routableMessage: Uint8Array) => Promise<PostResult<E>>;
  store: VehicleSessionStore;
  clock: Clock;
  random: (size: number) => Uint8Array;
  log: Logger;
  /** How long a signed command stays valid on the car's clock. Default 15 s (keep it ≤ 30 s). */
  lifetimeMs?: number;
  /** Signed requests per command, handshakes included. Default 4. */
  maxAttempts?: number;
  /** Wait before retrying a busy domain. Default 1 s. */
  busyRetryMs?: number;
}

/** Faults after which fresh session info (attached, or from a new handshake) fixes the next attempt. */
const RESYNC_FAULTS = new Set<number>([
  MessageFault_E.MESSAGEFAULT_ERROR_INVALID_SIGNATURE,
  MessageFault_E.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER,
  MessageFault_E.MESSAGEFAULT_ERROR_INCORRECT_EPOCH,
  MessageFault_E.MESSAGEFAULT_ERROR_TIME_EXPIRED,
  MessageFault_E.MESSAGEFAULT_ERROR_TIME_TO_LIVE_TOO_LONG,
]);
/** Faults where the same command may simply be tried again a little later. */
const BUSY_FAULTS = new Set<number>([
  MessageFault_E.MESSAGEFAULT_ERROR_BUSY,
  MessageFault_E.MESSAGEFAULT_ERROR_TIMEOUT,
  MessageFault_E.MESSAGEFAULT_ERROR_INTERNAL,
]);
/** Session info older than this since its request is not trusted for the clock. */
const MAX_HANDSHAKE_LATENCY_MS = 10_000;

type Step<E extends TransportError> = { done: VcpResult<E> } | { retry: 'now' | 'later' };

export class VcpClient<E extends TransportError = TransportError> {
  private readonly deps: VcpClientDeps<E>;
  private readonly sessions = new Map<string, DomainSession>();
  private readonly serial = new KeyedSerial();

  constructor(deps: VcpClientDeps<E>) {
    this.deps = deps;
  }

  /** Signs and sends one command payload to one domain of a car, and reads the car's answer. */
  execute(vin: string, domain: VcpDomain, payload: Uint8Array, key: EcdhKey): Promise<VcpResult<E>> {
    return this.serial.run(`${vin}/${domain}`, () => this.run(vin, domain, payload, key));
  }

  /** Forgets a session (for tests and for a key change). */
  forget(vin: string, domain: VcpDomain): void {
    this.sessions.delete(`${vin}/${domain}`);
    this.deps.store.dropSession(vin, domain);
  }

  private async run(vin: string, domain: VcpDomain, payload: Uint8Array, key: EcdhKey): Promise<VcpResult<E>> {
    const attempts = this.deps.maxAttempts ?? 4;
    let lastProblem = 'no answer';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const session = this.session(vin, domain, key);
      // A handshake is one of the attempts; the command follows in the next one.
      const step = session ? await this.attempt(vin, domain, payload, key, session) : await this.handshake(vin, domain, key);
      if ('session' in step) continue;
      if ('done' in step) return step.done;
      lastProblem = step.problem;
      if (step.retry === 'later') await this.deps.clock.sleep(this.deps.busyRetryMs ?? 1000);
    }
    return {
      ok: false,
      failure: {
        kind: 'exhausted',
        message: `the car's ${domainName(domain)} did not accept the command after ${attempts} signed requests (last: ${lastProblem})`,
      },
    };
  }

  private session(vin: string, domain: VcpDomain, key: EcdhKey): DomainSession | undefined {
    const id = `${vin}/${domain}`;
    const cached = this.sessions.get(id);
    if (cached) return cached;
    const saved = this.deps.store.session(vin, domain, key.publicKey);
    if (!saved) return undefined;
    try {
      const restored = restoreSession(saved, (vehicleKey) => key.sharedKey(vehicleKey), commandHmacKey);
      this.sessions.set(id, restored);
      return restored;
    } catch {
      this.forget(vin, domain);
      return undefined;
    }
  }

  private adopt(vin: string, domain: VcpDomain, key: EcdhKey, session: DomainSession): void {
    this.sessions.set(`${vin}/${domain}`, session);
    this.deps.store.saveSession(vin, domain, key.publicKey, session);
  }

  private async handshake(vin: string, domain: VcpDomain, key: EcdhKey): Promise<{ session: DomainSession } | (Step<E> & { problem: string })> {
    const sent: Sent = { domain, routingAddress: this.deps.random(16), uuid: this.deps.random(16) };
    const sentAt = this.deps.clock.now();
    const answer = await this.deps.post(vin, buildSessionInfoRequest({ ...sent, clientPublicKey: key.publicKey }));
    if (!answer.ok) return { done: { ok: false, failure: { kind: 'http', error: answer.error } }, problem: answer.error.message };
    let reply: RoutableMessage;
    try {
      reply = readReply(answer.value, sent);
    } catch (error) {
      if (!(error instanceof ReplyError)) throw error;
      return { retry: 'now', problem: error.message };
    }
    const fault = reply.signedMessageStatus?.signedMessageFault ?? 0;
    if (fault === MessageFault_E.MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID)
      return { done: { ok: false, failure: { kind: 'notPaired', domain } }, problem: 'not paired' };
    const reading = readSessionInfo(reply, vin, sent.uuid, key);
    switch (reading.kind) {
      case 'notPaired':
        return { done: { ok: false, failure: { kind: 'notPaired', domain } }, problem: 'not paired' };
      case 'invalid':
        this.deps.log.warn(`ignored session info from ${vin} (${domainName(domain)}): ${reading.reason}`);
        return { retry: 'now', problem: reading.reason };
      case 'none':
        if (fault !== 0) return this.onFault(vin, domain, fault);
        return { retry: 'now', problem: 'the handshake reply carries no session info' };
      case 'valid': {
        const now = this.deps.clock.now();
        if (now - sentAt > MAX_HANDSHAKE_LATENCY_MS)
          return { retry: 'now', problem: `the session info arrived ${Math.round((now - sentAt) / 1000)} s after the request, too late to set the clock` };
        try {
          const session = sessionFromInfo(reading.info, reading.sharedKey, now);
          this.adopt(vin, domain, key, session);
          this.deps.log.debug(`signed-command session with ${vin} (${domainName(domain)}), counter ${session.counter}`);
          return { session };
        } catch (error) {
          if (!(error instanceof SessionInfoRejected)) throw error;
          return { retry: 'now', problem: error.message };
        }
      }
    }
  }

  private async attempt(vin: string, domain: VcpDomain, payload: Uint8Array, key: EcdhKey, session: DomainSession): Promise<Step<E> & { problem: string }> {
    const counter = nextCounter(session);
    if (counter === undefined) {
      this.forget(vin, domain);
      return { retry: 'now', problem: 'the session used up its counters' };
    }
    const now = this.deps.clock.now();
    const current: DomainSession = { ...session, counter };
    this.adopt(vin, domain, key, current);
    const sent: Sent = { domain, routingAddress: this.deps.random(16), uuid: this.deps.random(16) };
    const signed = signHmacCommand({
      ...sent,
      vin,
      clientPublicKey: key.publicKey,
      commandKey: current.commandKey,
      epoch: current.epoch,
      counter,
      expiresAt: expiresAt(current, now, this.deps.lifetimeMs ?? 15_000),
      flags: FLAG_ENCRYPT_RESPONSE,
      payload,
    });
    const answer = await this.deps.post(vin, signed.message);
    if (!answer.ok) return { done: { ok: false, failure: { kind: 'http', error: answer.error } }, problem: answer.error.message };
    let reply: RoutableMessage;
    try {
      reply = readReply(answer.value, sent);
    } catch (error) {
      if (!(error instanceof ReplyError)) throw error;
      return { done: { ok: false, failure: { kind: 'reply', message: error.message, possibleSuccess: true } }, problem: error.message };
    }
    const fault = reply.signedMessageStatus?.signedMessageFault ?? 0;
    if (fault !== 0) {
      const info = readSessionInfo(reply, vin, sent.uuid, key);
      if (info.kind === 'valid') {
        try {
          this.adopt(vin, domain, key, updateSession(current, info.info, this.deps.clock.now()));
        } catch (error) {
          if (!(error instanceof SessionInfoRejected)) throw error;
          // A session that cannot be updated is dropped; the next attempt shakes hands afresh.
          this.deps.log.warn(`session info from ${vin} (${domainName(domain)}) not applied: ${error.message}; starting a new session`);
          this.forget(vin, domain);
        }
      } else if (RESYNC_FAULTS.has(fault)) {
        if (info.kind === 'invalid') this.deps.log.warn(`ignored session info from ${vin} (${domainName(domain)}): ${info.reason}`);
        this.forget(vin, domain);
      }
      return this.onFault(vin, domain, fault);
    }
    if (reply.signedMessageStatus?.operationStatus === OperationStatus_E.OPERATIONSTATUS_WAIT) return { retry: 'later', problem: 'the car asked to wait' };
    return this.outcome(vin, domain, reply, current, signed.requestHash);
  }

  private onFault(vin: string, domain: VcpDomain, fault: number): Step<E> & { problem: string } {
    const problem = `fault ${fault}`;
    if (fault === MessageFault_E.MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID) return { done: { ok: false, failure: { kind: 'notPaired', domain } }, problem };
    if (RESYNC_FAULTS.has(fault)) {
      this.deps.log.debug(`${vin} (${domainName(domain)}) answered fault ${fault}; resynchronising the session`);
      return { retry: 'now', problem };
    }
    if (BUSY_FAULTS.has(fault)) return { retry: 'later', problem };
    return { done: { ok: false, failure: { kind: 'fault', fault, domain } }, problem };
  }

  private outcome(vin: string, domain: VcpDomain, reply: RoutableMessage, session: DomainSession, requestHash: Uint8Array): Step<E> & { problem: string } {
    let plaintext: Uint8Array = reply.payload?.kind === 'protobuf' ? reply.payload.bytes : new Uint8Array(0);
    const body = reply.signatureData?.body;
    if (body?.kind === 'aesGcmResponse') {
      const opened = decryptReply({
        sharedKey: session.sharedKey,
        vin,
        domain,
        counter: body.counter,
        flags: reply.flags ?? 0,
        fault: 0,
        requestHash,
        nonce: body.nonce,
        ciphertext: plaintext,
        tag: body.tag,
      });
      if (!opened)
        return {
          done: { ok: false, failure: { kind: 'reply', message: "the car's encrypted reply did not authenticate", possibleSuccess: true } },
          problem: 'bad reply',
        };
      plaintext = opened;
    }
    let outcome: ActionOutcome;
    try {
      outcome = domain === Domain.INFOTAINMENT ? decodeCarServerResponse(plaintext) : decodeVcsecResponse(plaintext);
    } catch (error) {
      if (!(error instanceof ProtobufError)) throw error;
      return {
        done: { ok: false, failure: { kind: 'reply', message: `the car's answer does not decode (${error.message})`, possibleSuccess: true } },
        problem: 'bad reply',
      };
    }
    if (outcome.kind === 'wait') return { retry: 'later', problem: 'the vehicle security controller is busy' };
    return { done: { ok: true, outcome }, problem: '' };
  }
}
