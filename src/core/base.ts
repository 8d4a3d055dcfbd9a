import type { Clock } from './clock.js';
import type { DaemonEvents } from './daemon-events.js';
import type { EventBus } from './events.js';
import type { HealthRegistry } from './health.js';
import type { Logger } from './logger.js';

/** What every room's factory receives from the composition root: time, logging, events and health. */
export interface Base {
  clock: Clock;
  log: Logger;
  bus: EventBus<DaemonEvents>;
  health: HealthRegistry;
}
