import type { EntityDescriptor } from '../model/descriptors.js';
import { type DeviceIdentity, uniqueDeviceId } from '../model/device-identity.js';
import type { Topics } from './topics.js';

export { type DeviceIdentity, uniqueDeviceId };

/** Home Assistant's payload for "unknown" on sensors, binary sensors, numbers and selects. */
export const UNKNOWN_PAYLOAD = 'None';

export interface DiscoveryOptions {
  topics: Topics;
  origin: { name: string; sw_version: string; support_url: string };
}

export function uniqueEntityId(identity: Pick<DeviceIdentity, 'kind' | 'hardwareId'>, key: string): string {
  return `${uniqueDeviceId(identity)}_${key}`;
}

/** Topics of one entity; all derived from Topics, the only place topic strings are built. */
export function entityTopics(topics: Topics, identity: DeviceIdentity, key: string): { state: string; attributes: string; command: string } {
  const kind = identity.kind === 'bridge' ? 'bridge' : identity.kind;
  if (kind === 'bridge') {
    const state = `${topics.base}/bridge/${key}`;
    return { state, attributes: `${state}/attributes`, command: `${state}/set` };
  }
  return {
    state: topics.state(kind, identity.topicId, key),
    attributes: topics.attributes(kind, identity.topicId, key),
    command: topics.command(kind, identity.topicId, key),
  };
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/_+/g, '_');
}

/**
 * One retained device-based discovery config: device and origin at the
 * root, availability on the bridge's and the device's topics (both must say online), and one
 * component per entity present on this device. Full key names, no abbreviations.
 */
export function deviceDiscovery<S>(
  identity: DeviceIdentity,
  descriptors: readonly EntityDescriptor<S>[],
  source: S,
  options: DiscoveryOptions,
): Record<string, unknown> {
  const { topics } = options;
  const availability: Record<string, unknown>[] = [{ topic: topics.bridgeState }];
  if (identity.kind !== 'bridge') availability.push({ topic: topics.availability(identity.kind, identity.topicId) });
  const components: Record<string, unknown> = {};
  for (const descriptor of descriptors) {
    if (descriptor.present && !descriptor.present(source)) continue;
    components[descriptor.key] = component(identity, descriptor, source, topics);
  }
  return {
    device: {
      identifiers: [uniqueDeviceId(identity)],
      name: identity.name,
      manufacturer: identity.manufacturer ?? 'Tesla',
      ...(identity.model ? { model: identity.model } : {}),
      ...(identity.swVersion ? { sw_version: identity.swVersion } : {}),
      ...(identity.serialNumber ? { serial_number: identity.serialNumber } : {}),
      ...(identity.viaDevice ? { via_device: identity.viaDevice } : {}),
      ...(identity.configurationUrl ? { configuration_url: identity.configurationUrl } : {}),
    },
    origin: options.origin,
    availability,
    availability_mode: 'all',
    components,
  };
}

/**
 * What a device's discovery config depends on, without building it: the identity, the entities
 * present and the bounds that follow the data (a charge limit's range). Equal shapes give equal
 * configs, so the config is rebuilt only when this changes, not on every new reading.
 */
export function discoveryShape<S>(identity: DeviceIdentity, descriptors: readonly EntityDescriptor<S>[], source: S): string {
  const parts: unknown[] = [identity];
  for (const d of descriptors) {
    if (d.present && !d.present(source)) continue;
    if (d.platform === 'number') parts.push(d.key, resolve(d.min, source), resolve(d.max, source));
    else if (d.platform === 'climate') parts.push(d.key, resolve(d.minTemp, source), resolve(d.maxTemp, source));
    else parts.push(d.key);
  }
  return JSON.stringify(parts);
}

function resolve<S>(value: number | ((source: S) => number), source: S): number {
  return typeof value === 'function' ? value(source) : value;
}

