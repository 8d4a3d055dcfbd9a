import type { Config, EnergySiteConfig, VehicleConfig } from '../config/schema.js';
import type { DeviceRef } from '../core/daemon-events.js';
import type { DeviceKind } from '../core/devices.js';

/** Per-device command rules from config (vehicles[] / energy_sites[]). */
export interface DevicePolicy {
  allow: readonly string[];
  deny: readonly string[];
  /** Where the user writes the allow list, for messages. */
  configPath: string;
}

/**
 * What the config says about devices: which ones to use, their topic ids and names, which
 * commands they allow or deny, and whether a command may wake a car.
 */
export class DeviceNaming {
  private readonly vehicles: readonly VehicleConfig[];
  private readonly sites: readonly EnergySiteConfig[];

  constructor(config: Pick<Config, 'vehicles' | 'energy_sites'>) {
    this.vehicles = config.vehicles;
    this.sites = config.energy_sites;
  }

  /** With a vehicles: list in the config only those cars are used; otherwise every car. */
  usesVehicle(vin: string): boolean {
    return this.vehicles.length === 0 || this.vehicles.some((v) => v.vin === vin);
  }

  usesSite(id: string): boolean {
    return this.sites.length === 0 || this.sites.some((s) => s.id === id);
  }

  vehicleConfig(vin: string): VehicleConfig | undefined {
    return this.vehicles.find((v) => v.vin === vin);
  }

  siteConfig(id: string): EnergySiteConfig | undefined {
    return this.sites.find((s) => s.id === id);
  }

  topicId(ref: DeviceRef): string {
    if (ref.kind === 'vehicle') return this.vehicleConfig(ref.id)?.topic ?? ref.id;
    if (ref.kind === 'energy_site') return this.siteConfig(ref.id)?.topic ?? ref.id;
    return ref.id;
  }

  /** The device behind a topic id. */
  resolve(kind: DeviceKind, topicId: string): string | undefined {
    if (kind === 'vehicle') return this.vehicles.find((v) => v.topic === topicId)?.vin ?? topicId;
    if (kind === 'energy_site') return this.sites.find((s) => s.topic === topicId)?.id ?? topicId;
    return topicId;
  }

  policy(ref: DeviceRef): DevicePolicy {
    if (ref.kind === 'vehicle') {
      const index = this.vehicles.findIndex((v) => v.vin === ref.id);
      const entry = this.vehicles[index];
      return {
        allow: entry?.allow ?? [],
        deny: entry?.deny ?? [],
        configPath: entry ? `vehicles[${index}]` : `vehicles: (add an entry with vin: ${ref.id})`,
      };
    }
    if (ref.kind === 'energy_site') {
      const index = this.sites.findIndex((s) => s.id === ref.id);
      const entry = this.sites[index];
      return {
        allow: entry?.allow ?? [],
        deny: entry?.deny ?? [],
        configPath: entry ? `energy_sites[${index}]` : `energy_sites: (add an entry with id: ${ref.id})`,
      };
    }
    return { allow: [], deny: [], configPath: 'energy_sites' };
  }

  mayWake(vin: string): boolean {
    return this.vehicleConfig(vin)?.wake_for_commands ?? true;
  }
}
