import { offsetMinutes } from '../util/time-zone.js';
import { chargeState, climateState } from './render-charge-climate.js';
import { driveState, guiSettings, vehicleConfig, vehicleState } from './render-drive-state.js';
import type { Vehicle } from './vehicle.js';

/**
 * The JSON a Fleet API client sees for a car: summaries (products, vehicles, state) and
 * vehicle_data. Sections by `endpoints`: charge_state, climate_state, drive_state, gui_settings,
 * vehicle_config, vehicle_state, closures_state, charge_schedule_data,
 * preconditioning_schedule_data, location_data (positions in drive_state), vehicle_data_combo (all).
 */

/** What vehicle_data returns without `endpoints` (no location: since 2023.38 it must be asked for). */
const DEFAULT_SECTIONS = ['charge_state', 'climate_state', 'drive_state', 'gui_settings', 'vehicle_config', 'vehicle_state'];

export function vehicleSummary(v: Vehicle): Record<string, unknown> {
  return {
    id: v.id,
    vehicle_id: v.vehicleId,
    vin: v.vin,
    color: null,
    access_type: 'OWNER',
    display_name: v.state.displayName,
    option_codes: null,
    cached_data: '',
    granular_access: { hide_private: false },
    tokens: null,
    state: v.status,
    in_service: false,
    id_s: String(v.id),
    calendar_enabled: true,
    api_version: 81,
    backseat_token: null,
    backseat_token_updated_at: null,
    ble_autopair_enrolled: false,
    command_signing: v.state.commandSigning,
    mobile_access_disabled: false,
    release_notes_supported: true,
  };
}

export interface VehicleDataRequest {
  now: number;
  timeZone: string;
  /** The `endpoints` query split on `;`; undefined = the default set. */
  endpoints: string[] | undefined;
  /** The token has `vehicle_location`: location fields appear only with this and `location_data`. */
  locationScope: boolean;
}

export function vehicleData(v: Vehicle, request: VehicleDataRequest): Record<string, unknown> {
  const { now } = request;
  const asked = new Set(request.endpoints ?? DEFAULT_SECTIONS);
  const combo = asked.has('vehicle_data_combo');
  const want = (section: string): boolean => combo || asked.has(section);
  const location = asked.has('location_data') && request.locationScope;
  const out: Record<string, unknown> = { ...vehicleSummary(v), user_id: 800_001 };
  if (want('charge_state')) out.charge_state = chargeState(v, now);
  if (want('climate_state')) out.climate_state = climateState(v, now);
  // Asking only for location_data still returns the positions, inside drive_state.
  if (want('drive_state') || location) out.drive_state = driveState(v, now, location);
  if (want('gui_settings')) out.gui_settings = guiSettings(v, now);
  if (want('vehicle_config')) out.vehicle_config = vehicleConfig(v, now, offsetMinutes(now, request.timeZone) * 60);
  if (want('vehicle_state')) out.vehicle_state = vehicleState(v, now);
  if (asked.has('closures_state')) out.closures_state = closuresState(v, now);
  if (want('charge_schedule_data')) {
    out.charge_schedule_data = { charge_schedules: v.state.chargeSchedules, charge_schedule_window: null, next_schedule: false };
  }
  if (want('preconditioning_schedule_data')) {
    out.preconditioning_schedule_data = { precondition_schedules: v.state.preconditionSchedules, next_schedule: false };
  }
  return out;
}

function closuresState(v: Vehicle, now: number): Record<string, unknown> {
  const s = v.state;
  const bit = (open: boolean): number => (open ? 1 : 0);
  return {
    df: bit(s.doors.df),
    dr: bit(s.doors.dr),
    pf: bit(s.doors.pf),
    pr: bit(s.doors.pr),
    ft: bit(s.doors.ft),
    rt: bit(s.doors.rt),
    fd_window: bit(s.windows.fd),
    fp_window: bit(s.windows.fp),
    rd_window: bit(s.windows.rd),
    rp_window: bit(s.windows.rp),
    locked: s.locked,
    is_user_present: s.userPresentUntil !== null && now < s.userPresentUntil,
    timestamp: now,
  };
}
