import type { z } from 'zod';
import { closest } from '../core/typo.js';
import { type EntityDescriptor, isControl } from '../model/descriptors.js';
import { descriptorFor, ENTITY_TABLES } from '../model/tables.js';
import { formatPath, type PathSegment } from './issues.js';

type Ctx = z.RefinementCtx;
type ListedKind = 'vehicle' | 'energy_site';

const LISTS: readonly { list: 'vehicles' | 'energy_sites'; kind: ListedKind; idKey: 'vin' | 'id' }[] = [
  { list: 'vehicles', kind: 'vehicle', idKey: 'vin' },
  { list: 'energy_sites', kind: 'energy_site', idKey: 'id' },
];

/**
 * What the schema of one entry cannot see: a device listed twice, two devices on one topic id,
 * and allow/deny entries that name no command of that kind of device. Runs even when other keys
 * are invalid (every problem in one pass), so it reads the raw value defensively.
 */
export function checkDeviceLists(value: unknown, ctx: Ctx): void {
  const config = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const topics = new Map<string, string>();
  for (const { list, kind, idKey } of LISTS) {
    const entries = Object.hasOwn(config, list) ? config[list] : undefined;
    if (!Array.isArray(entries)) continue;
    const ids = new Map<string, string>();
    entries.forEach((item: unknown, index) => {
      if (typeof item !== 'object' || item === null) return;
      const entry = item as Record<string, unknown>;
      const path: PathSegment[] = [list, index];
      const id = typeof entry[idKey] === 'string' || typeof entry[idKey] === 'number' ? String(entry[idKey]).toUpperCase() : undefined;
      const twice = id !== undefined && ids.has(id);
      if (id !== undefined && twice) {
        ctx.addIssue({ code: 'custom', path: [...path, idKey], message: `${id} is listed twice (also ${ids.get(id)}) (fix: keep one entry for it)` });
      } else if (id !== undefined) {
        ids.set(id, formatPath(path));
      }
      // A device listed twice is one problem: its topic id is not reported again.
      if (!twice) claimTopic(topics, kind, entry, id, [...path, typeof entry.topic === 'string' ? 'topic' : idKey], ctx);
      for (const which of ['allow', 'deny'] as const) checkCommandList(kind, entry[which], [...path, which], ctx);
    });
  }
}

function claimTopic(seen: Map<string, string>, kind: ListedKind, entry: Record<string, unknown>, id: string | undefined, path: PathSegment[], ctx: Ctx): void {
  const topic = typeof entry.topic === 'string' ? entry.topic : id;
  if (topic === undefined) return;
  const owner = seen.get(`${kind}/${topic}`);
  if (owner) ctx.addIssue({ code: 'custom', path, message: `topic id "${topic}" is already used by ${owner} (fix: give each device its own topic)` });
  else seen.set(`${kind}/${topic}`, formatPath(path));
}

function checkCommandList(kind: ListedKind, list: unknown, path: PathSegment[], ctx: Ctx): void {
  if (!Array.isArray(list)) return;
  list.forEach((key: unknown, index) => {
    if (typeof key !== 'string' || key === '') return;
    const descriptor = descriptorFor(kind, key);
    if (descriptor && isControl(descriptor)) return;
    const message = descriptor
      ? `${key} is read-only, so there is no command to allow or deny (fix: remove it from the list)`
      : `${kind.replace('_', ' ')}s have no entity "${key}" (fix: ${suggestion(kind, key)})`;
    ctx.addIssue({ code: 'custom', path: [...path, index], message });
  });
}

function suggestion(kind: ListedKind, key: string): string {
  const table: readonly EntityDescriptor<never>[] = ENTITY_TABLES[kind];
  const controls = table.filter((d) => isControl(d)).map((d) => d.key);
  // A typo, or a longer name around a real key ("door_lock" for lock).
  const near = closest(key, controls) ?? controls.filter((k) => k.length >= 3 && key.includes(k)).sort((a, b) => b.length - a.length)[0];
  return near ? `did you mean "${near}"?` : 'use the key of a control from docs/entities.md, the last level of its /set topic';
}
