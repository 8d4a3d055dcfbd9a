import type { DeviceAction, VehicleCommandName, VehicleStep } from './actions.js';
import { CommandRefused, type EntityDescriptor } from './descriptors.js';
import { at, bool, num, text } from './read.js';
import type { VehicleSource } from './sources.js';

/**
 * Shared readers and builders of the vehicle table. Getters read Tesla's vehicle_data by its own
 * dotted paths, so every row can be checked against Tesla's documentation.
 */

export type VehicleRow = EntityDescriptor<VehicleSource>;

/** Scopes for commands a charging-only token may also send (Tesla's vehicle_charging_cmds). */
export const CHARGING_SCOPES = ['vehicle_cmds', 'vehicle_charging_cmds'] as const;
export const COMMAND_SCOPES = ['vehicle_cmds'] as const;

export function field(s: VehicleSource, path: string): unknown {
  return at(s.data, path);
}

export const numAt =
  (path: string) =>
  (s: VehicleSource): number | null =>
    num(field(s, path));

export const boolAt =
  (path: string) =>
  (s: VehicleSource): boolean | null =>
    bool(field(s, path));

/** Text for a sensor: a placeholder (`<invalid>`, empty, `Unknown`) is no value, and Home Assistant keeps at most 255 characters. */
export const textAt =
  (path: string) =>
  (s: VehicleSource): string | null =>
    text(field(s, path))?.slice(0, 255) ?? null;

/** Whether vehicle_data carried this section at all (null fields inside it then mean "none", not "unknown"). */
export function hasSection(s: VehicleSource, section: string): boolean {
  const value = field(s, section);
  return value !== null && typeof value === 'object';
}

/** Tesla's spelling → ours, for enum sensors; a value Tesla adds later reads as unknown. */
export function mapped(map: ReadonlyMap<string, string>, value: unknown): string | null {
  return typeof value === 'string' ? (map.get(value) ?? null) : null;
}

/**
 * The instant `minutes` after the data was taken, to the whole minute: Home Assistant wants
 * "when", Tesla says "in how long", and an estimate that holds steady then publishes nothing new.
 * The base is the data's own time, never the clock, so a restored sleeping car's value stays put.
 */
export function minutesAfterData(s: VehicleSource, minutes: number | null, path?: string): string | null {
  const base = path === undefined ? s.dataAt : valueTime(s, path);
  if (minutes === null || base === undefined) return null;
  const at = Math.round((base + minutes * 60_000) / 60_000) * 60_000;
  return new Date(at).toISOString();
}

/** When the value at `path` arrived: streamed (Fleet Telemetry) when that is newer than the last vehicle_data. */
export function valueTime(s: VehicleSource, path: string): number | undefined {
  const streamed = s.stream?.at[path];
  return streamed !== undefined && (s.dataAt === undefined || streamed > s.dataAt) ? streamed : s.dataAt;
}

export function carPosition(s: VehicleSource): { latitude: number; longitude: number } | null {
  const latitude = num(field(s, 'drive_state.latitude'));
  const longitude = num(field(s, 'drive_state.longitude'));
  return latitude === null || longitude === null ? null : { latitude, longitude };
}

/** A REST command (Tesla's command name and JSON body); `steps` run first (e.g. climate on before a seat heater). */
export function act(command: VehicleCommandName, body: Record<string, unknown> = {}, steps: VehicleStep[] = []): DeviceAction {
  return steps.length > 0 ? { kind: 'vehicle', command, body, steps } : { kind: 'vehicle', command, body };
}

/** Seat and wheel heaters only warm while climate runs, so climate is started first unless it is known to be on. */
export function climateFirst(s: VehicleSource, level: number): VehicleStep[] {
  return level > 0 && bool(field(s, 'climate_state.is_climate_on')) !== true ? [{ command: 'auto_conditioning_start', body: {} }] : [];
}

/** The index of an offered option, or a refusal naming the ones there are. */
export function optionIndex(options: readonly string[], option: string): number {
  const index = options.indexOf(option);
  if (index < 0) throw new CommandRefused('invalid_value', `"${option}" is not one of ${options.join(', ')}`);
  return index;
}
