import type { DeviceRef } from './devices.js';

export type { DeviceRef };

/** What goes out on <base>/bridge/event (never retained): command results, wakes, errors, runs. */
export interface BridgeEvent {
  type: string;
  [key: string]: unknown;
}

/**
 * Every event that travels on the daemon's bus, by name. Features add their events here so that
 * emitters and listeners agree on payloads at compile time.
 */
export interface DaemonEvents {
  /** The MQTT client finished a (re)connect; retained state must be republished. */
  'mqtt.connected': { url: string; reconnect: boolean };
  'mqtt.disconnected': { url: string; reason: string };
  /** New tokens are saved (after a login or a refresh). */
  'auth.tokens': { sub: string | null; expiresAt: number; scopes: string[]; via: 'login' | 'refresh' };
  /** Tesla refused the refresh token: nothing works until the user logs in again. */
  'auth.login_required': { reason: string };
  /** A device's data changed (or it appeared): publish its entities. */
  'device.updated': DeviceRef;
  /** A device is gone from the account or from the config: remove its entities. */
  'device.removed': DeviceRef & { source: unknown };
  /** Something for <base>/bridge/event. */
  'bridge.event': BridgeEvent;
  /** Someone (a person, an automation, a command) wants fresh data for a device now. */
  'device.refresh': DeviceRef & { reason: string };
  /** The API budget's mode changed (normal, slow, stop). */
  'budget.changed': { mode: 'normal' | 'slow' | 'stop'; month: string; spentUsd: number; projectedUsd: number; budgetUsd: number };
  /** Someone wants the account's devices read again (products) and every device refreshed. */
  'devices.refresh': { reason: string };
  /** A car refused our key for signed commands (not paired), or accepted it again. */
  'vehicle.pairing': { vin: string; paired: boolean };
  /** Fleet Telemetry: a car started streaming healthily (no polling needed) or fell back to polling, and why. */
  'telemetry.status': { vin: string; streaming: boolean; reason: string };
}
