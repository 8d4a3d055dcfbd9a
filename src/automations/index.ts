import type { LoadResult } from '../config/load.js';
import { formatIssue } from '../config/issues.js';
import type { Clock } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import type { Topics } from '../mqtt/topics.js';
import type { EngineDeps } from './context.js';
import { DERIVED_EVENT_KEYS, DerivedEvents } from './derived-events.js';
import { AutomationEngine } from './engine.js';
import { EntityStates } from './entity-states.js';
import type { Automation } from './types.js';
import { type AutomationListing, AutomationRunLog } from './summary.js';

export type { Automation } from './types.js';

export interface AutomationsSetup {
  automations: readonly Automation[];
  registry: DeviceRegistry;
  naming: DeviceNaming;
  topics: Topics;
  bus: EventBus<DaemonEvents>;
  clock: Clock;
  log: Logger;
  mqtt: EngineDeps['mqtt'];
  /** The command router (CommandRouter.run). */
  commands: EngineDeps['commands'];
  budgetMode: () => 'normal' | 'slow' | 'stop';
  /** Reads the config file again, for reload_automations; undefined when running without one. */
  readConfig: (() => LoadResult) | undefined;
}

export type ReloadResponse = { ok: true; automations: number; enabled: number } | { ok: false; error: string; issues?: string[] };

export interface Automations {
  /** Entity states, derived events and the engine, in start order. */
  services: Service[];
  engine: AutomationEngine;
  states: EntityStates;
  /** `<base>/bridge/request/reload_automations`: the new set, or the old one kept and why. */
  reload(): Promise<ReloadResponse>;
  /** The rules in use with their last run, for the web page. */
  list(): AutomationListing[];
}

/** Builds the automations room from the daemon's parts; main.ts adds its services to the lifecycle. */
export function createAutomations(setup: AutomationsSetup): Automations {
  const { registry, naming, bus, clock } = setup;
  const log = setup.log;
  const states = new EntityStates({ registry, naming, topics: setup.topics, bus, clock, log }, { watched: DERIVED_EVENT_KEYS });
  if (setup.automations.length > 0) states.keepAll();
  const deps: EngineDeps = {
    clock,
    log,
    bus,
    states,
    mqtt: setup.mqtt,
    commands: setup.commands,
    devices: {
      resolve: (kind, topicId) => {
        const id = naming.resolve(kind, topicId);
        return id !== undefined && registry.source({ kind, id }) ? { kind, id } : undefined;
      },
      topicOf: (kind, device) => {
        const id = naming.resolve(kind, device);
        return id === undefined ? device : naming.topicId({ kind, id });
      },
      connection: (vin) => registry.vehicle(vin)?.connection,
    },
    budgetMode: setup.budgetMode,
  };
  const engine = new AutomationEngine(deps, setup.automations);
  const derived = new DerivedEvents(states, bus);

  const reload = async (): Promise<ReloadResponse> => {
    if (!setup.readConfig)
      return { ok: false, error: 'teslahub runs without a config file, so there are no automations to reload (fix: start it with a config.yaml)' };
    const kept = engine.current.length;
    let result: LoadResult;
    try {
      result = setup.readConfig();
    } catch (error) {
      return {
        ok: false,
        error: `the config could not be read: ${error instanceof Error ? error.message : String(error)}; kept the ${kept} automations in use`,
      };
    }
    if (!result.ok) {
      const issues = result.issues.map((issue) => formatIssue(issue));
      log.warn(
        `reload_automations: the config has ${issues.length} problem${issues.length === 1 ? '' : 's'}; kept the ${kept} automation${kept === 1 ? '' : 's'} in use`,
      );
      for (const issue of issues) log.warn(`  ${issue}`);
      return {
        ok: false,
        error: `the config has ${issues.length} problem${issues.length === 1 ? '' : 's'}; kept the ${kept} automation${kept === 1 ? '' : 's'} in use`,
        issues,
      };
    }
    const next = result.loaded.config.automations;
    // Before the rules start: a trigger or condition reads the current states as it is set up.
    if (next.length > 0) states.keepAll();
    await engine.replace(next);
    const enabled = next.filter((a) => a.enabled).length;
    log.info(`reloaded automations: ${enabled} of ${next.length} enabled`);
    return { ok: true, automations: next.length, enabled };
  };

  const runs = new AutomationRunLog(bus, () => clock.now());
  return { services: [states, derived, engine, runs], engine, states, reload, list: () => runs.list(engine.current) };
}
