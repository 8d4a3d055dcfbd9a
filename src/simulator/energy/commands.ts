import type { EnergySite } from './energy-site.js';

/** Energy site settings commands (scope energy_cmds). Tesla answers each with code 201 "Updated". */

export class EnergyInputError extends Error {
  override readonly name = 'EnergyInputError';
}

type Body = Record<string, unknown>;
type EnergyCommand = (site: EnergySite, body: Body) => void;

const MODES = ['self_consumption', 'autonomous', 'backup'] as const;
const EXPORT_RULES = ['never', 'pv_only', 'battery_ok'] as const;

function percentField(body: Body, name: string): number {
  const value = body[name];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new EnergyInputError(`${name} must be a number from 0 to 100`);
  }
  return Math.round(value);
}

function requireBattery(site: EnergySite): void {
  if (!site.hasBattery) throw new EnergyInputError('this site has no Powerwall');
}

function oneOf<T extends string>(value: unknown, options: readonly T[], name: string): T {
  const found = options.find((option) => option === value);
  if (found === undefined) throw new EnergyInputError(`${name} must be one of ${options.join(', ')}`);
  return found;
}

export const ENERGY_COMMANDS: Readonly<Record<string, EnergyCommand>> = {
  backup: (site, body) => {
    requireBattery(site);
    site.settings.backupReserve = percentField(body, 'backup_reserve_percent');
  },
  operation: (site, body) => {
    requireBattery(site);
    site.settings.mode = oneOf(body.default_real_mode, MODES, 'default_real_mode');
  },
  grid_import_export: (site, body) => {
    requireBattery(site);
    const rule = body.customer_preferred_export_rule;
    const disallow = body.disallow_charge_from_grid_with_solar_installed;
    if (rule === undefined && disallow === undefined) {
      throw new EnergyInputError('send customer_preferred_export_rule and/or disallow_charge_from_grid_with_solar_installed');
    }
    if (disallow !== undefined && typeof disallow !== 'boolean') {
      throw new EnergyInputError('disallow_charge_from_grid_with_solar_installed must be true or false');
    }
    if (rule !== undefined) site.settings.exportRule = oneOf(rule, EXPORT_RULES, 'customer_preferred_export_rule');
    if (typeof disallow === 'boolean') site.settings.disallowGridCharging = disallow;
  },
  storm_mode: (site, body) => {
    requireBattery(site);
    if (typeof body.enabled !== 'boolean') throw new EnergyInputError('enabled must be true or false');
    site.settings.stormModeEnabled = body.enabled;
  },
  off_grid_vehicle_charging_reserve: (site, body) => {
    requireBattery(site);
    site.settings.offGridVehicleChargingReserve = percentField(body, 'off_grid_vehicle_charging_reserve_percent');
  },
  time_of_use_settings: (site, body) => {
    const tou = body.tou_settings;
    if (typeof tou !== 'object' || tou === null) throw new EnergyInputError('tou_settings must be an object');
    site.settings.touSettings = tou as Record<string, unknown>;
  },
};
