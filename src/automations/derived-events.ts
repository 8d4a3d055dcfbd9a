import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { EntityChange, EntityStateSource } from './entity-states.js';

const ASLEEP = new Set(['asleep', 'offline']);

/** The entities these events are read from: all the entity states a daemon without automations keeps. */
export const DERIVED_EVENT_KEYS: ReadonlySet<string> = new Set(['grid_status', 'vehicle_state']);

/**
 * Bridge events that teslahub reads off entity changes: the grid going down and coming back,
 * a car waking up and falling asleep. They go out on <base>/bridge/event like every event, and
 * automations can wait for them (`trigger: event`).
 */
export class DerivedEvents implements Service {
  readonly name = 'derived-events';
  private readonly states: EntityStateSource;
  private readonly bus: EventBus<DaemonEvents>;

  constructor(states: EntityStateSource, bus: EventBus<DaemonEvents>) {
    this.states = states;
    this.bus = bus;
  }

  async start(): Promise<void> {
    this.states.onChange(this, (change) => this.onChange(change));
  }

  async stop(): Promise<void> {
    this.states.removeOwner(this);
  }

  private onChange(change: EntityChange): void {
    const [kind, device, key] = change.id.split('.');
    const at = new Date(change.at).toISOString();
    if (kind === 'energy_site' && key === 'grid_status') {
      if (change.from === 'active' && change.to === 'inactive') this.bus.emit('bridge.event', { type: 'grid_outage', device: `${kind}.${device}`, at });
      if (change.from === 'inactive' && change.to === 'active') this.bus.emit('bridge.event', { type: 'grid_restored', device: `${kind}.${device}`, at });
      return;
    }
    if (kind === 'vehicle' && key === 'vehicle_state' && change.from !== null && change.to !== null) {
      if (change.to === 'asleep' && change.from !== 'asleep')
        this.bus.emit('bridge.event', { type: 'vehicle_slept', device: `${kind}.${device}`, from: change.from, at });
      if (ASLEEP.has(change.from) && !ASLEEP.has(change.to))
        this.bus.emit('bridge.event', { type: 'vehicle_woke', device: `${kind}.${device}`, state: change.to, at });
    }
  }
}
