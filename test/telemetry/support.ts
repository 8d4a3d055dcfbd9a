import type { VehicleSource } from '../../src/model/sources.js';
import { type DecodeContext, fieldRule } from '../../src/telemetry/field-map.js';

/** Sets a dotted path, making objects on the way. */
export function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = root;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] ?? ''] = value;
}

export function getPath(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * A car known only from the stream: every field's value (as the dispatcher publishes it, JSON
 * round-tripped) decoded into an empty vehicle_data, each stamped `now`.
 */
export function streamedSource(vin: string, values: Readonly<Record<string, unknown>>, now: number, order?: readonly string[]): VehicleSource {
  const data: Record<string, unknown> = {};
  const raw = new Map<string, unknown>();
  const at: Record<string, number> = {};
  const context: DecodeContext = { get: (path) => getPath(data, path), streamed: (name) => raw.get(name) };
  for (const name of order ?? Object.keys(values)) {
    const rule = fieldRule(name);
    if (!rule || !(name in values)) continue;
    const wire = JSON.parse(JSON.stringify(values[name])) as unknown;
    for (const [path, value] of rule.decode(wire, context) ?? []) {
      setPath(data, path, value);
      at[path] = now;
    }
    raw.set(name, wire);
  }
  return {
    kind: 'vehicle',
    vin,
    summary: { vin },
    connection: 'online',
    data,
    dataAt: undefined,
    stream: { mode: 'stream', reason: 'test', since: now, link: 'connected', lastAt: now, at },
  };
}

/**
 * Every dotted vehicle_data path a getter reads, found by running it on data wrapped in a proxy
 * that records property accesses (any depth).
 */
export function pathsRead(data: Record<string, unknown>, run: (data: Record<string, unknown>) => void): Set<string> {
  const seen = new Set<string>();
  const wrap = (node: unknown, prefix: string): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    return new Proxy(node as Record<string, unknown>, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof key !== 'string') return value;
        const path = prefix === '' ? key : `${prefix}.${key}`;
        seen.add(path);
        return wrap(value, path);
      },
    });
  };
  run(wrap(data, '') as Record<string, unknown>);
  return seen;
}
