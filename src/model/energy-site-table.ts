import { ENERGY_SITE_CONTROL_ROWS } from './energy-site-controls.js';
import type { SiteRow } from './energy-site-read.js';
import { ENERGY_SITE_SENSOR_ROWS } from './energy-site-sensors.js';
import { ENERGY_SITE_TOTAL_ROWS } from './energy-site-totals.js';

/**
 * Every entity of an energy site: Home Assistant's Tesla Fleet energy-site entities (keys from
 * ha-tesla-fleet-entities.json), plus the Energy dashboard counters and battery control.
 */
export const ENERGY_SITE_ENTITIES: readonly SiteRow[] = [...ENERGY_SITE_SENSOR_ROWS, ...ENERGY_SITE_CONTROL_ROWS, ...ENERGY_SITE_TOTAL_ROWS];
