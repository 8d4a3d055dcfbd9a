import { readFileSync } from 'node:fs';

/**
 * The official and derived known answers of the Vehicle Command Protocol
 * (copied unchanged from ../shared/reference/vcp-test-vectors.json). Read as loosely typed JSON:
 * tests name the fields they use and fail loudly when one is missing.
 */
export type Json = any;

export const VECTORS: Json = JSON.parse(readFileSync(new URL('./fixtures/vcp-test-vectors.json', import.meta.url), 'utf8'));

export function hex(text: string): Buffer {
  return Buffer.from(text, 'hex');
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function named(list: Json[], name: string): Json {
  const found = list.find((entry) => entry.name === name);
  if (!found) throw new Error(`no vector named ${name}`);
  return found;
}
