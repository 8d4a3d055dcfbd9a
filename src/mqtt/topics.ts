/**
 * The only place topic strings are built or taken apart. Every other module asks this one, so the
 * topic layout (README, "MQTT") lives in a single file.
 */
import { type DeviceKind, isDeviceKind } from '../core/devices.js';

export type IncomingTopic =
  | { kind: 'command'; device: DeviceKind; id: string; entity: string }
  | { kind: 'bridge_request'; name: string }
  | { kind: 'ha_status' }
  | { kind: 'other' };

export class Topics {
  readonly base: string;
  readonly discoveryPrefix: string;

  constructor(base: string, discoveryPrefix: string) {
    this.base = base;
    this.discoveryPrefix = discoveryPrefix;
  }

  get bridgeState(): string {
    return `${this.base}/bridge/state`;
  }

  get bridgeInfo(): string {
    return `${this.base}/bridge/info`;
  }

  get bridgeEvent(): string {
    return `${this.base}/bridge/event`;
  }

  bridgeRequest(name: string): string {
    return `${this.base}/bridge/request/${segment(name)}`;
  }

  bridgeResponse(name: string): string {
    return `${this.base}/bridge/response/${segment(name)}`;
  }

  get bridgeRequestFilter(): string {
    return `${this.base}/bridge/request/+`;
  }

  availability(device: DeviceKind, id: string): string {
    return `${this.base}/${device}/${segment(id)}/availability`;
  }

  state(device: DeviceKind, id: string, entity: string): string {
    return `${this.base}/${device}/${segment(id)}/${segment(entity)}`;
  }

  attributes(device: DeviceKind, id: string, entity: string): string {
    return `${this.state(device, id, entity)}/attributes`;
  }

  command(device: DeviceKind, id: string, entity: string): string {
    return `${this.state(device, id, entity)}/set`;
  }

  get commandFilter(): string {
    return `${this.base}/+/+/+/set`;
  }

  /** Home Assistant device-based discovery: one retained config per device. */
  discovery(uniqueDeviceId: string): string {
    return `${this.discoveryPrefix}/device/${segment(uniqueDeviceId)}/config`;
  }

  /** Home Assistant's birth/will topic; `online` there means "send discovery again". */
  get haStatus(): string {
    return `${this.discoveryPrefix}/status`;
  }

  /**
   * Why a reply may not go to the MQTT 5 response topic a requester named, or undefined when it
   * may. The requester is anyone on the broker, so the daemon never publishes on a wildcard (the
   * broker would disconnect it), on a `$` topic, inside its own or Home Assistant's topic trees
   * (a reply there would pose as state, discovery or a request), nor where it listens itself.
   */
  responseTopicProblem(topic: string, listening: readonly string[]): string | undefined {
    if (topic === '') return 'it is empty';
    if (/[+#\0]/.test(topic)) return 'it holds a wildcard (+ or #)';
    if (topic.startsWith('$')) return 'it is a broker topic (starts with $)';
    if (within(topic, this.base)) return `it is inside teslahub's own topics (${this.base}/…)`;
    if (within(topic, this.discoveryPrefix)) return `it is inside Home Assistant's discovery topics (${this.discoveryPrefix}/…)`;
    if (listening.some((filter) => topicMatches(filter, topic))) return 'teslahub itself listens there';
    return undefined;
  }

  /** Classifies a topic the daemon subscribed to. */
  parse(topic: string): IncomingTopic {
    if (topic === this.haStatus) return { kind: 'ha_status' };
    const prefix = `${this.base}/`;
    if (!topic.startsWith(prefix)) return { kind: 'other' };
    const levels = topic.slice(prefix.length).split('/');
    if (levels.length === 3 && levels[0] === 'bridge' && levels[1] === 'request' && levels[2]) {
      return { kind: 'bridge_request', name: levels[2] };
    }
    const [device, id, entity, set] = levels;
    if (levels.length === 4 && set === 'set' && isDeviceKind(device) && id && entity) {
      return { kind: 'command', device, id, entity };
    }
    return { kind: 'other' };
  }
}

/**
 * Topics of Tesla's fleet-telemetry MQTT dispatcher, which teslahub
 * reads but does not own: `<base>/<VIN>/v/<Field>`, `<base>/<VIN>/connectivity`,
 * `<base>/<VIN>/alerts/<name>/current|history`, `<base>/<VIN>/errors/<name>`.
 */
export type TelemetryTopic =
  | { kind: 'field'; vin: string; field: string }
  | { kind: 'connectivity'; vin: string }
  | { kind: 'alert'; vin: string; name: string; which: 'current' | 'history' }
  | { kind: 'error'; vin: string; name: string };

export class TelemetryTopics {
  readonly base: string;

  constructor(base: string) {
    this.base = base;
  }

  /** What teslahub subscribes to (alert histories repeat the current alerts, so they are left out). */
  get filters(): string[] {
    return [`${this.base}/+/v/+`, `${this.base}/+/connectivity`, `${this.base}/+/alerts/+/current`, `${this.base}/+/errors/+`];
  }

  field(vin: string, field: string): string {
    return `${this.base}/${segment(vin)}/v/${segment(field)}`;
  }

  connectivity(vin: string): string {
    return `${this.base}/${segment(vin)}/connectivity`;
  }

  alert(vin: string, name: string, which: 'current' | 'history' = 'current'): string {
    return `${this.base}/${segment(vin)}/alerts/${segment(name)}/${which}`;
  }

  error(vin: string, name: string): string {
    return `${this.base}/${segment(vin)}/errors/${segment(name)}`;
  }

  parse(topic: string): TelemetryTopic | undefined {
    const prefix = `${this.base}/`;
    if (!topic.startsWith(prefix)) return undefined;
    const [vin, kind, name, which, ...rest] = topic.slice(prefix.length).split('/');
    if (!vin || !kind || rest.length > 0) return undefined;
    if (kind === 'v' && name && which === undefined) return { kind: 'field', vin, field: name };
    if (kind === 'connectivity' && name === undefined) return { kind: 'connectivity', vin };
    if (kind === 'alerts' && name && (which === 'current' || which === 'history')) return { kind: 'alert', vin, name, which };
    if (kind === 'errors' && name && which === undefined) return { kind: 'error', vin, name };
    return undefined;
  }
}

/** True when `topic` matches the subscription `filter` (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  for (let i = 0; i < filterLevels.length; i++) {
    const level = filterLevels[i];
    if (level === '#') return !(i === 0 && topic.startsWith('$'));
    if (i >= topicLevels.length) return false;
    if (level === '+') {
      if (i === 0 && topic.startsWith('$')) return false;
      continue;
    }
    if (level !== topicLevels[i]) return false;
  }
  return filterLevels.length === topicLevels.length;
}

function within(topic: string, root: string): boolean {
  return topic === root || topic.startsWith(`${root}/`);
}

/** One topic level built from data (a VIN, an entity key): it must not add levels or wildcards. */
function segment(value: string): string {
  if (value === '' || /[/#+\0]/.test(value)) {
    throw new Error(`"${value}" cannot be an MQTT topic level (it is empty or holds /, + or #)`);
  }
  return value;
}