function component<S>(identity: DeviceIdentity, d: EntityDescriptor<S>, source: S, topics: Topics): Record<string, unknown> {
  const t = entityTopics(topics, identity, d.key);
  const common: Record<string, unknown> = {
    platform: d.platform,
    unique_id: uniqueEntityId(identity, d.key),
    name: d.name,
    default_entity_id: `${d.platform}.${slug(identity.name)}_${d.key}`,
    ...(d.enabledByDefault === false ? { enabled_by_default: false } : {}),
    ...(d.category ? { entity_category: d.category } : {}),
    ...(d.icon ? { icon: d.icon } : {}),
  };
  switch (d.platform) {
    case 'sensor':
      return {
        ...common,
        state_topic: t.state,
        ...(d.deviceClass ? { device_class: d.deviceClass } : {}),
        ...(d.unit ? { unit_of_measurement: d.unit } : {}),
        ...(d.stateClass ? { state_class: d.stateClass } : {}),
        ...(d.options ? { options: [...d.options] } : {}),
        ...(d.precision !== undefined ? { suggested_display_precision: d.precision } : {}),
        ...(d.attributes ? { json_attributes_topic: t.attributes } : {}),
      };
    case 'binary_sensor':
      return { ...common, state_topic: t.state, ...(d.deviceClass ? { device_class: d.deviceClass } : {}) };
    case 'number':
      return {
        ...common,
        state_topic: t.state,
        command_topic: t.command,
        min: resolve(d.min, source),
        max: resolve(d.max, source),
        step: d.step,
        mode: d.mode ?? 'auto',
        ...(d.unit ? { unit_of_measurement: d.unit } : {}),
        ...(d.deviceClass ? { device_class: d.deviceClass } : {}),
      };
    case 'select':
      return { ...common, state_topic: t.state, command_topic: t.command, options: [...d.options] };
    case 'switch':
      return { ...common, state_topic: t.state, command_topic: t.command, ...(d.deviceClass ? { device_class: d.deviceClass } : {}) };
    case 'button':
      return { ...common, command_topic: t.command, payload_press: 'PRESS', ...(d.deviceClass ? { device_class: d.deviceClass } : {}) };
    case 'lock':
      return { ...common, state_topic: t.state, command_topic: t.command };
    case 'cover':
      return {
        ...common,
        state_topic: t.state,
        command_topic: t.command,
        payload_open: d.supports.includes('OPEN') ? 'OPEN' : null,
        payload_close: d.supports.includes('CLOSE') ? 'CLOSE' : null,
        payload_stop: d.supports.includes('STOP') ? 'STOP' : null,
        ...(d.position ? { position_topic: `${t.state}/position` } : {}),
        ...(d.deviceClass ? { device_class: d.deviceClass } : {}),
      };
    case 'climate':
      return { ...common, ...climateComponent(d, t, source) };
    case 'device_tracker':
      return { ...common, json_attributes_topic: t.attributes, source_type: 'gps' };
    case 'update':
      return {
        ...common,
        state_topic: t.state,
        device_class: 'firmware',
        ...(d.install ? { command_topic: t.command, payload_install: 'install' } : {}),
      };
  }
}

/** One JSON state topic and one command topic; templates pick and build each facet. */
function climateComponent<S>(d: Extract<EntityDescriptor<S>, { platform: 'climate' }>, t: ReturnType<typeof entityTopics>, source: S): Record<string, unknown> {
  return {
    name: d.name,
    temperature_unit: 'C',
    precision: 0.5,
    temp_step: d.tempStep,
    min_temp: resolve(d.minTemp, source),
    max_temp: resolve(d.maxTemp, source),
    modes: [...d.modes],
    mode_state_topic: t.state,
    mode_state_template: '{{ value_json.mode }}',
    mode_command_topic: t.command,
    mode_command_template: '{"mode": "{{ value }}"}',
    current_temperature_topic: t.state,
    current_temperature_template: '{{ value_json.current_temperature }}',
    ...(d.setTemperature
      ? {
          temperature_state_topic: t.state,
          temperature_state_template: '{{ value_json.target_temperature }}',
          temperature_command_topic: t.command,
          temperature_command_template: '{"temperature": {{ value }}}',
        }
      : {}),
    ...(d.presets && d.setPreset
      ? {
          preset_modes: [...d.presets],
          preset_mode_state_topic: t.state,
          preset_mode_value_template: '{{ value_json.preset }}',
          preset_mode_command_topic: t.command,
          preset_mode_command_template: '{"preset": "{{ value }}"}',
        }
      : {}),
  };
}
