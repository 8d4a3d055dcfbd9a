import { createHash } from 'node:crypto';

/** What the crash test's writer stores, and how a reader recognises a complete version. */
export interface Record {
  seq: number;
  payload: string;
  sha256: string;
}

export const STORES = [
  { name: 'tokens.json', secret: true },
  { name: 'sessions.json', secret: true },
  { name: 'state.json', secret: false },
] as const;

/** Content of version `seq`: sizes vary widely so a torn write would show. */
export function recordFor(seq: number): Record {
  const length = 200 + ((seq * 7919) % 60_000);
  const payload = `${seq}:`.padEnd(length, String.fromCharCode(97 + (seq % 26)));
  return { seq, payload, sha256: createHash('sha256').update(payload).digest('hex') };
}
