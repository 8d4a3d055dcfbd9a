/**
 * The protobuf wire format, by hand, for the few messages of the Vehicle Command Protocol
 * (vehicle-command-protocol.md §2, §9). Writers never drop a field on their own: callers decide
 * what proto3 omits (plain scalars at their default) and what it must keep (a oneof member set
 * to zero, §9.1). Readers keep unknown fields out of the way and never fail on them (P18).
 */

export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;
const UINT32_MAX = 0xffff_ffff;
const UINT64_MAX = (1n << 64n) - 1n;

export class ProtoWriter {
  private readonly bytes: number[] = [];

  private key(field: number, wire: number): void {
    if (!Number.isInteger(field) || field < 1 || field > 536_870_911) throw new ProtobufError(`field number ${field} is out of range`);
    this.rawVarint(BigInt(field) * 8n + BigInt(wire));
  }

  private rawVarint(value: bigint): void {
    let rest = value;
    while (rest >= 0x80n) {
      this.bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.bytes.push(Number(rest));
  }

  uint32(field: number, value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) throw new ProtobufError(`field ${field}: ${value} is not a uint32`);
    this.key(field, WIRE_VARINT);
    this.rawVarint(BigInt(value));
    return this;
  }

  /** int32 and enums: negative values take ten bytes (sign-extended to 64 bits), as protobuf does. */
  int32(field: number, value: number): this {
    if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) throw new ProtobufError(`field ${field}: ${value} is not an int32`);
    this.key(field, WIRE_VARINT);
    this.rawVarint(value < 0 ? BigInt(value) + (1n << 64n) : BigInt(value));
    return this;
  }

  enum(field: number, value: number): this {
    return this.int32(field, value);
  }

  uint64(field: number, value: bigint): this {
    if (value < 0n || value > UINT64_MAX) throw new ProtobufError(`field ${field}: ${value} is not a uint64`);
    this.key(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  bool(field: number, value: boolean): this {
    this.key(field, WIRE_VARINT);
    this.bytes.push(value ? 1 : 0);
    return this;
  }

  /** ZigZag: -1 → 1, 1 → 2. */
  sint32(field: number, value: number): this {
    if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) throw new ProtobufError(`field ${field}: ${value} is not an sint32`);
    this.key(field, WIRE_VARINT);
    this.rawVarint(BigInt(((value << 1) ^ (value >> 31)) >>> 0));
    return this;
  }

  /** Little-endian on the wire (metadata integers are big-endian: P7). */
  fixed32(field: number, value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) throw new ProtobufError(`field ${field}: ${value} is not a fixed32`);
    this.key(field, WIRE_FIXED32);
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.bytes.push(...buffer);
    return this;
  }

  float(field: number, value: number): this {
    if (!Number.isFinite(value)) throw new ProtobufError(`field ${field}: ${value} is not a finite number`);
    this.key(field, WIRE_FIXED32);
    const buffer = Buffer.alloc(4);
    buffer.writeFloatLE(value);
    this.bytes.push(...buffer);
    return this;
  }

  double(field: number, value: number): this {
    if (!Number.isFinite(value)) throw new ProtobufError(`field ${field}: ${value} is not a finite number`);
    this.key(field, WIRE_FIXED64);
    const buffer = Buffer.alloc(8);
    buffer.writeDoubleLE(value);
    this.bytes.push(...buffer);
    return this;
  }

  bytesField(field: number, value: Uint8Array): this {
    this.key(field, WIRE_LENGTH);
    this.rawVarint(BigInt(value.length));
    for (const byte of value) this.bytes.push(byte);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, Buffer.from(value, 'utf8'));
  }

  /** An embedded message; an empty one still writes `<key> 00` (a set oneof member, §9.1). */
  message(field: number, value: Uint8Array | ProtoWriter): this {
    return this.bytesField(field, value instanceof ProtoWriter ? value.finish() : value);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export interface ProtoField {
  field: number;
  wire: number;
  /** Varint value (wire 0). */
  varint: bigint;
  /** Raw bytes: the payload of a length-delimited field, or the 4/8 bytes of a fixed field. */
  data: Uint8Array;
}

function readVarint(data: Uint8Array, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  let index = start;
  for (;;) {
    if (index >= data.length) throw new ProtobufError('truncated varint');
    if (shift > 63n) throw new ProtobufError('varint longer than 10 bytes');
    const byte = data[index] ?? 0;
    index += 1;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7n;
  }
  return { value: value & UINT64_MAX, next: index };
}

/** Splits a message into its fields, in wire order; throws ProtobufError on malformed input. */
export function parseFields(data: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let index = 0;
  const empty = new Uint8Array(0);
  while (index < data.length) {
    const key = readVarint(data, index);
    index = key.next;
    const field = Number(key.value >> 3n);
    const wire = Number(key.value & 7n);
    if (field < 1 || field > 536_870_911) throw new ProtobufError(`invalid field number ${field}`);
    if (wire === WIRE_VARINT) {
      const value = readVarint(data, index);
      index = value.next;
      fields.push({ field, wire, varint: value.value, data: empty });
    } else if (wire === WIRE_LENGTH) {
      const length = readVarint(data, index);
      index = length.next;
      const end = index + Number(length.value);
      if (length.value > BigInt(data.length) || end > data.length) throw new ProtobufError(`field ${field} runs past the end of the message`);
      fields.push({ field, wire, varint: 0n, data: data.subarray(index, end) });
      index = end;
    } else if (wire === WIRE_FIXED32 || wire === WIRE_FIXED64) {
      const size = wire === WIRE_FIXED32 ? 4 : 8;
      if (index + size > data.length) throw new ProtobufError(`field ${field} runs past the end of the message`);
      fields.push({ field, wire, varint: 0n, data: data.subarray(index, index + size) });
      index += size;
    } else {
      throw new ProtobufError(`field ${field} uses wire type ${wire}, which these messages never use`);
    }
  }
  return fields;
}

/** Typed reads of a parsed message. For a repeated scalar written twice, the last value wins (proto3). */
export class ProtoMessage {
  readonly fields: readonly ProtoField[];

  private constructor(fields: ProtoField[]) {
    this.fields = fields;
  }

  static parse(data: Uint8Array): ProtoMessage {
    return new ProtoMessage(parseFields(data));
  }

  has(field: number): boolean {
    return this.fields.some((f) => f.field === field);
  }

  private last(field: number, wire: number): ProtoField | undefined {
    let found: ProtoField | undefined;
    for (const f of this.fields) {
      if (f.field !== field) continue;
      if (f.wire !== wire) throw new ProtobufError(`field ${field} has wire type ${f.wire}, expected ${wire}`);
      found = f;
    }
    return found;
  }

  /** Of the given oneof members, the one set last (or undefined). */
  oneof(members: readonly number[]): number | undefined {
    let found: number | undefined;
    for (const f of this.fields) if (members.includes(f.field)) found = f.field;
    return found;
  }

  uint32(field: number): number {
    return Number((this.last(field, WIRE_VARINT)?.varint ?? 0n) & 0xffff_ffffn);
  }

  int32(field: number): number {
    const low = Number((this.last(field, WIRE_VARINT)?.varint ?? 0n) & 0xffff_ffffn);
    return low | 0;
  }

  enum(field: number): number {
    return this.int32(field);
  }

  uint64(field: number): bigint {
    return this.last(field, WIRE_VARINT)?.varint ?? 0n;
  }

  bool(field: number): boolean {
    return (this.last(field, WIRE_VARINT)?.varint ?? 0n) !== 0n;
  }

  sint32(field: number): number {
    const raw = this.uint32(field);
    return (raw >>> 1) ^ -(raw & 1);
  }

  fixed32(field: number): number {
    const f = this.last(field, WIRE_FIXED32);
    return f ? Buffer.from(f.data).readUInt32LE(0) : 0;
  }

  float(field: number): number {
    const f = this.last(field, WIRE_FIXED32);
    return f ? Buffer.from(f.data).readFloatLE(0) : 0;
  }

  double(field: number): number {
    const f = this.last(field, WIRE_FIXED64);
    return f ? Buffer.from(f.data).readDoubleLE(0) : 0;
  }

  bytes(field: number): Uint8Array | undefined {
    return this.last(field, WIRE_LENGTH)?.data;
  }

  string(field: number): string {
    const data = this.bytes(field);
    return data ? Buffer.from(data).toString('utf8') : '';
  }

  message(field: number): ProtoMessage | undefined {
    const data = this.bytes(field);
    return data ? ProtoMessage.parse(data) : undefined;
  }

  /** Every occurrence of a repeated message field, in order. */
  messages(field: number): ProtoMessage[] {
    return this.fields.filter((f) => f.field === field && f.wire === WIRE_LENGTH).map((f) => ProtoMessage.parse(f.data));
  }
}
