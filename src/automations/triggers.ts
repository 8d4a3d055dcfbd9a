import type { Timer } from '../core/clock.js';
import type { BridgeEvent } from '../core/daemon-events.js';
import { topicMatches } from '../mqtt/topics.js';
import { inRange, stateMatches } from './conditions.js';
import { canonicalEntityId, type EngineDeps, type TriggerData } from './context.js';
import { nextFire } from './cron.js';
import { numberOf } from './expression/evaluate.js';
import type { Trigger } from './types.js';

/** A trigger watching for its moment; `stop` removes every timer and listener it holds. */
export interface TriggerWatch {
  stop(): void;
}

export type Fire = (data: TriggerData) => void;

/** Long waits are taken in steps, so a changed wall clock (or a fake one) is noticed within the hour. */
const MAX_WAIT_MS = 3_600_000;

export function watchTrigger(trigger: Trigger, deps: EngineDeps, fire: Fire): TriggerWatch {
  const base = { at: trigger.at, ...(trigger.id !== undefined ? { id: trigger.id } : {}) };
  switch (trigger.trigger) {
    case 'cron':
      return watchCron(trigger, deps, () => fire({ ...base, platform: 'cron' }));
    case 'state':
      return watchState(trigger, deps, (data) => fire({ ...base, platform: 'state', ...data }));
    case 'numeric_state':
      return watchNumeric(trigger, deps, (data) => fire({ ...base, platform: 'numeric_state', ...data }));
    case 'event':
      return watchEvent(trigger, deps, (event) =>
        fire({ ...base, platform: 'event', event: trigger.event, data: event, ...(typeof event.device === 'string' ? { device: event.device } : {}) }),
      );
    case 'mqtt':
      return watchMqtt(trigger, deps, (topic, payload) => fire({ ...base, platform: 'mqtt', topic, payload }));
  }
}

function watchCron(trigger: Extract<Trigger, { trigger: 'cron' }>, deps: EngineDeps, fire: () => void): TriggerWatch {
  const { clock, log } = deps;
  let timer: Timer | undefined;
  let due: number | undefined;
  const arm = (): void => {
    const now = clock.now();
    due = nextFire(trigger.schedule, now);
    if (due === undefined) {
      log.warn(`${trigger.at}: cron "${trigger.schedule.expression}" never fires again`);
      return;
    }
    wait();
  };
  const wait = (): void => {
    if (due === undefined) return;
    timer = clock.setTimeout(tick, Math.min(MAX_WAIT_MS, Math.max(0, due - clock.now())));
  };
  const tick = (): void => {
    if (due === undefined) return;
    if (clock.now() < due) {
      wait();
      return;
    }
    // After a jump in time (a suspended machine) it fires once, not once per missed time.
    fire();
    arm();
  };
  arm();
  return { stop: () => timer?.cancel() };
}

/** The ids a trigger watches, in the form entity states use. */
function watchedIds(trigger: { entities: { id: string }[] }, deps: EngineDeps): Map<string, string> {
  return new Map(trigger.entities.map((entity) => [canonicalEntityId(entity.id, deps.devices), entity.id]));
}

function watchState(trigger: Extract<Trigger, { trigger: 'state' }>, deps: EngineDeps, fire: (data: Partial<TriggerData>) => void): TriggerWatch {
  const owner = {};
  const ids = watchedIds(trigger, deps);
  const pending = new Map<string, Timer>();
  deps.states.onChange(owner, (change) => {
    const written = ids.get(change.id);
    if (written === undefined) return;
    // A `for` wait ends when the entity changes again: to another state, or at all when no `to` is set.
    pending.get(change.id)?.cancel();
    pending.delete(change.id);
    if (trigger.from && !stateMatches(change.from, trigger.from)) return;
    if (trigger.to && !stateMatches(change.to, trigger.to)) return;
    const data = { entity: written, from: change.from, to: change.to };
    fireNowOrAfter(trigger.forS, change.id, pending, deps, () => fire(data));
  });
  return {
    stop: () => {
      deps.states.removeOwner(owner);
      for (const timer of pending.values()) timer.cancel();
    },
  };
}

