import { join } from 'node:path';
import { z } from 'zod';
import type { Clock, Timer } from '../core/clock.js';
import type { DaemonEvents, DeviceRef } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import { ownValue, setOwn } from '../core/own.js';
import { JsonStore, zodParser } from '../storage/json-store.js';
import type { EnergySiteSource, VehicleSource, WallConnectorSource } from './sources.js';

export const DEVICES_FILE = 'devices.json';
/**
 * The longest a reading stays in memory only. Saves are coalesced into one per window: at a
 * thousand sites the file is megabytes, and the next poll brings any reading a crash lost back.
 */
export const SAVE_BOUND_MS = 30_000;

const record = z.record(z.string(), z.unknown());
const devicesSchema = z.object({
  version: z.literal(1),
  vehicles: z.record(
    z.string(),
    z.object({
      kind: z.literal('vehicle'),
      vin: z.string(),
      summary: record,
      connection: z.enum(['online', 'asleep', 'offline', 'unknown']),
      data: record.optional(),
      dataAt: z.number().optional(),
      wallConnector: z.object({ din: z.string(), powerW: z.number(), at: z.number() }).optional(),
      stream: z
        .object({
          mode: z.enum(['stream', 'poll']),
          reason: z.string(),
          since: z.number(),
          link: z.enum(['connected', 'disconnected', 'unknown']),
          lastAt: z.number().optional(),
          at: z.record(z.string(), z.number()),
          carAt: z.number().optional(),
        })
        .optional(),
    }),
  ),
  sites: z.record(
    z.string(),
    z.object({
      kind: z.literal('energy_site'),
      id: z.string(),
      summary: record,
      live: record.optional(),
      liveAt: z.number().optional(),
      info: record.optional(),
      infoAt: z.number().optional(),
      totals: z.record(z.string(), z.number()).optional(),
      energyBook: z
        .object({
          day: z.string().optional(),
          todayWh: z.record(z.string(), z.number()).optional(),
          lastLive: z.object({ at: z.number(), watts: z.record(z.string(), z.number()) }).optional(),
        })
        .optional(),
      batteryControl: z.object({ mode: z.enum(['normal', 'charge', 'discharge']), until: z.number().optional() }),
    }),
  ),
  wallConnectors: z.record(
    z.string(),
    z.object({
      kind: z.literal('wall_connector'),
      din: z.string(),
      siteId: z.string(),
      live: record.optional(),
      liveAt: z.number().optional(),
      info: record.optional(),
    }),
  ),
});
type DevicesFile = z.infer<typeof devicesSchema>;

/**
 * The latest Tesla data of every device, the single source the entity tables read. Changes are
 * announced on the bus; the data is saved (coalesced) so that after a restart a sleeping car
 * still shows its last values instead of unknowns.
 */
export class DeviceRegistry implements Service {
  readonly name = 'devices';
  private timer: Timer | undefined;
  private dirty = false;
  private saving: Promise<void> = Promise.resolve();
  private flushing: Promise<void> | undefined;
  private readonly store: JsonStore<DevicesFile>;
  private readonly bus: EventBus<DaemonEvents>;
  private readonly clock: Clock;
  private readonly log: Logger;

  private constructor(store: JsonStore<DevicesFile>, bus: EventBus<DaemonEvents>, clock: Clock, log: Logger) {
    this.store = store;
    this.bus = bus;
    this.clock = clock;
    this.log = log;
  }

  static async open(dataDir: string, bus: EventBus<DaemonEvents>, log: Logger, clock: Clock): Promise<DeviceRegistry> {
    const store = await JsonStore.open<DevicesFile>({
      file: join(dataDir, DEVICES_FILE),
      secret: false,
      defaults: () => ({ version: 1, vehicles: {}, sites: {}, wallConnectors: {} }),
      parse: zodParser(devicesSchema),
      log,
      clock,
      compact: true,
    });
    return new DeviceRegistry(store, bus, clock, log);
  }

  async start(): Promise<void> {
    // Known devices are published from the saved data right away, before the first poll.
    for (const ref of this.all()) this.bus.emit('device.updated', ref);
  }

  /** A clean stop writes what the last window has not saved yet. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.saving;
    if (this.dirty) await this.save();
  }

  /**
   * Saves now what changed, and resolves once it is on disk (a streamed message is acked to the
   * car only then). Callers at the same time share one write: while one is in flight, the next
   * waits and then covers every change made meanwhile.
   */
  flush(): Promise<void> {
    this.flushing ??= this.saving.then(() => {
      this.flushing = undefined;
      this.timer?.cancel();
      this.timer = undefined;
      this.dirty = false;
      // Unlike the windowed save, a failure reaches the caller: nothing is acked that is not on disk.
      const write = this.store.save();
      this.saving = write.catch(() => {
        this.dirty = true;
      });
      return write;
    });
    return this.flushing;
  }

