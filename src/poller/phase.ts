/**
 * Where in its interval each device polls. Every device gets its own stable offset (a hash of
 * its id), so a thousand sites on a 60 s cadence poll a few at a time all through the minute
 * instead of all at once, and keep their places across restarts.
 */

/** FNV-1a, 32 bit: stable across runs and platforms, cheap, and well spread for ids like ours. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The device's offset within an interval, in [0, intervalMs). */
export function phaseOf(key: string, intervalMs: number): number {
  if (!(intervalMs > 0)) return 0;
  return hash(key) % Math.floor(intervalMs);
}

/**
 * The next time on the device's grid (phase + k × interval) after `now`, and at least half an
 * interval after the previous poll began, so a first poll made at once is not followed by a
 * second one a moment later just because its slot comes up.
 */
export function nextSlot(now: number, phaseMs: number, intervalMs: number, previousStart: number): number {
  const earliest = Math.max(now, previousStart + intervalMs / 2);
  const k = Math.floor((earliest - phaseMs) / intervalMs) + 1;
  return phaseMs + k * intervalMs;
}
