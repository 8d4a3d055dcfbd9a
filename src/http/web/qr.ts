import { type Html, html } from '../html.js';

/**
 * A small QR Code (model 2) encoder for the pairing link: byte mode, error correction level M,
 * versions 1 to 10 (up to 213 bytes), the mask with the lowest penalty. Written from ISO/IEC
 * 18004; enough for a URL, and no dependency or network for the page.
 */

/** [error-correction codewords per block, block groups as [count, data codewords]] per version, level M. */
const LEVEL_M: readonly (readonly [number, readonly (readonly [number, number])[]])[] = [
  [10, [[1, 16]]],
  [16, [[1, 28]]],
  [26, [[1, 44]]],
  [18, [[2, 32]]],
  [24, [[2, 43]]],
  [16, [[4, 27]]],
  [18, [[4, 31]]],
  [
    22,
    [
      [2, 38],
      [2, 39],
    ],
  ],
  [
    22,
    [
      [3, 36],
      [2, 37],
    ],
  ],
  [
    26,
    [
      [4, 43],
      [1, 44],
    ],
  ],
];
const ALIGNMENT: readonly (readonly number[])[] = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]];
/** Level M's two format bits are 00. */
const LEVEL_M_BITS = 0;

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255] ?? 0;
}

function mul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : (EXP[(LOG[a] ?? 0) + (LOG[b] ?? 0)] ?? 0);
}

/** Reed–Solomon error-correction codewords of `data` (the remainder of data·x^n by the generator). */
export function reedSolomon(data: readonly number[], ecCount: number): number[] {
  // Generator (x - α^0)(x - α^1)…(x - α^(n-1)), highest coefficient (1) dropped.
  let generator = [1];
  for (let i = 0; i < ecCount; i++) {
    const next = new Array<number>(generator.length + 1).fill(0);
    for (let j = 0; j < generator.length; j++) {
      next[j] = (next[j] ?? 0) ^ (generator[j] ?? 0);
      next[j + 1] = (next[j + 1] ?? 0) ^ mul(generator[j] ?? 0, EXP[i] ?? 0);
    }
    generator = next;
  }
  const remainder = new Array<number>(ecCount).fill(0);
  for (const byte of data) {
    const factor = byte ^ (remainder.shift() ?? 0);
    remainder.push(0);
    for (let j = 0; j < ecCount; j++) remainder[j] = (remainder[j] ?? 0) ^ mul(generator[j + 1] ?? 0, factor);
  }
  return remainder;
}

function dataCapacity(version: number): number {
  const [, groups] = LEVEL_M[version - 1] ?? [0, []];
  return groups.reduce((sum, [count, size]) => sum + count * size, 0);
}

/** The data codewords: mode, length, bytes, terminator and padding. */
function dataCodewords(bytes: Uint8Array, version: number): number[] {
  const bits: number[] = [];
  const push = (value: number, length: number): void => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  push(0b0100, 4);
  push(bytes.length, version < 10 ? 8 : 16);
  for (const byte of bytes) push(byte, 8);
  const capacityBits = dataCapacity(version) * 8;
  push(0, Math.min(4, capacityBits - bits.length));
  while (bits.length % 8 !== 0) bits.push(0);
  const words: number[] = [];
  for (let i = 0; i < bits.length; i += 8) words.push(bits.slice(i, i + 8).reduce((value, bit) => (value << 1) | bit, 0));
  for (let pad = 0xec; words.length < dataCapacity(version); pad ^= 0xec ^ 0x11) words.push(pad);
  return words;
}

/** Data and error-correction codewords, split into blocks and interleaved. */
function codewords(bytes: Uint8Array, version: number): number[] {
  const [ecCount, groups] = LEVEL_M[version - 1] ?? [0, []];
  const data = dataCodewords(bytes, version);
  const blocks: { data: number[]; ec: number[] }[] = [];
  let offset = 0;
  for (const [count, size] of groups) {
    for (let i = 0; i < count; i++) {
      const chunk = data.slice(offset, offset + size);
      offset += size;
      blocks.push({ data: chunk, ec: reedSolomon(chunk, ecCount) });
    }
  }
  const out: number[] = [];
  const longest = Math.max(...blocks.map((block) => block.data.length));
  for (let i = 0; i < longest; i++) for (const block of blocks) if (i < block.data.length) out.push(block.data[i] ?? 0);
  for (let i = 0; i < ecCount; i++) for (const block of blocks) out.push(block.ec[i] ?? 0);
  return out;
}

/** BCH remainder of `value` (already shifted) by `generator`. */
function bch(value: number, generator: number, generatorBits: number): number {
  let rem = value;
  for (let bit = 31 - Math.clz32(rem); bit >= generatorBits - 1; bit = 31 - Math.clz32(rem)) rem ^= generator << (bit - generatorBits + 1);
  return rem;
}

const MASKS: readonly ((x: number, y: number) => boolean)[] = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

class QrSymbol {
  readonly version: number;
  readonly size: number;
  readonly dark: boolean[][];
  readonly reserved: boolean[][];

  constructor(version: number) {
    this.version = version;
    this.size = version * 4 + 17;
    this.dark = Array.from({ length: this.size }, () => new Array<boolean>(this.size).fill(false));
    this.reserved = Array.from({ length: this.size }, () => new Array<boolean>(this.size).fill(false));
  }

  set(x: number, y: number, dark: boolean): void {
    if (x < 0 || y < 0 || x >= this.size || y >= this.size) return;
    (this.dark[y] as boolean[])[x] = dark;
    (this.reserved[y] as boolean[])[x] = true;
  }

