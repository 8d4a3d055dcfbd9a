import { type DescField, type DescMessage, fromBinary, type Message } from '@bufbuild/protobuf';
import { type Timestamp, timestampMs } from '@bufbuild/protobuf/wkt';
import { AudienceSchema, VehicleAlertsSchema } from '../../gen/telemetry/vehicle_alert_pb.js';
import { ConnectivityEventSchema, VehicleConnectivitySchema } from '../../gen/telemetry/vehicle_connectivity_pb.js';
import { FieldSchema, PayloadSchema, type Value, ValueSchema } from '../../gen/telemetry/vehicle_data_pb.js';
import { VehicleErrorsSchema } from '../../gen/telemetry/vehicle_error_pb.js';

/**
 * The protobuf inside a stream message, chosen by the envelope's topic (docs/telemetry-wire.md).
 * Values come out in the JSON shapes fleet-telemetry's MQTT dispatcher publishes (enum member
 * names, `{latitude, longitude}`, door and tyre flags, `null` for invalid), so the built-in receiver
 * and the MQTT source feed the same field rules (field-map.ts).
 */

export interface Datum {
  /** The Field enum name, or the number when this build does not know it yet. */
  field: string;
  value: unknown;
}

export type Record =
  | { topic: 'V'; vin: string; createdAtMs: number | undefined; isResend: boolean; data: Datum[] }
  | { topic: 'alerts'; vin: string; alerts: { name: string; audiences: string[]; startedAtMs?: number; endedAtMs?: number }[] }
  | { topic: 'errors'; vin: string; errors: { name: string; body: string; tags: Readonly<globalThis.Record<string, string>>; createdAtMs?: number }[] }
  | { topic: 'connectivity'; vin: string; status: 'CONNECTED' | 'DISCONNECTED' | 'UNKNOWN'; connectionId: string }
  | { topic: 'other'; name: string };

export type Decoded = { ok: true; record: Record } | { ok: false; reason: string };

/** Bounds one message: more data points than any configuration could produce is not a car. */
const MAX_DATA = 2_000;

/** The Value oneof's arms by their generated name, for turning enum numbers into member names. */
const ARMS = new Map<string, DescField>(ValueSchema.fields.map((field) => [field.localName, field]));

function ms(timestamp: Timestamp | undefined): number | undefined {
  if (!timestamp) return undefined;
  const value = timestampMs(timestamp);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function messageFlags(desc: DescMessage, message: Message, onlyTrue: boolean): globalThis.Record<string, boolean> {
  const out: globalThis.Record<string, boolean> = {};
  for (const field of desc.fields) {
    const flag = (message as unknown as globalThis.Record<string, unknown>)[field.localName] === true;
    if (flag || !onlyTrue) out[field.name] = flag;
  }
  return out;
}

const pad = (n: number): string => String(Math.max(0, Math.trunc(n))).padStart(2, '0');

/** One Value as the MQTT dispatcher would have published it. */
export function valueJson(value: Value | undefined): unknown {
  const arm = value?.value;
  if (!arm || arm.case === undefined) return null;
  switch (arm.case) {
    case 'invalid':
      return null;
    case 'longValue':
      return Number(arm.value);
    case 'locationValue':
      return { latitude: arm.value.latitude, longitude: arm.value.longitude };
    case 'doorValue':
      return messageFlags(descOf('doorValue'), arm.value, false);
    case 'tireLocationValue':
      return messageFlags(descOf('tireLocationValue'), arm.value, true);
    case 'timeValue':
      return `${pad(arm.value.hour)}:${pad(arm.value.minute)}:${pad(arm.value.second)}`;
    case 'stringValue':
    case 'intValue':
    case 'floatValue':
    case 'doubleValue':
    case 'booleanValue':
      return arm.value;
    default: {
      const field = ARMS.get(arm.case);
      if (field?.fieldKind !== 'enum' || typeof arm.value !== 'number') return null;
      return field.enum.value[arm.value]?.name ?? arm.value;
    }
  }
}

function descOf(arm: string): DescMessage {
  const field = ARMS.get(arm);
  if (field?.fieldKind !== 'message') throw new Error(`${arm} is not a message arm`);
  return field.message;
}

function vehicleData(bytes: Uint8Array): Record {
  const payload = fromBinary(PayloadSchema, bytes);
  if (payload.data.length > MAX_DATA) throw new RangeError(`${payload.data.length} data points`);
  const data = payload.data.map((datum) => ({ field: FieldSchema.value[datum.key]?.name ?? String(datum.key), value: valueJson(datum.value) }));
  return { topic: 'V', vin: payload.vin, createdAtMs: ms(payload.createdAt), isResend: payload.isResend, data };
}

function alerts(bytes: Uint8Array): Record {
  const message = fromBinary(VehicleAlertsSchema, bytes);
  return {
    topic: 'alerts',
    vin: message.vin,
    alerts: message.alerts.slice(0, MAX_DATA).map((alert) => {
      const startedAtMs = ms(alert.startedAt);
      const endedAtMs = ms(alert.endedAt);
      return {
        name: alert.name,
        audiences: alert.audiences.map((audience) => AudienceSchema.value[audience]?.name ?? String(audience)),
        ...(startedAtMs === undefined ? {} : { startedAtMs }),
        ...(endedAtMs === undefined ? {} : { endedAtMs }),
      };
    }),
  };
}

function errors(bytes: Uint8Array): Record {
  const message = fromBinary(VehicleErrorsSchema, bytes);
  return {
    topic: 'errors',
    vin: message.vin,
    errors: message.errors.slice(0, MAX_DATA).map((error) => {
      const createdAtMs = ms(error.createdAt);
      const tags = Object.assign(Object.create(null) as globalThis.Record<string, string>, error.tags);
      return { name: error.name, body: error.body, tags, ...(createdAtMs === undefined ? {} : { createdAtMs }) };
    }),
  };
}

function connectivity(bytes: Uint8Array): Record {
  const message = fromBinary(VehicleConnectivitySchema, bytes);
  const name = ConnectivityEventSchema.value[message.status]?.name;
  const status = name === 'CONNECTED' || name === 'DISCONNECTED' ? name : 'UNKNOWN';
  return { topic: 'connectivity', vin: message.vin, status, connectionId: message.connectionId };
}

/** Decodes a stream message's payload by its topic; an undecodable payload is a reason, not an exception. */
export function decodePayload(topic: string, bytes: Uint8Array): Decoded {
  try {
    switch (topic) {
      case 'V':
        return { ok: true, record: vehicleData(bytes) };
      case 'alerts':
        return { ok: true, record: alerts(bytes) };
      case 'errors':
        return { ok: true, record: errors(bytes) };
      case 'connectivity':
        return { ok: true, record: connectivity(bytes) };
      default:
        return { ok: true, record: { topic: 'other', name: topic.slice(0, 64) } };
    }
  } catch (error) {
    return { ok: false, reason: `undecodable ${topic.slice(0, 64)} payload (${error instanceof Error ? error.message.slice(0, 120) : 'unknown'})` };
  }
}
