/** The settings an energy site takes, by the name of their Fleet API endpoint. */
export const ENERGY_COMMANDS = ['backup', 'operation', 'grid_import_export', 'storm_mode', 'off_grid_vehicle_charging_reserve'] as const;
export type EnergyCommand = (typeof ENERGY_COMMANDS)[number];