  functionPatterns(): void {
    const { size } = this;
    for (let i = 0; i < size; i++) {
      this.set(6, i, i % 2 === 0);
      this.set(i, 6, i % 2 === 0);
    }
    for (const [cx, cy] of [
      [3, 3],
      [size - 4, 3],
      [3, size - 4],
    ] as const) {
      for (let dy = -4; dy <= 4; dy++) {
        for (let dx = -4; dx <= 4; dx++) {
          const ring = Math.max(Math.abs(dx), Math.abs(dy));
          this.set(cx + dx, cy + dy, ring !== 2 && ring !== 4);
        }
      }
    }
    const centres = ALIGNMENT[this.version - 1] ?? [];
    for (const cy of centres) {
      for (const cx of centres) {
        // Not over the finder patterns.
        if ((cx === 6 && cy === 6) || (cx === 6 && cy === size - 7) || (cx === size - 7 && cy === 6)) continue;
        for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) this.set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }
    this.format(0);
    if (this.version >= 7) {
      const bits = (this.version << 12) | bch(this.version << 12, 0x1f25, 13);
      for (let i = 0; i < 18; i++) {
        const bit = ((bits >>> i) & 1) === 1;
        const a = size - 11 + (i % 3);
        const b = Math.floor(i / 3);
        this.set(a, b, bit);
        this.set(b, a, bit);
      }
    }
  }

  /** The 15 format bits (level and mask) in both copies, and the dark module. */
  format(mask: number): void {
    const { size } = this;
    const data = (LEVEL_M_BITS << 3) | mask;
    const bits = ((data << 10) | bch(data << 10, 0x537, 11)) ^ 0x5412;
    const bit = (i: number): boolean => ((bits >>> i) & 1) === 1;
    for (let i = 0; i <= 5; i++) this.set(8, i, bit(i));
    this.set(8, 7, bit(6));
    this.set(8, 8, bit(7));
    this.set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) this.set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) this.set(size - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) this.set(8, size - 15 + i, bit(i));
    this.set(8, size - 8, true);
  }

  place(words: readonly number[]): void {
    const { size } = this;
    let i = 0;
    for (let right = size - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      const upward = ((right + 1) & 2) === 0;
      for (let vert = 0; vert < size; vert++) {
        const y = upward ? size - 1 - vert : vert;
        for (let j = 0; j < 2; j++) {
          const x = right - j;
          if (this.reserved[y]?.[x]) continue;
          const word = words[i >>> 3] ?? 0;
          (this.dark[y] as boolean[])[x] = i < words.length * 8 && ((word >>> (7 - (i & 7))) & 1) === 1;
          i++;
        }
      }
    }
  }

  applyMask(mask: number): void {
    const test = MASKS[mask] as (x: number, y: number) => boolean;
    for (let y = 0; y < this.size; y++) {
      for (let x = 0; x < this.size; x++) if (!this.reserved[y]?.[x] && test(x, y)) (this.dark[y] as boolean[])[x] = !this.dark[y]?.[x];
    }
  }

  penalty(): number {
    const { size, dark } = this;
    const at = (x: number, y: number): boolean => dark[y]?.[x] === true;
    let score = 0;
    const lines = (get: (i: number, j: number) => boolean): void => {
      for (let i = 0; i < size; i++) {
        let run = 1;
        for (let j = 1; j <= size; j++) {
          if (j < size && get(i, j) === get(i, j - 1)) run++;
          else {
            if (run >= 5) score += run - 2;
            run = 1;
          }
        }
        for (let j = 0; j + 10 < size; j++) {
          const seq = Array.from({ length: 11 }, (_, k) => get(i, j + k));
          const finder = [true, false, true, true, true, false, true];
          const light = [false, false, false, false];
          const matches = (pattern: boolean[]): boolean => pattern.every((value, k) => seq[k] === value);
          if (matches([...finder, ...light]) || matches([...light, ...finder])) score += 40;
        }
      }
    };
    lines((i, j) => at(j, i));
    lines((i, j) => at(i, j));
    let darkCount = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (at(x, y)) darkCount++;
        if (x + 1 < size && y + 1 < size && at(x, y) === at(x + 1, y) && at(x, y) === at(x, y + 1) && at(x, y) === at(x + 1, y + 1)) score += 3;
      }
    }
    const total = size * size;
    score += 10 * Math.max(0, Math.ceil(Math.abs(darkCount * 20 - total * 10) / total) - 1);
    return score;
  }
}

/** The QR code of `text` as rows of modules (true = dark), without the quiet zone. */
export function encodeQr(text: string): boolean[][] {
  const bytes = new TextEncoder().encode(text);
  let version = 1;
  while (version <= 10 && 4 + (version < 10 ? 8 : 16) + bytes.length * 8 > dataCapacity(version) * 8) version++;
  if (version > 10) throw new Error(`text too long for a QR code here (${bytes.length} bytes, at most 213)`);
  const words = codewords(bytes, version);
  let best: QrSymbol | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 8; mask++) {
    const symbol = new QrSymbol(version);
    symbol.functionPatterns();
    symbol.place(words);
    symbol.applyMask(mask);
    symbol.format(mask);
    const score = symbol.penalty();
    if (score < bestScore) {
      best = symbol;
      bestScore = score;
    }
  }
  return (best as QrSymbol).dark.map((row) => [...row]);
}

/** The QR code as a scalable SVG (one path, 4-module quiet zone), labelled for screen readers. */
export function qrSvg(text: string, label: string): Html {
  const modules = encodeQr(text);
  const quiet = 4;
  const size = modules.length + quiet * 2;
  const path: string[] = [];
  for (const [y, row] of modules.entries()) for (const [x, dark] of row.entries()) if (dark) path.push(`M${x + quiet} ${y + quiet}h1v1h-1z`);
  return html`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${label}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path.join('')}" fill="#000"/></svg>`;
}
