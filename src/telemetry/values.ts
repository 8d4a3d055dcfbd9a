/**
 * Readers for the bare JSON values fleet-telemetry's MQTT dispatcher publishes. The same field can arrive typed (`75.5`) or as text (`"75.500"`, firmware without
 * prefer_typed), enums arrive as their member names (`"ShiftStateD"`), and `null` means Tesla
 * marked the value invalid. Each reader returns the value, `null` for invalid, or `undefined` when
 * the payload is not that kind of value at all (then the last good value is kept).
 */

export type Read<T> = T | null | undefined;

export function readNumber(value: unknown): Read<number> {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

export function readBoolean(value: unknown): Read<boolean> {
  if (value === null) return null;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

export function readText(value: unknown): Read<string> {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * An enum member's name without its type prefix (`"DetailedChargeStateCharging"` → `"Charging"`).
 * A bare member name (`"Charging"`) is accepted as well: older firmware sent some enums as text.
 */
export function readEnum(value: unknown, prefix: string): Read<string> {
  if (value === null) return null;
  if (typeof value !== 'string' || value === '') return undefined;
  return value.startsWith(prefix) && value.length > prefix.length ? value.slice(prefix.length) : value;
}

export interface LatLon {
  latitude: number;
  longitude: number;
}

const TEXT_LOCATION = /^\(\s*(-?\d+(?:\.\d+)?)\s*([NS])\s*,\s*(-?\d+(?:\.\d+)?)\s*([EW])\s*\)$/;

/** `{"latitude":…, "longitude":…}`, or the text form `(37.41 N, 122.14 W)` the server leaves on some fields. */
export function readLocation(value: unknown): Read<LatLon> {
  if (value === null) return null;
  if (typeof value === 'string') {
    const match = TEXT_LOCATION.exec(value.trim());
    if (!match) return undefined;
    const lat = Number(match[1]) * (match[2] === 'S' ? -1 : 1);
    const lon = Number(match[3]) * (match[4] === 'W' ? -1 : 1);
    return { latitude: lat, longitude: lon };
  }
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { latitude, longitude } = value as Record<string, unknown>;
  const lat = readNumber(latitude);
  const lon = readNumber(longitude);
  if (typeof lat !== 'number' || typeof lon !== 'number' || Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  return { latitude: lat, longitude: lon };
}

/**
 * A JSON object of booleans: DoorState carries all six keys; TireLocation only the true ones
 * (proto3 leaves false out), so a missing key reads as false.
 */
export function readFlags(value: unknown): Read<Record<string, boolean>> {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, boolean> = {};
  for (const [key, flag] of Object.entries(value as Record<string, unknown>)) {
    const read = readBoolean(flag);
    if (read === undefined) return undefined;
    out[key] = read === true;
  }
  return out;
}

/** Parses an MQTT payload as JSON; a payload that is not JSON is taken as bare text (lenient, as dispatchers vary). */
export function parsePayload(payload: Buffer | string): unknown {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
