import type { DeviceKind } from '../core/devices.js';

/** A car's connection as the cheap state call reports it. */
export type VehicleConnection = 'online' | 'asleep' | 'offline' | 'unknown';

/**
 * Everything known about one car, as Tesla sent it. Entity getters read Tesla's own JSON keys
 * so a row in a table can be checked against Tesla's documentation.
 */
export interface VehicleSource {
  kind: 'vehicle';
  vin: string;
  /** From products/vehicles: display_name, command_signing, … */
  summary: Record<string, unknown>;
  connection: VehicleConnection;
  /** The last vehicle_data answer (kept while the car sleeps), and when it arrived. */
  data: Record<string, unknown> | undefined;
  dataAt: number | undefined;
  /** The car's charging power as a home Wall Connector reported it (free, fresher than vehicle_data). */
  wallConnector?: { din: string; powerW: number; at: number } | undefined;
  /**
   * While the car charges on a Wall Connector between two readings: the estimated battery level and
   * the reading it started from (poller/battery-estimate.ts). Absent when the reading stands.
   */
  batteryEstimate?: { level: number; lastReading: number; lastReadingAt: number } | undefined;
  /** Fleet Telemetry, when enabled: whether the car streams or is polled, and when streamed values arrived. */
  stream?: VehicleStream | undefined;
}

/** How a car's values reach teslahub while Fleet Telemetry is on (telemetry/). */
export interface VehicleStream {
  /** stream: values arrive by themselves and nothing is polled; poll: the polling policy runs. */
  mode: 'stream' | 'poll';
  /** Why, in words (the fallback's cause while polling). */
  reason: string;
  since: number;
  /** The car's link to the fleet-telemetry server. */
  link: 'connected' | 'disconnected' | 'unknown';
  /** When the last value or connectivity message from the car arrived. */
  lastAt?: number | undefined;
  /**
   * Time of each vehicle_data path last written from the stream (newer than dataAt: streamed): the
   * car's own time with the built-in receiver, the arrival time through fleet-telemetry's MQTT.
   */
  at: Record<string, number>;
  /** The car's own time of the newest streamed value (built-in receiver only). */
  carAt?: number | undefined;
}

export interface EnergySiteSource {
  kind: 'energy_site';
  id: string;
  summary: Record<string, unknown>;
  live: Record<string, unknown> | undefined;
  liveAt: number | undefined;
  info: Record<string, unknown> | undefined;
  infoAt: number | undefined;
  /** Cumulative energy (kWh) since teslahub first saw the site, for Home Assistant's Energy dashboard. */
  totals: Record<string, number> | undefined;
  /** Bookkeeping behind `totals` (see energy-totals.ts). */
  energyBook?: EnergyBook | undefined;
  /** The battery_control select's state (normal, charge, discharge) and when a duration ends. */
  batteryControl: { mode: 'normal' | 'charge' | 'discharge'; until: number | undefined };
}

export interface EnergyBook {
  /** The site-local day of `todayWh`, from calendar_history. */
  day?: string | undefined;
  todayWh?: Record<string, number> | undefined;
  /** The last live reading integrated, when the totals come from live power. */
  lastLive?: { at: number; watts: Record<string, number> } | undefined;
}

export interface WallConnectorSource {
  kind: 'wall_connector';
  din: string;
  siteId: string;
  /** Its entry in the site's live_status.wall_connectors. */
  live: Record<string, unknown> | undefined;
  liveAt: number | undefined;
  /** Its entry in site_info.components.wall_connectors (part_name, serial). */
  info: Record<string, unknown> | undefined;
}

export interface BridgeSource {
  kind: 'bridge';
  version: string;
  spendUsd: number;
  budgetUsd: number;
  lastPoll: number | undefined;
  tokenExpiry: number | undefined;
  accountConnected: boolean;
}

export type DeviceSource = VehicleSource | EnergySiteSource | WallConnectorSource | BridgeSource;

export type SourceFor<K extends DeviceKind | 'bridge'> = Extract<DeviceSource, { kind: K }>;
