import type { EntityDescriptor } from './descriptors.js';
import { isControl } from './descriptors.js';
import { ENTITY_TABLES, type TableKind } from './tables.js';

const TITLES: Record<TableKind, { title: string; topic: string }> = {
  vehicle: { title: 'Vehicle', topic: '<base>/vehicle/<VIN or topic>/<key>' },
  energy_site: { title: 'Energy site (Powerwall, solar)', topic: '<base>/energy_site/<site id or topic>/<key>' },
  wall_connector: { title: 'Wall Connector', topic: '<base>/wall_connector/<DIN>/<key>' },
  bridge: { title: 'Bridge (teslahub itself)', topic: '<base>/bridge/<key>' },
};

function payload<S>(d: EntityDescriptor<S>): string {
  switch (d.platform) {
    case 'sensor':
      return [
        d.deviceClass === 'enum' && d.options
          ? d.options.join(', ')
          : d.deviceClass === 'timestamp'
            ? 'ISO 8601 time'
            : d.unit
              ? `number (${d.unit})`
              : 'text or number',
        d.attributes ? '+ attributes' : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'binary_sensor':
      return 'ON / OFF';
    case 'number': {
      const bound = (b: number | ((s: S) => number)): string => (typeof b === 'number' ? String(b) : 'car');
      return `${bound(d.min)}–${bound(d.max)} step ${d.step}${d.unit ? ` ${d.unit}` : ''}`;
    }
    case 'select':
      return d.options.join(', ');
    case 'switch':
      return 'ON / OFF';
    case 'lock':
      return 'LOCKED / UNLOCKED; set LOCK / UNLOCK';
    case 'cover':
      return `open / closed; set ${d.supports.join(' / ')}`;
    case 'button':
      return 'set PRESS';
    case 'climate':
      return `JSON {mode, current_temperature, target_temperature, preset}; set {"mode": ${d.modes.join('|')}}, {"temperature": °C}${d.presets ? `, {"preset": ${d.presets.join('|')}}` : ''}`;
    case 'device_tracker':
      return 'attributes {latitude, longitude}';
    case 'update':
      return `JSON {installed_version, latest_version, in_progress, update_percentage}${d.install ? '; set install' : ''}`;
  }
}

/** docs/entities.md: every entity of every table, generated so it can never drift from the code. */
export function entityReference(): string {
  const lines = [
    '# Entity reference',
    '',
    'Generated from the entity tables in `src/model/` (`npm run docs:entities`); a test fails when this',
    'file is out of date. `<base>` is `mqtt.base_topic`. Controls take commands on `<topic>/set`.',
    'Unknown values are published as `None`. Entities marked "no" are disabled by default in Home',
    'Assistant; the category column marks diagnostic entities.',
    '',
    "- Tesla's placeholders (`<invalid>`, an empty text, `Unknown`, `SNA`) are no value: they are",
    '  published as `None` (a car with no cable in has `charge_cable` None, not `<invalid>`).',
    "- A device's set of entities does not change with its data: entities it cannot have (a sunroof,",
    '  rear or third-row seat heaters, a battery on a solar-only site) are left out once its',
    '  configuration is known; every other one stays in discovery and reads `None` when it has no value.',
    '  `route` is always there: with no destination its attributes are `{}` and its state is unknown.',
    '- `battery_level` carries an estimate while the car charges on a Wall Connector of its energy site',
    '  between two readings (README, Polling); its attributes say `estimated: true` with `last_reading`',
    '  and `last_reading_at`, or `estimated: false` for a reading.',
    '',
  ];
  for (const kind of Object.keys(TITLES) as TableKind[]) {
    const { title, topic } = TITLES[kind];
    const table = ENTITY_TABLES[kind] as readonly EntityDescriptor<never>[];
    lines.push(
      `## ${title}`,
      '',
      `Topic: \`${topic}\`. ${table.length} entities.`,
      '',
      '| key | name | platform | payload | control | enabled | category |',
      '|---|---|---|---|---|---|---|',
    );
    for (const d of table) {
      lines.push(
        `| \`${d.key}\` | ${d.name} | ${d.platform}${'deviceClass' in d && d.deviceClass ? ` (${d.deviceClass})` : ''} | ${payload(d).replace(/\|/g, '\\|')} | ${isControl(d) ? 'yes' : ''} | ${d.enabledByDefault === false ? 'no' : 'yes'} | ${d.category ?? ''} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
