import { VEHICLE_BODY_ROWS } from './vehicle-body.js';
import { VEHICLE_BUTTON_ROWS } from './vehicle-buttons.js';
import { VEHICLE_CHARGE_ROWS } from './vehicle-charge.js';
import { VEHICLE_CLIMATE_ROWS } from './vehicle-climate.js';
import { VEHICLE_CONTROL_ROWS } from './vehicle-controls.js';
import { VEHICLE_COVER_ROWS } from './vehicle-covers.js';
import { VEHICLE_DRIVE_ROWS } from './vehicle-drive.js';
import { VEHICLE_MEDIA_ROWS } from './vehicle-media.js';
import type { VehicleRow } from './vehicle-read.js';
import { VEHICLE_SEAT_ROWS } from './vehicle-seats.js';
import { VEHICLE_STATUS_ROWS } from './vehicle-status.js';
import { VEHICLE_TELEMETRY_ROWS } from './vehicle-telemetry.js';

/**
 * Every entity of a car: Home Assistant's Tesla Fleet vehicle entities (keys from
 * ha-tesla-fleet-entities.json), with its media_player replaced by media_* entities, plus the
 * vehicle_state sensor, the software update and, with Fleet Telemetry, the data source.
 */
export const VEHICLE_ENTITIES: readonly VehicleRow[] = [
  ...VEHICLE_STATUS_ROWS,
  ...VEHICLE_CHARGE_ROWS,
  ...VEHICLE_CONTROL_ROWS,
  ...VEHICLE_CLIMATE_ROWS,
  ...VEHICLE_SEAT_ROWS,
  ...VEHICLE_COVER_ROWS,
  ...VEHICLE_BODY_ROWS,
  ...VEHICLE_DRIVE_ROWS,
  ...VEHICLE_BUTTON_ROWS,
  ...VEHICLE_MEDIA_ROWS,
  ...VEHICLE_TELEMETRY_ROWS,
];
