import type { ByteBuffer } from 'flatbuffers';

/**
 * The flatbuffers runtime trusts its input: an offset pointing outside the frame reads zeros or
 * garbage instead of failing. Before any accessor runs, a table from the network is checked here:
 * its vtable and its own bytes lie inside the frame and every field it declares lies inside the
 * table. Vectors are checked where they are read (a view outside the frame throws RangeError).
 */
export function tableInBounds(bb: ByteBuffer, position: number): boolean {
  const size = bb.capacity();
  if (!Number.isInteger(position) || position < 0 || position % 4 !== 0 || position + 4 > size) return false;
  const vtable = position - bb.readInt32(position);
  if (vtable < 0 || vtable % 2 !== 0 || vtable + 4 > size) return false;
  const vtableSize = bb.readUint16(vtable);
  const tableSize = bb.readUint16(vtable + 2);
  if (vtableSize < 4 || vtableSize % 2 !== 0 || vtable + vtableSize > size) return false;
  if (tableSize < 4 || position + tableSize > size) return false;
  for (let slot = 4; slot < vtableSize; slot += 2) {
    const offset = bb.readUint16(vtable + slot);
    if (offset !== 0 && (offset < 4 || offset >= tableSize)) return false;
  }
  return true;
}

/** The position of the root table, when the frame is long enough to hold one. */
export function rootPosition(bb: ByteBuffer): number | undefined {
  if (bb.capacity() < 8) return undefined;
  const root = bb.readUint32(0);
  return root < bb.capacity() ? root : undefined;
}

/** A referenced table's position (a uoffset stored at `at`), when it points forward inside the frame. */
export function referencedPosition(bb: ByteBuffer, at: number): number | undefined {
  if (at + 4 > bb.capacity()) return undefined;
  const target = at + bb.readUint32(at);
  return target < bb.capacity() ? target : undefined;
}
