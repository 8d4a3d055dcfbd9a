import type { Clock } from '../core/clock.js';
import type { DaemonEvents, DeviceRef } from '../core/daemon-events.js';
import { errorMessage } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { EntityDescriptor } from '../model/descriptors.js';
import type { SourceFor } from '../model/sources.js';
import { CommandRefused, isControl } from '../model/descriptors.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DevicePolicy } from '../model/naming.js';
import type { DeviceKind } from '../core/devices.js';
import { type DeviceAction, opensTheCar } from '../model/actions.js';
import type { CommandExecutor, CommandOutcome } from './executor.js';
import { parseCommand } from './payload.js';

export interface RouterDeps {
  registry: DeviceRegistry;
  executor: CommandExecutor;
  bus: EventBus<DaemonEvents>;
  log: Logger;
  clock: Clock;
  /** The entity tables. */
  lookup: (kind: DeviceKind, key: string) => EntityDescriptor<SourceFor<DeviceKind>> | undefined;
  /** Topic id → device id (a configured `topic` or the VIN/site id/DIN itself). */
  resolveDevice: (kind: DeviceKind, topicId: string) => string | undefined;
  policy: (ref: DeviceRef) => DevicePolicy;
  /** Scopes the account granted (from the access token). */
  grantedScopes: () => readonly string[];
}

export interface CommandRequest {
  kind: DeviceKind;
  topicId: string;
  entity: string;
  payload: Uint8Array;
  who: string;
}

export interface CommandResultEvent {
  type: 'command_result';
  device: string;
  entity: string;
  value: unknown;
  ok: boolean;
  error?: string;
  detail?: string;
  who: string;
  at: string;
}

/**
 * Every command, whoever asks (MQTT `/set`, automations, the web page): validated against the
 * entity's descriptor, checked against the device's allow/deny lists and the granted scopes, then
 * carried out. Every command gets exactly one `command_result` event.
 */
export class CommandRouter {
  private readonly deps: RouterDeps;

  constructor(deps: RouterDeps) {
    this.deps = deps;
  }

  /** Runs one command and announces its one result. */
  async run(request: CommandRequest): Promise<CommandResultEvent> {
    const base = { type: 'command_result' as const, device: `${request.kind}.${request.topicId}`, entity: request.entity, who: request.who };
    let value: unknown = shown(request.payload);
    let outcome: CommandOutcome;
    try {
      const prepared = this.prepare(request);
      if (prepared.ok === true) {
        value = prepared.value;
        outcome = await this.deps.executor.execute(prepared.ref, prepared.action, request.who);
      } else if (prepared.ok === 'nothing_to_do') {
        outcome = { ok: true, detail: prepared.detail };
      } else {
        outcome = { ok: false, error: prepared.problem };
      }
    } catch (error) {
      this.deps.log.error('command failed unexpectedly', { entity: request.entity, error: error instanceof Error ? error : errorMessage(error) });
      outcome = { ok: false, error: `internal error: ${errorMessage(error)}` };
    }
    const event: CommandResultEvent = {
      ...base,
      value,
      ok: outcome.ok,
      ...(outcome.ok ? (outcome.detail ? { detail: outcome.detail } : {}) : { error: outcome.error }),
      at: new Date(this.deps.clock.now()).toISOString(),
    };
    if (outcome.ok) this.deps.log.info(`command ${base.device} ${request.entity} = ${JSON.stringify(value)} done`, { who: request.who });
    else this.deps.log.warn(`command ${base.device} ${request.entity} refused or failed: ${event.error}`, { who: request.who });
    this.deps.bus.emit('bridge.event', { ...event });
    return event;
  }

  private prepare(
    request: CommandRequest,
  ): { ok: true; ref: DeviceRef; action: DeviceAction; value: unknown } | { ok: 'nothing_to_do'; detail: string } | { ok: false; problem: string } {
    const id = this.deps.resolveDevice(request.kind, request.topicId);
    const ref: DeviceRef | undefined = id ? { kind: request.kind, id } : undefined;
    const source = ref ? this.deps.registry.source(ref) : undefined;
    if (!ref || !source) return { ok: false, problem: `there is no ${request.kind.replace('_', ' ')} "${request.topicId}"` };
    const descriptor = this.deps.lookup(request.kind, request.entity);
    if (!descriptor) return { ok: false, problem: `${request.kind.replace('_', ' ')}s have no entity "${request.entity}"` };
    if (!isControl(descriptor)) return { ok: false, problem: `${request.entity} is read-only` };
    if (descriptor.present && !descriptor.present(source)) return { ok: false, problem: `this ${request.kind.replace('_', ' ')} has no ${request.entity}` };
    const policy = this.deps.policy(ref);
    if (policy.deny.includes(request.entity)) {
      return { ok: false, problem: `${request.entity} is denied for this device (fix: remove it from deny under ${policy.configPath} in config.yaml)` };
    }
    let parsed: ReturnType<typeof parseCommand>;
    try {
      parsed = parseCommand(descriptor, request.payload, source);
    } catch (error) {
      // The table knows there is nothing to send (the cable latches by itself, the trunk is
      // already open, …): answered without calling Tesla or waking the car.
      if (!(error instanceof CommandRefused)) throw error;
      return error.reason === 'already_set' ? { ok: 'nothing_to_do', detail: error.message } : { ok: false, problem: error.message };
    }
    if (!parsed.ok) return { ok: false, problem: parsed.problem };
    if (opensTheCar(parsed.action) && !policy.allow.includes(request.entity)) {
      return {
        ok: false,
        problem: `this command opens the car or lets it be driven, so it is refused unless allowed (fix: add ${request.entity} to allow under ${policy.configPath} in config.yaml)`,
      };
    }
    if (descriptor.scopes && descriptor.scopes.length > 0) {
      const granted = this.deps.grantedScopes();
      if (!descriptor.scopes.some((scope) => granted.includes(scope))) {
        return {
          ok: false,
          problem: `the Tesla account did not grant ${descriptor.scopes.join(' or ')}, which ${request.entity} needs (fix: connect the account again and allow it)`,
        };
      }
    }
    return { ok: true, ref, action: parsed.action, value: parsed.value };
  }
}

/** The payload as shown in a result: text when it is short, valid UTF-8; else a description. */
function shown(payload: Uint8Array): string {
  if (payload.length > 200) return `(${payload.length} bytes)`;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return `(${payload.length} bytes, not UTF-8)`;
  }
}
