import type { DeviceRef } from '../../core/daemon-events.js';
import type { EntityDescriptor } from '../../model/descriptors.js';
import { isControl } from '../../model/descriptors.js';
import type { DeviceRegistry } from '../../model/device-registry.js';
import { siteIdentity, vehicleIdentity, wallConnectorIdentity } from '../../model/identity.js';
import type { DeviceNaming } from '../../model/naming.js';
import { ENTITY_TABLES } from '../../model/tables.js';
import { type DeviceIdentity, UNKNOWN_PAYLOAD } from '../../mqtt/discovery.js';
import { entityStateMessages } from '../../mqtt/entity-state.js';
import type { Topics } from '../../mqtt/topics.js';

/** One device with its identity, its table and the data the table reads. */
export interface DeviceEntry {
  ref: DeviceRef;
  identity: DeviceIdentity;
  rows: readonly EntityDescriptor<unknown>[];
  source: unknown;
}

/** Every device the registry knows, cars first, then sites, then Wall Connectors. */
export function deviceEntries(registry: DeviceRegistry, naming: DeviceNaming): DeviceEntry[] {
  const rows = <K extends 'vehicle' | 'energy_site' | 'wall_connector'>(kind: K): readonly EntityDescriptor<unknown>[] =>
    ENTITY_TABLES[kind] as unknown as readonly EntityDescriptor<unknown>[];
  return [
    ...registry
      .vehicles()
      .map((s) => ({ ref: { kind: 'vehicle', id: s.vin } as DeviceRef, identity: vehicleIdentity(s, naming), rows: rows('vehicle'), source: s as unknown })),
    ...registry.sites().map((s) => ({
      ref: { kind: 'energy_site', id: s.id } as DeviceRef,
      identity: siteIdentity(s, naming),
      rows: rows('energy_site'),
      source: s as unknown,
    })),
    ...registry.wallConnectors().map((s) => ({
      ref: { kind: 'wall_connector', id: s.din } as DeviceRef,
      identity: wallConnectorIdentity(s),
      rows: rows('wall_connector'),
      source: s as unknown,
    })),
  ];
}

/** One device's entry, or undefined when the registry does not know it: work for that device only. */
export function deviceEntry(registry: DeviceRegistry, naming: DeviceNaming, ref: DeviceRef): DeviceEntry | undefined {
  const rows = ENTITY_TABLES[ref.kind] as unknown as readonly EntityDescriptor<unknown>[];
  switch (ref.kind) {
    case 'vehicle': {
      const s = registry.vehicle(ref.id);
      return s ? { ref, identity: vehicleIdentity(s, naming), rows, source: s } : undefined;
    }
    case 'energy_site': {
      const s = registry.site(ref.id);
      return s ? { ref, identity: siteIdentity(s, naming), rows, source: s } : undefined;
    }
    case 'wall_connector': {
      const s = registry.wallConnector(ref.id);
      return s ? { ref, identity: wallConnectorIdentity(s), rows, source: s } : undefined;
    }
  }
}

/** How a control is drawn on the page; the values come from the same table as MQTT. */
export type ControlView =
  | { type: 'number'; min: number; max: number; step: number; value: number | null; unit: string | undefined }
  | { type: 'switch'; on: boolean | null }
  | { type: 'select'; options: readonly string[]; value: string | null }
  | { type: 'lock'; locked: boolean | null }
  | { type: 'button' }
  | { type: 'cover'; supports: readonly string[] }
  | { type: 'climate'; modes: readonly string[]; mode: string | null; min: number; max: number; step: number; target: number | null }
  | { type: 'update' };

export interface EntityView {
  key: string;
  name: string;
  platform: string;
  /** Home Assistant's enabled-by-default: the others are listed, folded away. */
  primary: boolean;
  /** The MQTT state payload ("None" when unknown), or null for entities without a state (buttons). */
  payload: string | null;
  /** The value as a person reads it, with its unit. */
  text: string;
  control: ControlView | undefined;
}

function resolve<S>(bound: number | ((source: S) => number), source: S): number {
  return typeof bound === 'function' ? bound(source) : bound;
}

