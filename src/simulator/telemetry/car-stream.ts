/**
 * One car's emission rules: right after it connects the car sends
 * every configured field; after that a field goes out when its value moved by at least
 * `minimum_delta` and `interval_seconds` have passed since it last went out, and, with
 * `resend_interval_seconds`, again unchanged once that long has passed. Intermediate values in
 * between are dropped; only the value at the moment of sending counts.
 */

export interface StreamFieldOptions {
  interval_seconds: number;
  minimum_delta?: number;
  resend_interval_seconds?: number;
}

interface Sent {
  value: unknown;
  at: number;
}

const EARTH_RADIUS_M = 6_371_000;

function metresBetween(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

function isLatLon(value: unknown): value is { latitude: number; longitude: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { latitude?: unknown }).latitude === 'number' &&
    typeof (value as { longitude?: unknown }).longitude === 'number'
  );
}

/** Whether `next` differs from what was sent enough to be sent (for Location, the delta is metres). */
export function movedEnough(previous: unknown, next: unknown, delta: number | undefined): boolean {
  if (typeof previous === 'number' && typeof next === 'number')
    return delta !== undefined && delta > 0 ? Math.abs(next - previous) >= delta : next !== previous;
  if (isLatLon(previous) && isLatLon(next)) {
    const metres = metresBetween(previous, next);
    return delta !== undefined && delta > 0 ? metres >= delta : metres > 0;
  }
  return JSON.stringify(previous) !== JSON.stringify(next);
}

export class CarStream {
  private readonly sent = new Map<string, Sent>();
  private snapshotDue = true;

  /** The car (re)connected: the next step sends every configured field. */
  connected(): void {
    this.snapshotDue = true;
  }

  /** The configuration changed: fields no longer configured are forgotten, new ones go out at once. */
  reconfigure(fields: Record<string, StreamFieldOptions>): void {
    for (const name of [...this.sent.keys()]) if (!(name in fields)) this.sent.delete(name);
    this.snapshotDue = true;
  }

  /** The values that go out now, by field name. */
  step(now: number, values: Readonly<Record<string, unknown>>, fields: Readonly<Record<string, StreamFieldOptions>>): [string, unknown][] {
    const out: [string, unknown][] = [];
    const snapshot = this.snapshotDue;
    this.snapshotDue = false;
    for (const [name, options] of Object.entries(fields)) {
      if (!(name in values)) continue;
      const value = values[name];
      const last = this.sent.get(name);
      let send = snapshot || last === undefined;
      if (!send && last) {
        const since = now - last.at;
        const resend = options.resend_interval_seconds ?? 0;
        send = (since >= options.interval_seconds * 1000 && movedEnough(last.value, value, options.minimum_delta)) || (resend > 0 && since >= resend * 1000);
      }
      if (!send) continue;
      this.sent.set(name, { value, at: now });
      out.push([name, value]);
    }
    return out;
  }
}