  all(): DeviceRef[] {
    const data = this.store.data;
    return [
      ...Object.keys(data.vehicles).map((id): DeviceRef => ({ kind: 'vehicle', id })),
      ...Object.keys(data.sites).map((id): DeviceRef => ({ kind: 'energy_site', id })),
      ...Object.keys(data.wallConnectors).map((id): DeviceRef => ({ kind: 'wall_connector', id })),
    ];
  }

  vehicles(): VehicleSource[] {
    return Object.values(this.store.data.vehicles) as VehicleSource[];
  }

  sites(): EnergySiteSource[] {
    return Object.values(this.store.data.sites) as EnergySiteSource[];
  }

  wallConnectors(): WallConnectorSource[] {
    return Object.values(this.store.data.wallConnectors) as WallConnectorSource[];
  }

  vehicle(vin: string): VehicleSource | undefined {
    return ownValue(this.store.data.vehicles, vin) as VehicleSource | undefined;
  }

  site(id: string): EnergySiteSource | undefined {
    return ownValue(this.store.data.sites, id) as EnergySiteSource | undefined;
  }

  wallConnector(din: string): WallConnectorSource | undefined {
    return ownValue(this.store.data.wallConnectors, din) as WallConnectorSource | undefined;
  }

  source(ref: DeviceRef): VehicleSource | EnergySiteSource | WallConnectorSource | undefined {
    switch (ref.kind) {
      case 'vehicle':
        return this.vehicle(ref.id);
      case 'energy_site':
        return this.site(ref.id);
      case 'wall_connector':
        return this.wallConnector(ref.id);
    }
  }

  updateVehicle(vin: string, change: (current: VehicleSource) => void): VehicleSource {
    const data = this.store.data as DevicesFile;
    const current = (this.vehicle(vin) ?? { kind: 'vehicle', vin, summary: {}, connection: 'unknown' }) as VehicleSource;
    change(current);
    setOwn(data.vehicles, vin, current as DevicesFile['vehicles'][string]);
    this.changed({ kind: 'vehicle', id: vin });
    return current;
  }

  updateSite(id: string, change: (current: EnergySiteSource) => void): EnergySiteSource {
    const data = this.store.data as DevicesFile;
    const current = (this.site(id) ?? { kind: 'energy_site', id, summary: {}, batteryControl: { mode: 'normal' } }) as EnergySiteSource;
    change(current);
    setOwn(data.sites, id, current as DevicesFile['sites'][string]);
    this.changed({ kind: 'energy_site', id });
    return current;
  }

  updateWallConnector(din: string, siteId: string, change: (current: WallConnectorSource) => void): WallConnectorSource {
    const data = this.store.data as DevicesFile;
    const current = (this.wallConnector(din) ?? { kind: 'wall_connector', din, siteId }) as WallConnectorSource;
    change(current);
    setOwn(data.wallConnectors, din, current as DevicesFile['wallConnectors'][string]);
    this.changed({ kind: 'wall_connector', id: din });
    return current;
  }

  /** Forgets a device and announces it, with its last data so its topics can be cleared. */
  remove(ref: DeviceRef): void {
    const data = this.store.data as DevicesFile;
    const source = this.source(ref);
    if (!source) return;
    if (ref.kind === 'vehicle') delete data.vehicles[ref.id];
    else if (ref.kind === 'energy_site') delete data.sites[ref.id];
    else delete data.wallConnectors[ref.id];
    this.scheduleSave();
    this.bus.emit('device.removed', { ...ref, source });
  }

  private changed(ref: DeviceRef): void {
    this.scheduleSave();
    this.bus.emit('device.updated', ref);
  }

  private scheduleSave(): void {
    this.dirty = true;
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = undefined;
      this.saving = this.save();
    }, SAVE_BOUND_MS);
  }

  private save(): Promise<void> {
    this.dirty = false;
    // JSON has no undefined: absent optional fields are dropped as the data is written.
    // A failed save is logged; the data stays in memory and the next change saves it again.
    return this.store.save().catch((error: unknown) => {
      this.dirty = true;
      this.log.error('could not save the devices file', { error: error instanceof Error ? error : String(error) });
    });
  }
}