function controlView(d: EntityDescriptor<unknown>, source: unknown): ControlView | undefined {
  if (!isControl(d)) return undefined;
  switch (d.platform) {
    case 'number':
      return { type: 'number', min: resolve(d.min, source), max: resolve(d.max, source), step: d.step, value: d.value(source), unit: d.unit };
    case 'switch':
      return { type: 'switch', on: d.value(source) };
    case 'select':
      return { type: 'select', options: d.options, value: d.value(source) };
    case 'lock':
      return { type: 'lock', locked: d.value(source) };
    case 'button':
      return { type: 'button' };
    case 'cover':
      return { type: 'cover', supports: d.supports };
    case 'climate':
      return {
        type: 'climate',
        modes: d.modes,
        mode: d.mode(source),
        min: resolve(d.minTemp, source),
        max: resolve(d.maxTemp, source),
        step: d.tempStep,
        target: d.targetTemperature(source),
      };
    case 'update':
      return { type: 'update' };
    default:
      return undefined;
  }
}

function unitOf(d: EntityDescriptor<unknown>): string | undefined {
  return d.platform === 'sensor' || d.platform === 'number' ? d.unit : undefined;
}

function withUnit(value: string, unit: string | undefined): string {
  if (!unit) return value;
  return unit === '%' ? `${value} %` : `${value} ${unit}`;
}

/** A state payload as text for people: units, "unknown", and the JSON of climate, update and location spelled out. */
export function displayValue(d: EntityDescriptor<unknown>, payload: string | null): string {
  if (payload === null) return '';
  if (payload === UNKNOWN_PAYLOAD) return 'unknown';
  switch (d.platform) {
    case 'climate': {
      const state = parseObject(payload);
      if (!state) return payload;
      const parts = [String(state.mode ?? 'unknown')];
      if (typeof state.target_temperature === 'number') parts.push(`set to ${state.target_temperature} °C`);
      if (typeof state.current_temperature === 'number') parts.push(`inside ${state.current_temperature} °C`);
      if (typeof state.preset === 'string') parts.push(state.preset);
      return parts.join(', ');
    }
    case 'update': {
      const state = parseObject(payload);
      if (!state) return payload;
      const installed = typeof state.installed_version === 'string' ? state.installed_version : 'unknown';
      const latest = typeof state.latest_version === 'string' && state.latest_version !== installed ? `; ${state.latest_version} available` : '';
      return `${installed}${latest}${state.in_progress === true ? ' (installing)' : ''}`;
    }
    case 'device_tracker': {
      const location = parseObject(payload);
      if (!location || typeof location.latitude !== 'number' || typeof location.longitude !== 'number') return 'unknown';
      return `${location.latitude.toFixed(5)}, ${location.longitude.toFixed(5)}`;
    }
    default: {
      // Home Assistant rounds for display by the entity's precision; so does the page.
      const precision = d.platform === 'sensor' ? d.precision : undefined;
      const shown = precision !== undefined && /^-?\d+(\.\d+)?$/.test(payload) ? String(Number(Number(payload).toFixed(precision))) : payload;
      return withUnit(shown, unitOf(d));
    }
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The entities a device has, with their values and controls, in table order. */
export function entityViews(entry: DeviceEntry, topics: Topics): EntityView[] {
  return entry.rows
    .filter((row) => !row.present || row.present(entry.source))
    .map((row) => {
      const state = entityStateMessages(entry.identity, row, entry.source, topics)[0];
      const payload = state ? state[1] : row.platform === 'device_tracker' ? UNKNOWN_PAYLOAD : null;
      return {
        key: row.key,
        name: row.name,
        platform: row.platform,
        primary: row.enabledByDefault !== false,
        payload,
        text: displayValue(row, payload),
        control: controlView(row, entry.source),
      };
    });
}

/** The address the page and the JSON use for a device: `<kind>.<topic id>`, as in automations. */
export function deviceAddress(identity: DeviceIdentity): string {
  return `${identity.kind}.${identity.topicId}`;
}
