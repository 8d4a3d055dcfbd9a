import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { responseMetadata } from '../../signing/metadata.js';
import { encodeCarServerResponse, encodeVcsecResponse } from '../../signing/payloads/responses.js';
import { type Destination, encodeRoutableMessage, type RoutableMessage } from '../../signing/routable-message.js';
import { encodeSessionInfo } from '../../signing/signature-data.js';
import { aesGcmEncrypt, assertValidPoint, EcdhKey, parsePublicKey, sha256, VcpCryptoError } from '../../signing/vcp-crypto.js';
import { Domain, FLAG_ENCRYPT_RESPONSE, MessageFault_E, OperationStatus_E, Session_Info_Status, type VcpDomain } from '../../signing/vcp-enums.js';
import { DomainVerifier, type Verdict } from './domain-verifier.js';

/**
 * The vehicle side of the Vehicle Command Protocol for one simulated car: a key pair per domain, the keychain of client keys the owner paired, a
 * verifier per domain and client key, and the replies a car sends. The car's state is changed
 * only through `act`, and only after a command verified.
 */

/** What the car did with a verified payload. */
export type ActResult = { kind: 'done'; ok: boolean; reason: string } | { kind: 'unknown'; detail: string } | { kind: 'undecodable'; detail: string };

export interface VehicleVcpOptions {
  vin: string;
  /** Client public keys on the keychain (PEM or hex of the uncompressed point). */
  pairedKeys?: readonly string[];
  /** Firmware 2024.38 and later encrypt replies when the request asks (FLAG_ENCRYPT_RESPONSE). */
  encryptResponses: boolean;
  /** The most an in-order command may live, seconds. Default 60. */
  ttlCapS?: number;
  /** VCSEC often leaves request_uuid out of its replies; so does this car unless told. Default true. */
  omitVcsecRequestUuid?: boolean;
  random?: (size: number) => Uint8Array;
  /** Fixed domain keys (known-answer tests); otherwise made on first use. */
  domainKeys?: Partial<Record<VcpDomain, EcdhKey>>;
}

