import { bool, num } from './read.js';
import { energy, ENERGY_SCOPES, hasBattery, hasComponent, hasSolar, info, offered, oneOf, type SiteRow } from './energy-site-read.js';
import type { EnergySiteSource } from './sources.js';

/** Powerwall settings and teslahub's battery control. */

const OPERATION_MODES = ['autonomous', 'backup', 'self_consumption'] as const;
const EXPORT_RULES = ['never', 'battery_ok', 'pv_only'] as const;
const BATTERY_MODES = ['normal', 'charge', 'discharge'] as const;

const batteryAndSolar = (s: EnergySiteSource): boolean => hasBattery(s) && hasSolar(s);

/**
 * A site_info component setting that Tesla leaves out when it is at its default. With site_info in
 * hand a missing field is that documented default; without site_info it is unknown.
 */
function setting<T>(s: EnergySiteSource, name: string, read: (value: unknown) => T | null, absent: T): T | null {
  if (s.info === undefined) return null;
  const value = info(s, `components.${name}`);
  return value === undefined || value === null ? absent : read(value);
}

function percent(
  key: string,
  name: string,
  field: string,
  command: 'backup' | 'off_grid_vehicle_charging_reserve',
  present: (s: EnergySiteSource) => boolean,
): SiteRow {
  return {
    platform: 'number',
    key,
    name,
    scopes: ENERGY_SCOPES,
    present,
    deviceClass: 'battery',
    unit: '%',
    min: 0,
    max: 100,
    step: 1,
    mode: 'slider',
    value: (s) => num(info(s, field)),
    command: (value) => energy(command, { [field]: Math.round(value) }),
  };
}

export const ENERGY_SITE_CONTROL_ROWS: SiteRow[] = [
  percent('backup_reserve', 'Backup reserve', 'backup_reserve_percent', 'backup', hasBattery),
  percent(
    'off_grid_reserve',
    'Off grid reserve',
    'off_grid_vehicle_charging_reserve_percent',
    'off_grid_vehicle_charging_reserve',
    hasComponent('off_grid_vehicle_charging_reserve_supported'),
  ),
  {
    platform: 'select',
    key: 'operation_mode',
    name: 'Operation mode',
    scopes: ENERGY_SCOPES,
    present: hasBattery,
    options: OPERATION_MODES,
    value: (s) => oneOf(OPERATION_MODES, info(s, 'default_real_mode')),
    command: (option) => energy('operation', { default_real_mode: offered(OPERATION_MODES, option) }),
  },
  {
    platform: 'select',
    key: 'allow_export',
    name: 'Allow export',
    scopes: ENERGY_SCOPES,
    present: batteryAndSolar,
    options: EXPORT_RULES,
    value: (s) => setting(s, 'customer_preferred_export_rule', (v) => oneOf(EXPORT_RULES, v), 'never'),
    command: (option) => energy('grid_import_export', { customer_preferred_export_rule: offered(EXPORT_RULES, option) }),
  },
  {
    platform: 'switch',
    key: 'allow_charging_from_grid',
    name: 'Allow charging from grid',
    scopes: ENERGY_SCOPES,
    present: batteryAndSolar,
    // Tesla stores the opposite ("disallow"), absent meaning allowed.
    value: (s) => {
      const disallowed = setting(s, 'disallow_charge_from_grid_with_solar_installed', bool, false);
      return disallowed === null ? null : !disallowed;
    },
    command: (on) => energy('grid_import_export', { disallow_charge_from_grid_with_solar_installed: !on }),
  },
  {
    platform: 'switch',
    key: 'storm_watch',
    name: 'Storm watch',
    scopes: ENERGY_SCOPES,
    present: hasComponent('storm_mode_capable'),
    value: (s) => bool(info(s, 'user_settings.storm_mode_enabled')),
    command: (enabled) => energy('storm_mode', { enabled }),
  },
  // Grid-services style control (commands/battery-control.ts): "charge" or "discharge" for a while,
  // "normal" to restore the user's own settings. The state is teslahub's, not Tesla's; a duration
  // comes in a JSON payload that the router parses, so this row only names the mode.
  {
    platform: 'select',
    key: 'battery_control',
    name: 'Battery control',
    scopes: ENERGY_SCOPES,
    present: hasBattery,
    options: BATTERY_MODES,
    value: (s) => oneOf(BATTERY_MODES, s.batteryControl.mode),
    command: (option) => ({ kind: 'battery_control', mode: offered(BATTERY_MODES, option), durationS: undefined }),
  },
];
