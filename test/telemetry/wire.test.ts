import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import fc from 'fast-check';
import { VehicleAlertSchema, VehicleAlertsSchema } from '../../src/gen/telemetry/vehicle_alert_pb.js';
import { VehicleConnectivitySchema } from '../../src/gen/telemetry/vehicle_connectivity_pb.js';
import { DatumSchema, FieldSchema, PayloadSchema } from '../../src/gen/telemetry/vehicle_data_pb.js';
import { VehicleErrorSchema, VehicleErrorsSchema } from '../../src/gen/telemetry/vehicle_error_pb.js';
import { decodeFrame, encodeAck, encodeStream } from '../../src/telemetry/wire/envelope.js';
import { decodePayload } from '../../src/telemetry/wire/payload.js';
import { encodeConnectivity, encodeVehicleData } from '../../src/telemetry/wire/payload-encode.js';

interface Reference {
  envelope: { slots: Record<string, number>; union: Record<string, number> };
  stream: { slots: Record<string, number> };
  fields: Record<string, number>;
  [message: string]: unknown;
}
const reference = JSON.parse(readFileSync(new URL('./fixtures/wire-reference.json', import.meta.url), 'utf8')) as Reference;

/** Reads a FlatBuffers table by slot number, independently of the generated code. */
class RawTable {
  readonly view: DataView;
  readonly pos: number;
  constructor(view: DataView, pos: number) {
    this.view = view;
    this.pos = pos;
  }
  static root(bytes: Uint8Array): RawTable {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new RawTable(view, view.getUint32(0, true));
  }
  field(slot: number): number | undefined {
    const vtable = this.pos - this.view.getInt32(this.pos, true);
    const at = 4 + 2 * slot;
    if (at >= this.view.getUint16(vtable, true)) return undefined;
    const offset = this.view.getUint16(vtable + at, true);
    return offset === 0 ? undefined : this.pos + offset;
  }
  bytes(slot: number): string {
    const at = this.field(slot);
    if (at === undefined) return '';
    const start = at + this.view.getUint32(at, true);
    const length = this.view.getUint32(start, true);
    return Buffer.from(this.view.buffer, this.view.byteOffset + start + 4, length).toString('utf8');
  }
  table(slot: number): RawTable {
    const at = this.field(slot);
    assert.ok(at !== undefined, `slot ${slot} is set`);
    return new RawTable(this.view, at + this.view.getUint32(at, true));
  }
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const ref = { txid: text('tx-1'), topic: 'V', messageId: text('msg-1') };

describe("Fleet Telemetry wire schemas match Tesla's numbers (reference table in docs/telemetry-wire.md)", () => {
  it("every Field number in the reference table is the generated enum's number", () => {
    for (const [name, number] of Object.entries(reference.fields)) {
      assert.equal(FieldSchema.values.find((value) => value.name === name)?.number, number, name);
    }
  });

  it('protobuf message field numbers', () => {
    const schemas = {
      payload: PayloadSchema,
      datum: DatumSchema,
      connectivity: VehicleConnectivitySchema,
      alerts: VehicleAlertsSchema,
      alert: VehicleAlertSchema,
      errors: VehicleErrorsSchema,
      error: VehicleErrorSchema,
    };
    for (const [key, schema] of Object.entries(schemas)) {
      const expected = reference[key] as Record<string, number>;
      for (const [field, number] of Object.entries(expected)) assert.equal(schema.fields.find((f) => f.name === field)?.number, number, `${key}.${field}`);
      assert.equal(schema.fields.length, Object.keys(expected).length, `${key} has no field the reference lacks`);
    }
  });

  it('a stream envelope puts each field in the reference slot, with union tag 4', () => {
    const frame = encodeStream({
      ...ref,
      createdAt: 1_700_000_000,
      senderId: 'vehicle_device.VIN1',
      deviceType: 'vehicle_device',
      deviceId: 'VIN1',
      deliveredAtMs: 1_700_000_000_123,
      payload: text('pb'),
    });
    const root = RawTable.root(frame);
    const slots = reference.envelope.slots;
    assert.equal(root.bytes(slots.txid ?? -1), 'tx-1');
    assert.equal(root.bytes(slots.topic ?? -1), 'V');
    assert.equal(root.bytes(slots.message_id ?? -1), 'msg-1');
    assert.equal(root.view.getUint8(root.field(slots.message_type ?? -1) ?? -1), reference.envelope.union.FlatbuffersStream);
    const stream = root.table(slots.message ?? -1);
    const s = reference.stream.slots;
    assert.equal(stream.view.getUint32(stream.field(s.created_at ?? -1) ?? -1, true), 1_700_000_000);
    assert.equal(stream.bytes(s.sender_id ?? -1), 'vehicle_device.VIN1');
    assert.equal(stream.bytes(s.payload ?? -1), 'pb');
    assert.equal(stream.bytes(s.device_type ?? -1), 'vehicle_device');
    assert.equal(stream.bytes(s.device_id ?? -1), 'VIN1');
    assert.equal(stream.view.getBigUint64(stream.field(s.delivered_at_epoch_ms ?? -1) ?? -1, true), 1_700_000_000_123n);
  });

  it('an ack echoes txid, topic and message id with union tag 5', () => {
    const root = RawTable.root(encodeAck(ref));
    const slots = reference.envelope.slots;
    assert.equal(root.bytes(slots.txid ?? -1), 'tx-1');
    assert.equal(root.bytes(slots.topic ?? -1), 'V');
    assert.equal(root.bytes(slots.message_id ?? -1), 'msg-1');
    assert.equal(root.view.getUint8(root.field(slots.message_type ?? -1) ?? -1), reference.envelope.union.FlatbuffersStreamAck);
  });
});

describe('frame codec', () => {
  it('decodes what a car sends and what the receiver answers', () => {
    const payload = encodeVehicleData({ vin: 'VIN1', createdAtMs: 1_700_000_000_000, data: [['BatteryLevel', 81.5]] });
    const frame = decodeFrame(
      encodeStream({ ...ref, createdAt: 1_700_000_000, senderId: 's', deviceType: 'vehicle_device', deviceId: 'VIN1', deliveredAtMs: 0, payload }),
    );
    assert.equal(frame.kind, 'stream');
    if (frame.kind !== 'stream') return;
    assert.equal(frame.topic, 'V');
    assert.equal(frame.createdAt, 1_700_000_000);
    assert.deepEqual([...frame.payload], [...payload]);
    const ack = decodeFrame(encodeAck(frame));
    assert.deepEqual(ack, { kind: 'ack', txid: ref.txid, topic: 'V', messageId: ref.messageId });
  });

  it('never throws on hostile bytes: anything that is not an envelope is malformed', () => {
    assert.equal(decodeFrame(new Uint8Array(0)).kind, 'malformed');
    assert.equal(decodeFrame(text('hello, server')).kind, 'malformed');
    const good = encodeStream({ ...ref, createdAt: 1, senderId: 's', deviceType: 't', deviceId: 'd', deliveredAtMs: 0, payload: text('x') });
    for (let cut = 0; cut < good.length; cut += 1) decodeFrame(good.subarray(0, cut));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (noise, at, byte) => {
        decodeFrame(noise);
        const mutated = Uint8Array.from(good);
        mutated[at] = byte;
        const frame = decodeFrame(mutated);
        if (frame.kind === 'stream') assert.ok(frame.payload.length <= mutated.length);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('payload decoding (the JSON shapes of the MQTT dispatcher)', () => {
  it("vehicle data: typed values, enum names, doors, location, invalid, the car's time and resend flag", () => {
    const bytes = encodeVehicleData({
      vin: 'VIN1',
      createdAtMs: 1_700_000_000_500,
      isResend: true,
      data: [
        ['BatteryLevel', 81.5],
        ['ChargeLimitSoc', 80],
        ['Locked', true],
        ['VehicleName', 'Blue'],
        ['Gear', 'ShiftStateD'],
        ['DetailedChargeState', 'DetailedChargeStateCharging'],
        ['Location', { latitude: 52.5, longitude: 13.4 }],
        ['DoorState', { DriverFront: true, TrunkRear: true }],
        ['TpmsSoftWarnings', { front_left: true }],
        ['TimeToFullCharge', null],
      ],
    });
    const decoded = decodePayload('V', bytes);
    assert.ok(decoded.ok && decoded.record.topic === 'V');
    assert.equal(decoded.record.createdAtMs, 1_700_000_000_500);
    assert.equal(decoded.record.isResend, true);
    assert.equal(decoded.record.vin, 'VIN1');
    assert.deepEqual(Object.fromEntries(decoded.record.data.map((d) => [d.field, d.value])), {
      BatteryLevel: 81.5,
      ChargeLimitSoc: 80,
      Locked: true,
      VehicleName: 'Blue',
      Gear: 'ShiftStateD',
      DetailedChargeState: 'DetailedChargeStateCharging',
      Location: { latitude: 52.5, longitude: 13.4 },
      DoorState: { DriverFront: true, DriverRear: false, PassengerFront: false, PassengerRear: false, TrunkFront: false, TrunkRear: true },
      TpmsSoftWarnings: { front_left: true },
      TimeToFullCharge: null,
    });
  });

  it('a field number newer than this build keeps its number', () => {
    const bytes = toBinary(
      PayloadSchema,
      create(PayloadSchema, { vin: 'V', data: [{ key: 9999 as never, value: { value: { case: 'intValue', value: 1 } } }] }),
    );
    const decoded = decodePayload('V', bytes);
    assert.ok(decoded.ok && decoded.record.topic === 'V');
    assert.equal(decoded.record.data[0]?.field, '9999');
  });

  it('connectivity, alerts, errors, other topics, and garbage', () => {
    const connectivity = decodePayload('connectivity', encodeConnectivity('VIN1', 'c-1', true, 1_000_000));
    assert.deepEqual(connectivity, { ok: true, record: { topic: 'connectivity', vin: 'VIN1', status: 'CONNECTED', connectionId: 'c-1' } });
    const alerts = toBinary(
      VehicleAlertsSchema,
      create(VehicleAlertsSchema, { vin: 'VIN1', alerts: [{ name: 'BMS_a', audiences: [1, 2], startedAt: timestampFromMs(5000) }] }),
    );
    assert.deepEqual(decodePayload('alerts', alerts), {
      ok: true,
      record: { topic: 'alerts', vin: 'VIN1', alerts: [{ name: 'BMS_a', audiences: ['Customer', 'Service'], startedAtMs: 5000 }] },
    });
    const errors = toBinary(VehicleErrorsSchema, create(VehicleErrorsSchema, { vin: 'VIN1', errors: [{ name: 'e', body: 'b', tags: { k: 'v' } }] }));
    const decodedErrors = decodePayload('errors', errors);
    assert.ok(decodedErrors.ok && decodedErrors.record.topic === 'errors');
    assert.equal(decodedErrors.record.errors[0]?.tags.k, 'v');
    assert.deepEqual(decodePayload('metrics', new Uint8Array([1, 2])), { ok: true, record: { topic: 'other', name: 'metrics' } });
    assert.equal(decodePayload('V', new Uint8Array([0xff, 0xff, 0xff])).ok, false);
  });
});