/** Fires now, or after `forS` seconds unless a later change of the entity cancels the wait in `pending`. */
function fireNowOrAfter(forS: number | undefined, id: string, pending: Map<string, Timer>, deps: EngineDeps, fire: () => void): void {
  if (forS === undefined) {
    fire();
    return;
  }
  pending.set(
    id,
    deps.clock.setTimeout(() => {
      pending.delete(id);
      fire();
    }, forS * 1000),
  );
}

/**
 * Fires when a value enters the range from outside it. Like Home Assistant's, the trigger is
 * armed only by a value seen outside the range, so a restart or a device that appears already
 * in range does not fire it.
 */
function watchNumeric(trigger: Extract<Trigger, { trigger: 'numeric_state' }>, deps: EngineDeps, fire: (data: Partial<TriggerData>) => void): TriggerWatch {
  const owner = {};
  const ids = watchedIds(trigger, deps);
  const armed = new Set<string>();
  const pending = new Map<string, Timer>();
  for (const id of ids.keys()) {
    const value = numberOf(deps.states.get(id)?.value ?? null);
    if (value !== undefined && !inRange(value, trigger)) armed.add(id);
  }
  deps.states.onChange(owner, (change) => {
    const written = ids.get(change.id);
    if (written === undefined) return;
    const value = numberOf(change.to);
    if (!inRange(value, trigger)) {
      pending.get(change.id)?.cancel();
      pending.delete(change.id);
      if (value !== undefined) armed.add(change.id);
      return;
    }
    if (!armed.has(change.id)) return;
    armed.delete(change.id);
    const data = { entity: written, from: change.from, to: change.to };
    // After a `for` wait the value it held at the end is the one reported.
    const delayed = trigger.forS !== undefined;
    fireNowOrAfter(trigger.forS, change.id, pending, deps, () => fire(delayed ? { ...data, to: deps.states.get(change.id)?.value ?? null } : data));
  });
  return {
    stop: () => {
      deps.states.removeOwner(owner);
      for (const timer of pending.values()) timer.cancel();
    },
  };
}

/** Whether a bridge event is the one a trigger waits for; two names are shorthands. */
export function eventMatches(name: string, event: BridgeEvent): boolean {
  if (name === 'command_failed') return event.type === 'command_result' && event.ok === false;
  if (name === 'budget_reached') return event.type === 'budget' && event.mode !== 'normal' && event.previous === 'normal';
  return event.type === name;
}

function watchEvent(trigger: Extract<Trigger, { trigger: 'event' }>, deps: EngineDeps, fire: (event: BridgeEvent) => void): TriggerWatch {
  const owner = {};
  const { device } = trigger;
  // Events name devices by VIN or by topic id: both are compared in their topic form.
  const wanted = device ? deps.devices.topicOf(device.kind, device.device) : undefined;
  deps.bus.on(owner, 'bridge.event', (event) => {
    if (!eventMatches(trigger.event, event)) return;
    if (device) {
      const [kind, ...rest] = typeof event.device === 'string' ? event.device.split('.') : [];
      if (kind !== device.kind || deps.devices.topicOf(device.kind, rest.join('.')) !== wanted) return;
    }
    fire(event);
  });
  return { stop: () => deps.bus.removeOwner(owner) };
}

/**
 * Fires on every message on the topic (and payload, if given). A retained message fires only
 * when its payload changed: the copy a broker replays on (re)subscribing is not news.
 */
function watchMqtt(trigger: Extract<Trigger, { trigger: 'mqtt' }>, deps: EngineDeps, fire: (topic: string, payload: string) => void): TriggerWatch {
  const owner = {};
  const retained = new Map<string, string>();
  deps.mqtt.subscribe(owner, trigger.topic, (message) => {
    if (!topicMatches(trigger.topic, message.topic)) return;
    const payload = message.payload.toString('utf8');
    if (message.retain) {
      const previous = retained.get(message.topic);
      retained.set(message.topic, payload);
      if (previous === undefined || previous === payload) return;
    }
    if (trigger.payload !== undefined && payload.trim() !== trigger.payload) return;
    fire(message.topic, payload);
  });
  return { stop: () => deps.mqtt.unsubscribeOwner(owner) };
}