/** What happened, for logs, tests and the benchmark. */
export interface Exchange {
  kind: 'handshake' | 'command';
  domain: number;
  fault: number;
  executed: boolean;
  reply: Uint8Array;
}

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export class VehicleVcp {
  readonly vin: string;
  encryptResponses: boolean;
  private readonly options: VehicleVcpOptions;
  private readonly random: (size: number) => Uint8Array;
  private readonly keychain = new Set<string>();
  private readonly domainKeys = new Map<VcpDomain, EcdhKey>();
  private readonly verifiers = new Map<string, DomainVerifier>();
  /** Told of every exchange as it happens (tests and the benchmark time arrivals with it). */
  readonly observers = new Set<(exchange: Exchange) => void>();

  constructor(options: VehicleVcpOptions) {
    this.options = options;
    this.vin = options.vin;
    this.encryptResponses = options.encryptResponses;
    this.random = options.random ?? ((size) => randomBytes(size));
    for (const key of options.pairedKeys ?? []) this.pair(key);
    for (const [domain, key] of Object.entries(options.domainKeys ?? {})) if (key) this.domainKeys.set(Number(domain) as VcpDomain, key);
  }

  /** Adds a client key to the keychain (what the Tesla app's pairing link does); returns its hex. */
  pair(key: string | Uint8Array): string {
    const bytes = typeof key === 'string' ? parsePublicKey(key) : key;
    assertValidPoint(bytes);
    this.keychain.add(toHex(bytes));
    return toHex(bytes);
  }

  unpair(key: string | Uint8Array): void {
    const hex = toHex(typeof key === 'string' ? parsePublicKey(key) : key);
    this.keychain.delete(hex);
    for (const id of [...this.verifiers.keys()]) if (id.endsWith(`/${hex}`)) this.verifiers.delete(id);
  }

  pairedKeys(): string[] {
    return [...this.keychain];
  }

  /** The domain's own key pair, made on first use (each domain has its own). */
  domainKey(domain: VcpDomain): EcdhKey {
    let key = this.domainKeys.get(domain);
    if (!key) {
      key = EcdhKey.fromKeyObject(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
      this.domainKeys.set(domain, key);
    }
    return key;
  }

  /** A restart of these domains: new epochs, so every client's session is gone. */
  restart(domains: readonly VcpDomain[], now: number): void {
    for (const verifier of this.verifiers.values()) if (domains.includes(verifier.domain)) verifier.rotateEpoch(now);
  }

  /** The verifier a domain keeps for one client key (made on first contact, from `seed` in known-answer tests). */
  verifier(domain: VcpDomain, clientKey: Uint8Array, now: number, seed?: { epoch: Uint8Array; clockTime: number; counter: number }): DomainVerifier {
    const id = `${domain}/${toHex(clientKey)}`;
    let verifier = this.verifiers.get(id);
    if (!verifier) {
      verifier = new DomainVerifier({
        domain,
        vin: this.vin,
        vehicleKey: this.domainKey(domain),
        clientPublicKey: clientKey,
        now,
        random: this.random,
        strictCounters: domain === Domain.VEHICLE_SECURITY,
        ttlCapS: this.options.ttlCapS ?? 60,
        ...(seed ?? {}),
      });
      this.verifiers.set(id, verifier);
    }
    return verifier;
  }

  /** Answers one RoutableMessage that reached the car; `act` carries out a verified payload. */
  handle(request: RoutableMessage, now: number, act: (domain: VcpDomain, payload: Uint8Array) => ActResult): Exchange {
    const exchange = this.answer(request, now, act);
    for (const observer of this.observers) observer(exchange);
    return exchange;
  }

  private answer(request: RoutableMessage, now: number, act: (domain: VcpDomain, payload: Uint8Array) => ActResult): Exchange {
    const to = request.toDestination;
    const target = to && 'domain' in to ? to.domain : -1;
    const domain: VcpDomain | undefined = target === Domain.VEHICLE_SECURITY || target === Domain.INFOTAINMENT ? target : undefined;
    const kind = request.payload?.kind === 'sessionInfoRequest' ? 'handshake' : 'command';
    const base = this.replyBase(request, domain ?? Domain.BROADCAST);
    const answer = (fault: number, reply: RoutableMessage, executed = false): Exchange => ({
      kind,
      domain: target,
      fault,
      executed,
      reply: encodeRoutableMessage(reply),
    });
    const faultReply = (code: number): Exchange =>
      answer(code, { ...base, signedMessageStatus: { operationStatus: OperationStatus_E.OPERATIONSTATUS_ERROR, signedMessageFault: code } });
    if (domain === undefined) return faultReply(MessageFault_E.MESSAGEFAULT_ERROR_INVALID_DOMAINS);

    if (request.payload?.kind === 'sessionInfoRequest') {
      const clientKey = request.payload.publicKey;
      try {
        assertValidPoint(clientKey);
      } catch (error) {
        if (error instanceof VcpCryptoError) return faultReply(MessageFault_E.MESSAGEFAULT_ERROR_BAD_PARAMETER);
        throw error;
      }
      if (!this.keychain.has(toHex(clientKey))) {
        // As observed: Infotainment says UNKNOWN_KEY_ID, VCSEC sends untagged session info with the status.
        if (domain === Domain.INFOTAINMENT) return faultReply(MessageFault_E.MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID);
        const info = encodeSessionInfo({
          counter: 0,
          publicKey: this.domainKey(domain).publicKey,
          epoch: new Uint8Array(0),
          clockTime: 0,
          status: Session_Info_Status.SESSION_INFO_STATUS_KEY_NOT_ON_WHITELIST,
          handle: 0,
        });
        return answer(0, { ...base, payload: { kind: 'sessionInfo', bytes: info } });
      }
      const session = this.verifier(domain, clientKey, now).sessionInfo(now, request.uuid ?? new Uint8Array(0));
      return answer(0, {
        ...base,
        payload: { kind: 'sessionInfo', bytes: session.bytes },
        signatureData: { body: { kind: 'sessionInfoTag', tag: session.tag } },
      });
    }

    const body = request.signatureData?.body;
    if (!request.signatureData || (body?.kind !== 'hmacPersonalized' && body?.kind !== 'aesGcmPersonalized'))
      return faultReply(MessageFault_E.MESSAGEFAULT_ERROR_BAD_PARAMETER);
    const identity = request.signatureData.signerIdentity;
    const clientKey = identity && 'publicKey' in identity ? identity.publicKey : undefined;
    if (!clientKey || !this.keychain.has(toHex(clientKey))) return faultReply(MessageFault_E.MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID);
    const verifier = this.verifier(domain, clientKey, now);
    const verdict: Verdict = verifier.verify(request, now);
    if (!verdict.ok) {
      if (!verdict.withSessionInfo) return faultReply(verdict.fault);
      const session = verifier.sessionInfo(now, request.uuid ?? new Uint8Array(0));
      return answer(verdict.fault, {
        ...base,
        requestUuid: request.uuid ?? new Uint8Array(0),
        signedMessageStatus: { operationStatus: OperationStatus_E.OPERATIONSTATUS_ERROR, signedMessageFault: verdict.fault },
        payload: { kind: 'sessionInfo', bytes: session.bytes },
        signatureData: { body: { kind: 'sessionInfoTag', tag: session.tag } },
      });
    }
    const result = act(domain, verdict.plaintext);
    if (result.kind === 'undecodable') return faultReply(MessageFault_E.MESSAGEFAULT_ERROR_DECODING);
    if (result.kind === 'unknown') return faultReply(MessageFault_E.MESSAGEFAULT_ERROR_INVALID_COMMAND);
    const plaintext = domain === Domain.INFOTAINMENT ? encodeCarServerResponse(result.ok, result.reason) : encodeVcsecResponse(result.ok, result.reason);
    const reply = domain === Domain.VEHICLE_SECURITY && this.options.omitVcsecRequestUuid !== false ? { ...base, requestUuid: new Uint8Array(0) } : base;
    if ((verdict.flags & FLAG_ENCRYPT_RESPONSE) === 0 || !this.encryptResponses)
      return answer(0, { ...reply, payload: { kind: 'protobuf', bytes: plaintext } }, true);
    return answer(0, this.encrypted(reply, verifier, verdict.requestHash, plaintext), true);
  }

  /** The payload sealed with K, bound to the request hash, the reply's flags and fault. */
  encrypted(reply: RoutableMessage, verifier: DomainVerifier, requestHash: Uint8Array, plaintext: Uint8Array, nonce = this.random(12)): RoutableMessage {
    const counter = verifier.nextResponseCounter();
    const aad = sha256(responseMetadata({ domain: verifier.domain, vin: this.vin, counter, flags: reply.flags ?? 0, requestHash, fault: 0 }));
    const sealed = aesGcmEncrypt(verifier.sharedKey, nonce, plaintext, aad);
    return {
      ...reply,
      payload: { kind: 'protobuf', bytes: sealed.ciphertext },
      signatureData: { body: { kind: 'aesGcmResponse', nonce, counter, tag: sealed.tag } },
    };
  }

  private replyBase(request: RoutableMessage, domain: number): RoutableMessage {
    const back: Destination | undefined = request.fromDestination;
    return {
      ...(back ? { toDestination: back } : {}),
      fromDestination: { domain },
      ...(request.uuid ? { requestUuid: request.uuid } : {}),
      uuid: this.random(16),
    };
  }
}
