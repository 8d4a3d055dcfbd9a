import type { Timer } from '../../core/clock.js';
import type { DaemonEvents, DeviceRef } from '../../core/daemon-events.js';
import type { EventBus } from '../../core/events.js';
import type { Service } from '../../core/lifecycle.js';
import type { Logger } from '../../core/logger.js';
import type { SseChannel, SseMessage } from '../sse.js';
import { entityViews } from './device-view.js';
import type { Html } from '../html.js';
import { pollFields, renderDevice } from './render-devices.js';
import { renderEvent, renderHealth, renderMoney } from './render-sections.js';
import { renderSetup } from './render-setup.js';
import { checklist, type DeviceStatus, deviceStatus, deviceStatuses, money, type WebDeps } from './status-model.js';

export type LiveDeps = WebDeps & { bus: EventBus<DaemonEvents>; channel: SseChannel; log: Logger };

type Values = Record<string, { text: string; payload: string | null }>;

interface Seen {
  values: Values;
  poll: string;
}

const TICK_MS = 30_000;
const COALESCE_MS = 1_000;

function key(ref: DeviceRef): string {
  return `${ref.kind}:${ref.id}`;
}

function refOf(id: string): DeviceRef {
  const colon = id.indexOf(':');
  return { kind: id.slice(0, colon) as DeviceRef['kind'], id: id.slice(colon + 1) };
}

/**
 * Turns what happens in the daemon into the page's live stream: changed entity values per
 * device (diffed against what was last sent), new and removed devices, events as they happen,
 * and sections (set-up, API spend, health) re-rendered when they changed.
 *
 * The work is proportional to what changed: one device's update reads that device alone, and
 * nothing is built while no browser listens (a browser that connects gets everything afresh).
 */
export class LiveUpdates implements Service {
  readonly name = 'web-live';
  /** What the listening browsers were last sent, per device; empty while none listens. */
  private readonly seen = new Map<string, Seen>();
  private readonly sections = new Map<string, string>();
  private timer: Timer | undefined;
  private pending: Timer | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly deps: LiveDeps;

  constructor(deps: LiveDeps) {
    this.deps = deps;
  }

  async start(): Promise<void> {
    const { bus, events } = this.deps;
    bus.on(this, 'device.updated', (ref) => this.deviceUpdated(ref));
    bus.on(this, 'device.removed', (ref) => this.deviceRemoved(ref));
    for (const type of ['auth.tokens', 'auth.login_required', 'budget.changed', 'mqtt.connected', 'mqtt.disconnected', 'vehicle.pairing'] as const)
      bus.on(this, type, () => this.soon());
    this.unsubscribe = events.onEvent((entry) => {
      if (!this.listening()) return;
      this.deps.channel.broadcast({ event: 'event', data: { html: renderEvent(entry) } });
      this.soon();
    });
    this.tick();
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.pending?.cancel();
    this.deps.bus.removeOwner(this);
    this.unsubscribe?.();
    this.deps.channel.close();
  }

  /** Messages for a client that just connected: every device, its values and its polling facts. */
  initial(): SseMessage[] {
    const messages: SseMessage[] = [];
    const listening = this.listening();
    for (const status of deviceStatuses(this.deps)) {
      // Browsers already listening get what changed since their last message first, so all agree.
      if (listening) this.send(status);
      else this.remember(status);
      messages.push({ event: 'device', data: { device: status.address, html: renderDevice(status, this.deps.topics, '') } });
      messages.push({ event: 'entities', data: { device: status.address, values: this.values(status) } });
      messages.push({ event: 'poll', data: { device: status.address, fields: pollFields(status) } });
    }
    return messages;
  }

  /** A device changed or appeared: only that device is read, and only while a browser listens. */
  deviceUpdated(ref: DeviceRef): void {
    if (!this.listening()) return;
    const status = deviceStatus(this.deps, ref);
    if (status) this.send(status);
  }

  deviceRemoved(ref: DeviceRef): void {
    if (!this.seen.delete(key(ref)) || !this.listening()) return;
    this.deps.channel.broadcast({ event: 'device_removed', data: { device: `${ref.kind}.${this.deps.naming.topicId(ref)}` } });
    this.soon();
  }

  /** Something that may change the set-up, spend or health sections happened: re-render shortly. */
  soon(): void {
    if (!this.listening()) return;
    this.pending ??= this.deps.clock.setTimeout(() => {
      this.pending = undefined;
      void this.refreshSections();
    }, COALESCE_MS);
  }

  /** Whether any browser listens; when the last one left, what it was sent is forgotten. */
  private listening(): boolean {
    if (this.deps.channel.size > 0) return true;
    this.seen.clear();
    this.sections.clear();
    return false;
  }

  /** Sends a device's changes (or the whole device, when new to the browsers) and remembers them. */
  private send(status: DeviceStatus): void {
    const ref = status.entry.ref;
    const before = this.seen.get(key(ref));
    const values = this.values(status);
    const poll = JSON.stringify(pollFields(status));
    const { channel, topics } = this.deps;
    if (!before) {
      channel.broadcast({ event: 'device', data: { device: status.address, html: renderDevice(status, topics, '') } });
      this.soon();
    } else {
      const changed: Values = {};
      for (const [k, v] of Object.entries(values)) if (before.values[k]?.payload !== v.payload || before.values[k]?.text !== v.text) changed[k] = v;
      if (Object.keys(changed).length > 0) channel.broadcast({ event: 'entities', data: { device: status.address, values: changed } });
      if (before.poll !== poll) channel.broadcast({ event: 'poll', data: { device: status.address, fields: pollFields(status) } });
    }
    this.seen.set(key(ref), { values, poll });
  }

  private remember(status: DeviceStatus): void {
    this.seen.set(key(status.entry.ref), { values: this.values(status), poll: JSON.stringify(pollFields(status)) });
  }

  private values(status: DeviceStatus): Values {
    const values: Values = {};
    for (const view of entityViews(status.entry, this.deps.topics)) if (view.payload !== null) values[view.key] = { text: view.text, payload: view.payload };
    return values;
  }

  /** Polling facts ("next poll in …") change with time alone: refreshed while a browser listens. */
  private tick(): void {
    this.timer = this.deps.clock.setTimeout(() => {
      if (this.listening()) {
        for (const [id, seen] of this.seen) {
          const status = deviceStatus(this.deps, refOf(id));
          if (!status) continue;
          const poll = pollFields(status);
          if (seen.poll === JSON.stringify(poll)) continue;
          this.deps.channel.broadcast({ event: 'poll', data: { device: status.address, fields: poll } });
          seen.poll = JSON.stringify(poll);
        }
        void this.refreshSections();
      }
      this.tick();
    }, TICK_MS);
  }

  private async refreshSections(): Promise<void> {
    if (!this.listening()) return;
    try {
      const steps = await checklist(this.deps, 0);
      this.section('setup', renderSetup(steps, ''));
      this.section('money', renderMoney(money(this.deps)));
      this.section('health', renderHealth(this.deps.health.report()));
    } catch (error) {
      this.deps.log.warn('could not update the web page', { error: error instanceof Error ? error : String(error) });
    }
  }

  private section(id: string, fragment: Html): void {
    const html = fragment.text;
    if (this.sections.get(id) === html) return;
    this.sections.set(id, html);
    this.deps.channel.broadcast({ event: 'section', data: { id, html } });
  }
}
