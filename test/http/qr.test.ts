import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import jsQRModule from 'jsqr';
import { encodeQr, qrSvg, reedSolomon } from '../../src/http/web/qr.js';

// jsqr is CommonJS whose types declare an ES default export: under NodeNext the function is that default's default.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string; version: number } | null;

/** Draws the modules as an RGBA image with a quiet zone, as a camera would see the printed code. */
function decode(modules: boolean[][]): { data: string; version: number } | null {
  const scale = 4;
  const quiet = 4;
  const n = (modules.length + quiet * 2) * scale;
  const pixels = new Uint8ClampedArray(n * n * 4);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const dark = modules[Math.floor(y / scale) - quiet]?.[Math.floor(x / scale) - quiet] === true;
      const i = (y * n + x) * 4;
      pixels[i] = pixels[i + 1] = pixels[i + 2] = dark ? 0 : 255;
      pixels[i + 3] = 255;
    }
  }
  const result = jsQR(pixels, n, n);
  return result ? { data: result.data, version: result.version } : null;
}

describe('QR code encoder', () => {
  it('computes Reed–Solomon codewords as in ISO/IEC 18004 annex I (1-M, "01234567")', () => {
    const data = [0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11];
    assert.deepEqual(reedSolomon(data, 10), [0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55]);
  });

  it('makes codes an independent decoder reads back, from version 1 to 10 (version information from 7 on)', () => {
    const texts = [
      'a',
      'https://tesla.com/_ak/tesla.example.com',
      'https://tesla.com/_ak/a-rather-long-subdomain.of-a-home-server.example.org',
      `https://tesla.com/_ak/${'x'.repeat(100)}.example.com`,
      'é'.repeat(100),
    ];
    const versions = new Set<number>();
    for (const text of texts) {
      const modules = encodeQr(text);
      const version = (modules.length - 17) / 4;
      assert.ok(Number.isInteger(version) && version >= 1 && version <= 10, `size ${modules.length}`);
      const read = decode(modules);
      assert.equal(read?.data, text, `decoded ${text.slice(0, 30)}`);
      assert.equal(read?.version, version);
      versions.add(version);
    }
    assert.ok(
      [...versions].some((v) => v >= 7),
      `a version with version information among ${[...versions].join(', ')}`,
    );
    assert.ok(versions.has(1));
  });

  it('picks the smallest version that fits and refuses text beyond version 10', () => {
    assert.equal(encodeQr('x'.repeat(14)).length, 21, '14 bytes fit version 1-M');
    assert.equal(encodeQr('x'.repeat(15)).length, 25, '15 bytes need version 2');
    assert.equal(encodeQr('x'.repeat(213)).length, 57, '213 bytes fit version 10-M');
    assert.throws(() => encodeQr('x'.repeat(214)), /too long/);
  });

  it('draws an SVG image with a label for screen readers and the label escaped', () => {
    const svg = qrSvg('https://tesla.com/_ak/x.example', 'QR code of <the> "link"').text;
    assert.match(svg, /^<svg class="qr" [^>]*role="img" aria-label="QR code of &lt;the&gt; &quot;link&quot;"/);
    const modules = encodeQr('https://tesla.com/_ak/x.example');
    const dark = modules.flat().filter(Boolean).length;
    assert.equal((svg.match(/h1v1h-1z/g) ?? []).length, dark, 'one square per dark module');
  });
});
