/**
 * Home Assistant's rules for MQTT discovery (what HA rejects or
 * degrades), as an oracle independent of the code that builds discovery. Returns problems as text.
 */

const PLATFORMS = new Set([
  'alarm_control_panel',
  'binary_sensor',
  'button',
  'camera',
  'climate',
  'cover',
  'device_tracker',
  'event',
  'fan',
  'humidifier',
  'image',
  'lawn_mower',
  'light',
  'lock',
  'notify',
  'number',
  'scene',
  'select',
  'sensor',
  'siren',
  'switch',
  'tag',
  'text',
  'time',
  'date',
  'datetime',
  'update',
  'vacuum',
  'valve',
  'water_heater',
]);

const ENERGY_UNITS = ['Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'mWh', 'J', 'kJ', 'MJ', 'GJ', 'cal', 'kcal', 'Mcal', 'Gcal'];
const ANY_STATE_CLASS = ['measurement', 'total', 'total_increasing'];

/** device_class → allowed units (undefined: no unit allowed) and state classes. */
const SENSOR_CLASSES: Record<string, { units: string[] | undefined; stateClasses: string[] }> = {
  power: { units: ['mW', 'W', 'kW', 'MW', 'GW', 'TW'], stateClasses: ['measurement'] },
  energy: { units: ENERGY_UNITS, stateClasses: ['total', 'total_increasing'] },
  energy_storage: { units: ENERGY_UNITS, stateClasses: ['measurement'] },
  battery: { units: ['%'], stateClasses: ['measurement'] },
  distance: { units: ['mm', 'cm', 'm', 'km', 'in', 'ft', 'yd', 'mi', 'nmi'], stateClasses: ANY_STATE_CLASS },
  speed: { units: ['ft/s', 'm/s', 'km/h', 'kn', 'mph', 'Beaufort', 'mm/d', 'in/d', 'mm/h', 'in/h'], stateClasses: ['measurement'] },
  pressure: { units: ['Pa', 'hPa', 'kPa', 'bar', 'cbar', 'mbar', 'mmHg', 'inHg', 'psi', 'mPa', 'inH₂O'], stateClasses: ['measurement'] },
  temperature: { units: ['°C', '°F', 'K'], stateClasses: ['measurement'] },
  duration: { units: ['d', 'h', 'min', 's', 'ms', 'μs'], stateClasses: ANY_STATE_CLASS },
  voltage: { units: ['V', 'mV', 'µV', 'kV', 'MV'], stateClasses: ['measurement'] },
  current: { units: ['A', 'mA'], stateClasses: ['measurement'] },
  frequency: { units: ['Hz', 'kHz', 'MHz', 'GHz'], stateClasses: ['measurement'] },
  signal_strength: { units: ['dB', 'dBm'], stateClasses: ['measurement'] },
  monetary: { units: undefined, stateClasses: ['total'] },
  timestamp: { units: undefined, stateClasses: [] },
  date: { units: undefined, stateClasses: [] },
  enum: { units: undefined, stateClasses: [] },
};

const BINARY_CLASSES = new Set([
  'battery',
  'battery_charging',
  'carbon_monoxide',
  'cold',
  'connectivity',
  'door',
  'garage_door',
  'gas',
  'heat',
  'light',
  'lock',
  'moisture',
  'motion',
  'moving',
  'occupancy',
  'opening',
  'plug',
  'power',
  'presence',
  'problem',
  'running',
  'safety',
  'smoke',
  'sound',
  'tamper',
  'update',
  'vibration',
  'window',
]);
const COVER_CLASSES = new Set(['awning', 'blind', 'curtain', 'damper', 'door', 'garage', 'gate', 'shade', 'shutter', 'window']);
const BUTTON_CLASSES = new Set(['identify', 'restart', 'update']);
const HVAC_MODES = new Set(['auto', 'off', 'cool', 'heat', 'dry', 'fan_only', 'heat_cool']);

const REQUIRED: Record<string, string[]> = {
  sensor: ['state_topic'],
  binary_sensor: ['state_topic'],
  number: ['command_topic'],
  select: ['command_topic', 'options'],
  switch: ['command_topic'],
  button: ['command_topic'],
  lock: ['command_topic'],
  update: ['state_topic'],
};

const TOPIC_KEY = /_topic$/;

export function validateDeviceDiscovery(topic: string, payload: Record<string, unknown>, prefix = 'homeassistant'): string[] {
  const problems: string[] = [];
  const bad = (what: string): void => void problems.push(`${topic}: ${what}`);
  const match = new RegExp(`^${prefix}/device/([a-zA-Z0-9_-]+)/config$`).exec(topic);
  if (!match) bad('illegal device discovery topic (object id must be [a-zA-Z0-9_-])');

  const device = (payload.device ?? payload.dev) as Record<string, unknown> | undefined;
  const origin = (payload.origin ?? payload.o) as Record<string, unknown> | undefined;
  const components = (payload.components ?? payload.cmps) as Record<string, Record<string, unknown>> | undefined;
  if (!device) bad('device-based discovery needs a device block');
  const ids = device?.identifiers ?? device?.ids;
  if (device && !(typeof ids === 'string' || (Array.isArray(ids) && ids.length > 0)) && !device.connections) bad('device needs identifiers or connections');
  if (device && typeof device.name !== 'string') bad('device needs a name');
  if (!origin || typeof origin.name !== 'string') bad('device-based discovery needs origin.name');
  if (('availability' in payload || 'avty' in payload) && ('availability_topic' in payload || 'avty_t' in payload)) {
    bad('availability and availability_topic must not both be set');
  }
  if (!components || typeof components !== 'object' || Object.keys(components).length === 0) {
    bad('no components');
    return problems;
  }
  const deviceName = typeof device?.name === 'string' ? device.name : '';
  for (const [id, c] of Object.entries(components)) {
    const where = (what: string): void => bad(`component ${id}: ${what}`);
    const platform = (c.platform ?? c.p) as string | undefined;
    if (!platform) {
      where('missing platform');
      continue;
    }
    if (!PLATFORMS.has(platform)) where(`"${platform}" is not an MQTT platform (there is no MQTT media_player)`);
    if (typeof (c.unique_id ?? c.uniq_id) !== 'string') where('missing unique_id');
    if ('object_id' in c) where('object_id is removed from Home Assistant; use default_entity_id');
    const entityId = c.default_entity_id;
    if (entityId !== undefined && !(typeof entityId === 'string' && new RegExp(`^${platform}\\.[a-z0-9_]+$`).test(entityId))) {
      where(`default_entity_id ${JSON.stringify(entityId)} must be "${platform}.<lowercase_id>"`);
    }
    const name = c.name;
    if (typeof name === 'string' && deviceName && name.toLowerCase().startsWith(deviceName.toLowerCase())) where('name repeats the device name');
    const category = c.entity_category ?? c.ent_cat;
    if (category !== undefined && category !== 'config' && category !== 'diagnostic') where(`invalid entity_category ${String(category)}`);
    if (category === 'config' && (platform === 'sensor' || platform === 'binary_sensor')) where('sensors cannot have entity_category config');
    for (const key of REQUIRED[platform] ?? []) if (c[key] === undefined) where(`${platform} requires ${key}`);
    for (const [key, value] of Object.entries(c)) {
      if (TOPIC_KEY.test(key) && (typeof value !== 'string' || /[#+]/.test(value) || value === '')) where(`${key} is not a valid topic`);
    }
    const deviceClass = (c.device_class ?? c.dev_cla) as string | undefined;
    const unit = (c.unit_of_measurement ?? c.unit_of_meas) as string | undefined;
    const stateClass = (c.state_class ?? c.stat_cla) as string | undefined;
    switch (platform) {
      case 'sensor':
        checkSensor(deviceClass, unit, stateClass, c.options, where);
        break;
      case 'binary_sensor':
        if (deviceClass !== undefined && !BINARY_CLASSES.has(deviceClass)) where(`"${deviceClass}" is not a binary_sensor device class`);
        break;
      case 'number': {
        const min = Number(c.min ?? 1);
        const max = Number(c.max ?? 100);
        const step = Number(c.step ?? 1);
        if (!(min < max)) where(`number min ${min} must be below max ${max}`);
        if (!(step >= 0.001)) where(`number step ${step} must be at least 0.001`);
        if (deviceClass && SENSOR_CLASSES[deviceClass]?.units && unit && !SENSOR_CLASSES[deviceClass]?.units?.includes(unit)) {
          where(`unit ${unit} is not valid for number device class ${deviceClass}`);
        }
        break;
      }
      case 'select':
        if (!Array.isArray(c.options) || c.options.length === 0) where('select needs a non-empty options list');
        break;
      case 'cover':
        if (deviceClass !== undefined && !COVER_CLASSES.has(deviceClass)) where(`"${deviceClass}" is not a cover device class`);
        break;
      case 'button':
        if (deviceClass !== undefined && !BUTTON_CLASSES.has(deviceClass)) where(`"${deviceClass}" is not a button device class`);
        break;
      case 'climate': {
        const modes = c.modes;
        if (Array.isArray(modes) && modes.some((m) => !HVAC_MODES.has(String(m)))) where(`climate modes ${JSON.stringify(modes)} include a non-HVAC mode`);
        const presets = c.preset_modes;
        if (Array.isArray(presets) && presets.includes('none')) where('preset_modes must not include "none"');
        if (c.preset_mode_command_topic !== undefined && presets === undefined) where('preset_mode_command_topic needs preset_modes');
        if (![undefined, 0.1, 0.5, 1].includes(c.precision as number | undefined)) where('climate precision must be 0.1, 0.5 or 1');
        break;
      }
      case 'device_tracker':
        if (c.json_attributes_topic === undefined && c.state_topic === undefined) where('device_tracker needs json_attributes_topic (or state_topic)');
        if (c.source_type !== undefined && !['gps', 'router', 'bluetooth', 'bluetooth_le'].includes(String(c.source_type))) where('invalid source_type');
        break;
    }
  }
  return problems;
}

function checkSensor(
  deviceClass: string | undefined,
  unit: string | undefined,
  stateClass: string | undefined,
  options: unknown,
  where: (what: string) => void,
): void {
  if (stateClass !== undefined && !ANY_STATE_CLASS.includes(stateClass)) where(`invalid state_class ${stateClass}`);
  if (deviceClass === undefined) {
    if (options !== undefined) where('options require device_class enum');
    return;
  }
  const rule = SENSOR_CLASSES[deviceClass];
  if (!rule) {
    where(`device class "${deviceClass}" is not one this validator knows (add it with its units, or fix it)`);
    return;
  }
  if (rule.units === undefined) {
    if (unit !== undefined && deviceClass !== 'monetary') where(`device class ${deviceClass} takes no unit (got ${unit})`);
  } else if (unit === undefined) {
    where(`device class ${deviceClass} needs a unit`);
  } else if (!rule.units.includes(unit)) {
    where(`unit "${unit}" is not valid together with device class ${deviceClass}`);
  }
  if (stateClass !== undefined && !rule.stateClasses.includes(stateClass)) where(`state class ${stateClass} is impossible for device class ${deviceClass}`);
  if (deviceClass === 'enum') {
    if (!Array.isArray(options) || options.length === 0) where('enum sensor needs options');
    if (stateClass !== undefined) where('enum sensor cannot have a state_class');
  } else if (options !== undefined) {
    where('options are only for enum sensors');
  }
}
