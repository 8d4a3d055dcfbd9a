import type { DeviceKind } from '../core/devices.js';
import type { CronSchedule } from './cron.js';
import type { Template } from './expression/template.js';

/** The validated form of one automation (config `automations:`), with defaults applied. */

export const MODES = ['single', 'queued', 'restart'] as const;
export type Mode = (typeof MODES)[number];

/** `vehicle.<topic id>.<entity>` as written, taken apart. */
export interface EntityId {
  id: string;
  kind: DeviceKind;
  /** The device's topic id: its VIN, site id or DIN, or its configured `topic`. */
  device: string;
  key: string;
}

/** `vehicle.<topic id>` as written, taken apart. */
export interface DeviceId {
  id: string;
  kind: DeviceKind;
  device: string;
}

/** A value given in config: as written, or computed by a template. */
export type ValueSpec = { kind: 'literal'; value: string | number | boolean | Record<string, unknown> } | { kind: 'template'; template: Template };

export interface Limits {
  wakesPerHour: number;
  commandsPerHour: number;
  runsPerMinute: number;
}

export const DEFAULT_LIMITS: Limits = { wakesPerHour: 2, commandsPerHour: 20, runsPerMinute: 30 };
export const DEFAULT_QUEUE_MAX = 10;

/** Where in the automation a part was written (`triggers[1]`, `actions[2].then[0]`), for events and logs. */
interface Located {
  at: string;
}

export type Trigger = Located & { id?: string } & (
    | { trigger: 'cron'; schedule: CronSchedule }
    | { trigger: 'state'; entities: EntityId[]; from?: string[]; to?: string[]; forS?: number }
    | { trigger: 'numeric_state'; entities: EntityId[]; above?: number; below?: number; forS?: number }
    | { trigger: 'event'; event: string; device?: DeviceId }
    | { trigger: 'mqtt'; topic: string; payload?: string }
  );

export type Condition = Located &
  (
    | { condition: 'state'; entities: EntityId[]; state: string[]; forS?: number }
    | { condition: 'numeric_state'; entities: EntityId[]; value?: Template; above?: number; below?: number }
    | { condition: 'time'; afterS?: number; beforeS?: number; weekdays?: number[]; timeZone: string }
    | { condition: 'and' | 'or' | 'not'; conditions: Condition[] }
  );

export type Action = Located &
  (
    | { action: 'command'; entity: EntityId; value: ValueSpec }
    | { action: 'refresh'; device: DeviceId }
    | { action: 'publish'; topic: string; payload: ValueSpec; retain: boolean }
    | { action: 'delay'; delayS: number }
    | { action: 'wait_for'; entity: EntityId; state: string[]; timeoutS: number; continueOnTimeout: boolean }
    | { action: 'choose'; choices: { conditions: Condition[]; sequence: Action[] }[]; otherwise: Action[] }
    | { action: 'if'; conditions: Condition[]; then: Action[]; otherwise: Action[] }
  );

export interface Automation {
  id: string;
  alias: string;
  description?: string;
  mode: Mode;
  /** Queued mode: at most this many runs, the one going on and those waiting. */
  max: number;
  enabled: boolean;
  triggers: Trigger[];
  conditions: Condition[];
  actions: Action[];
  limits: Limits;
}
