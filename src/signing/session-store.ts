import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { JsonStore, zodParser } from '../storage/json-store.js';
import type { DomainSession } from './session.js';
import { domainName } from './domain-name.js';
import type { VcpDomain } from './vcp-enums.js';

/**
 * What survives a restart: per car and domain the session
 * (vehicle key, epoch, last counter, where the car's clock stood), and per car whether it takes
 * signed or REST commands. The shared key is not stored: it is derived again from our private
 * key. A stale session costs nothing extra: the car answers with fresh session info.
 */

export const SESSIONS_FILE = 'vehicle-sessions.json';

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));

const sessionSchema = z.object({
  /** Which of our keys made it (a new key pair starts over). */
  client_key: hex(65),
  vehicle_public_key: hex(65),
  epoch: hex(16),
  counter: z.number().int().min(0).max(0xffff_ffff),
  clock_time: z.number().int().min(0),
  time_zero_ms: z.number(),
  saved_at: z.string(),
});
export type PersistedSession = z.infer<typeof sessionSchema>;

const transportSchema = z.object({ mode: z.enum(['signed', 'rest']), reason: z.string(), at: z.string() });
export type TransportChoice = z.infer<typeof transportSchema>;

const vehicleSchema = z.object({
  transport: transportSchema.optional(),
  sessions: z.object({ vehicle_security: sessionSchema.optional(), infotainment: sessionSchema.optional() }).default({}),
});

const fileSchema = z.object({ version: z.literal(1), vehicles: z.record(z.string(), vehicleSchema) });
type SessionsFile = z.infer<typeof fileSchema>;

type DomainKey = 'vehicle_security' | 'infotainment';

function domainKey(domain: VcpDomain): DomainKey {
  return domainName(domain) as DomainKey;
}

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export class VehicleSessionStore {
  private readonly store: JsonStore<SessionsFile>;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly log: Logger;
  private writing: Promise<void> = Promise.resolve();

  private constructor(store: JsonStore<SessionsFile>, clock: Pick<Clock, 'now'>, log: Logger) {
    this.store = store;
    this.clock = clock;
    this.log = log;
  }

  static async open(dataDir: string, log: Logger, clock: Pick<Clock, 'now'>): Promise<VehicleSessionStore> {
    const store = await JsonStore.open<SessionsFile>({
      file: join(dataDir, SESSIONS_FILE),
      secret: true,
      defaults: () => ({ version: 1, vehicles: {} }),
      parse: zodParser(fileSchema),
      log,
      clock,
    });
    return new VehicleSessionStore(store, clock, log);
  }

  session(vin: string, domain: VcpDomain, clientKey: Uint8Array): PersistedSession | undefined {
    const saved = this.store.data.vehicles[vin]?.sessions[domainKey(domain)];
    return saved && saved.client_key === toHex(clientKey) ? saved : undefined;
  }

  saveSession(vin: string, domain: VcpDomain, clientKey: Uint8Array, session: DomainSession): void {
    const record: PersistedSession = {
      client_key: toHex(clientKey),
      vehicle_public_key: toHex(session.vehiclePublicKey),
      epoch: toHex(session.epoch),
      counter: session.counter,
      clock_time: session.clockTime,
      time_zero_ms: session.timeZeroMs,
      saved_at: new Date(this.clock.now()).toISOString(),
    };
    this.change((draft) => {
      const vehicle = (draft.vehicles[vin] ??= { sessions: {} });
      vehicle.sessions[domainKey(domain)] = record;
    });
  }

  dropSession(vin: string, domain: VcpDomain): void {
    if (!this.store.data.vehicles[vin]?.sessions[domainKey(domain)]) return;
    this.change((draft) => {
      const sessions = draft.vehicles[vin]?.sessions;
      if (sessions) delete sessions[domainKey(domain)];
    });
  }

  transport(vin: string): TransportChoice | undefined {
    return this.store.data.vehicles[vin]?.transport;
  }

  setTransport(vin: string, mode: TransportChoice['mode'], reason: string): void {
    this.change((draft) => {
      const vehicle = (draft.vehicles[vin] ??= { sessions: {} });
      vehicle.transport = { mode, reason, at: new Date(this.clock.now()).toISOString() };
    });
  }

  /** Waits until every change so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }

  /**
   * Writes in the background: a command never waits for the disk. A lost write costs one
   * resync with the car (a stale counter is answered with fresh session info), never a wrong command.
   */
  private change(apply: (draft: SessionsFile) => void): void {
    const write = this.store.update(apply).catch((error: unknown) => {
      this.log.error(`could not save ${SESSIONS_FILE}: ${errorMessage(error)}`);
    });
    this.writing = this.writing.then(() => write);
  }
}

/** A saved session made usable again; the shared key comes from our private key and the car's. */
export function restoreSession(saved: PersistedSession, sharedKey: (vehicleKey: Uint8Array) => Buffer, commandKey: (shared: Buffer) => Buffer): DomainSession {
  const vehiclePublicKey = Buffer.from(saved.vehicle_public_key, 'hex');
  const shared = sharedKey(vehiclePublicKey);
  return {
    vehiclePublicKey,
    epoch: Buffer.from(saved.epoch, 'hex'),
    counter: saved.counter,
    clockTime: saved.clock_time,
    timeZeroMs: saved.time_zero_ms,
    sharedKey: shared,
    commandKey: commandKey(shared),
  };
}
