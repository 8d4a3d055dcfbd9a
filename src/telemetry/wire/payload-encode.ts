import { create, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { ConnectivityEvent, VehicleConnectivitySchema } from '../../gen/telemetry/vehicle_connectivity_pb.js';
import { type Field, FieldSchema, PayloadSchema, ValueSchema } from '../../gen/telemetry/vehicle_data_pb.js';

/**
 * The car's side of the payloads (the simulator's car and tests): a value in the JSON shape the
 * receiver produces (payload.ts) turned back into the typed protobuf Value a car with
 * `prefer_typed` sends. Enum member names are unique across the schema's package, so a name such
 * as `ShiftStateP` finds its arm.
 */

type ValueInit = MessageInitShape<typeof ValueSchema>;

const ENUM_MEMBERS = new Map<string, { arm: string; number: number }>();
for (const field of ValueSchema.fields) {
  if (field.fieldKind !== 'enum') continue;
  for (const member of field.enum.values)
    if (member.number !== 0 || !ENUM_MEMBERS.has(member.name)) ENUM_MEMBERS.set(member.name, { arm: field.localName, number: member.number });
}

const FIELD_NUMBERS = new Map<string, Field>(FieldSchema.values.map((value) => [value.name, value.number as Field]));

export function fieldNumber(name: string): Field | undefined {
  return FIELD_NUMBERS.get(name);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The typed Value for a JSON-shaped one. */
export function typedValue(value: unknown): ValueInit {
  if (value === null || value === undefined) return { value: { case: 'invalid', value: true } };
  if (typeof value === 'boolean') return { value: { case: 'booleanValue', value } };
  if (typeof value === 'number')
    return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? { value: { case: 'intValue', value } } : { value: { case: 'doubleValue', value } };
  if (typeof value === 'string') {
    const member = ENUM_MEMBERS.get(value);
    return member ? ({ value: { case: member.arm, value: member.number } } as ValueInit) : { value: { case: 'stringValue', value } };
  }
  if (isObject(value) && typeof value.latitude === 'number' && typeof value.longitude === 'number') {
    return { value: { case: 'locationValue', value: { latitude: value.latitude, longitude: value.longitude } } };
  }
  if (isObject(value) && 'DriverFront' in value) {
    const flag = (key: string): boolean => value[key] === true;
    return {
      value: {
        case: 'doorValue',
        value: {
          DriverFront: flag('DriverFront'),
          DriverRear: flag('DriverRear'),
          PassengerFront: flag('PassengerFront'),
          PassengerRear: flag('PassengerRear'),
          TrunkFront: flag('TrunkFront'),
          TrunkRear: flag('TrunkRear'),
        },
      },
    };
  }
  if (isObject(value)) {
    const flag = (key: string): boolean => value[key] === true;
    return {
      value: {
        case: 'tireLocationValue',
        value: { frontLeft: flag('front_left'), frontRight: flag('front_right'), rearLeft: flag('rear_left'), rearRight: flag('rear_right') },
      },
    };
  }
  return { value: { case: 'stringValue', value: String(value) } };
}

export interface VehicleDataOut {
  vin: string;
  createdAtMs: number;
  isResend?: boolean;
  /** Field name and value (JSON shape, or a typed Value). */
  data: readonly (readonly [field: string, value: unknown])[];
}

export function encodeVehicleData(payload: VehicleDataOut): Uint8Array {
  const data = payload.data.flatMap(([name, value]) => {
    const key = fieldNumber(name);
    return key === undefined ? [] : [{ key, value: typedValue(value) }];
  });
  const message = create(PayloadSchema, { vin: payload.vin, createdAt: timestampFromMs(payload.createdAtMs), isResend: payload.isResend ?? false, data });
  return toBinary(PayloadSchema, message);
}

export function encodeConnectivity(vin: string, connectionId: string, connected: boolean, atMs: number): Uint8Array {
  const status = connected ? ConnectivityEvent.CONNECTED : ConnectivityEvent.DISCONNECTED;
  return toBinary(VehicleConnectivitySchema, create(VehicleConnectivitySchema, { vin, connectionId, status, createdAt: timestampFromMs(atMs) }));
}
