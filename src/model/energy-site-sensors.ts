import { bool, num, str, text } from './read.js';
import type { EnergySiteSource } from './sources.js';
import { hasBattery, info, inInfo, inLive, live, oneOf, type SiteRow } from './energy-site-read.js';

/** Power flows, stored energy, grid and island state, and site facts. */

const ISLAND_STATES = ['island_status_unknown', 'on_grid', 'off_grid', 'off_grid_unintentional', 'off_grid_intentional'] as const;

/**
 * live_status says `Active` while the grid is up and `Inactive` during an outage. An enum (not
 * Teslemetry's binary sensor) keeps Home Assistant's "Grid status" a sensor, as its docs list it,
 * and leaves room for more words; a word Tesla adds later reads as unknown until it is added here.
 */
const GRID_STATES: ReadonlyMap<string, string> = new Map([
  ['Active', 'active'],
  ['Inactive', 'inactive'],
]);

/** A live_status power reading in W, created only if the site reports it. */
function power(key: string, name: string, enabledByDefault = true): SiteRow {
  return {
    platform: 'sensor',
    key,
    name,
    ...(enabledByDefault ? {} : { enabledByDefault: false }),
    present: inLive(key),
    deviceClass: 'power',
    unit: 'W',
    stateClass: 'measurement',
    precision: 0,
    value: (s) => num(live(s, key)),
  };
}

function stored(key: string, name: string, enabledByDefault: boolean): SiteRow {
  return {
    platform: 'sensor',
    key,
    name,
    ...(enabledByDefault ? {} : { enabledByDefault: false }),
    category: 'diagnostic',
    present: inLive(key),
    deviceClass: 'energy_storage',
    unit: 'Wh',
    stateClass: 'measurement',
    precision: 0,
    value: (s) => num(live(s, key)),
  };
}

/** Battery-only facts: Home Assistant creates these for sites with a Powerwall. */
function batteryFlag(key: string, name: string, read: (s: EnergySiteSource) => unknown): SiteRow {
  return { platform: 'binary_sensor', key, name, present: hasBattery, value: (s) => bool(read(s)) };
}

export const ENERGY_SITE_SENSOR_ROWS: SiteRow[] = [
  power('solar_power', 'Solar power'),
  power('battery_power', 'Battery power'),
  power('load_power', 'Load power'),
  power('grid_power', 'Grid power'),
  power('grid_services_power', 'Grid services power'),
  power('generator_power', 'Generator power', false),
  stored('energy_left', 'Energy left', true),
  stored('total_pack_energy', 'Total pack energy', false),
  // Home Assistant always creates it; on a site without a Powerwall it stays unknown.
  {
    platform: 'sensor',
    key: 'percentage_charged',
    name: 'Percentage charged',
    deviceClass: 'battery',
    unit: '%',
    stateClass: 'measurement',
    precision: 0,
    value: (s) => num(live(s, 'percentage_charged')),
  },
  {
    platform: 'sensor',
    key: 'island_status',
    name: 'Island status',
    present: inLive('island_status'),
    deviceClass: 'enum',
    options: ISLAND_STATES,
    value: (s) => oneOf(ISLAND_STATES, live(s, 'island_status')),
  },
  {
    platform: 'sensor',
    key: 'grid_status',
    name: 'Grid status',
    present: inLive('grid_status'),
    deviceClass: 'enum',
    options: [...GRID_STATES.values()],
    value: (s) => {
      const state = str(live(s, 'grid_status'));
      return state === null ? null : (GRID_STATES.get(state) ?? null);
    },
  },
  {
    platform: 'sensor',
    key: 'vpp_backup_reserve',
    name: 'VPP backup reserve',
    category: 'diagnostic',
    present: inInfo('vpp_backup_reserve_percent'),
    deviceClass: 'battery',
    unit: '%',
    stateClass: 'measurement',
    value: (s) => num(info(s, 'vpp_backup_reserve_percent')),
  },
  // The gateway's firmware, e.g. "25.10.1 1c3c3de5".
  { platform: 'sensor', key: 'version', name: 'Version', category: 'diagnostic', present: inInfo('version'), value: (s) => text(info(s, 'version')) },
  batteryFlag('backup_capable', 'Backup capable', (s) => live(s, 'backup_capable')),
  batteryFlag('grid_services_active', 'Grid services active', (s) => live(s, 'grid_services_active')),
  batteryFlag('storm_watch_active', 'Storm watch active', (s) => live(s, 'storm_mode_active')),
  batteryFlag('grid_services_enabled', 'Grid services enabled', (s) => info(s, 'components.grid_services_enabled')),
];
