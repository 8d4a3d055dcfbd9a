import { distanceMiles } from '../util/geo.js';
import { type CommandHandler, ok, refuse } from './command-types.js';

/** Locks, openings, alarms and security modes. */

const HOMELINK_RANGE_MILES = 0.3;
const REMOTE_START_MS = 2 * 60_000;

export const BODY_COMMANDS: Record<string, CommandHandler> = {
  door_lock: (v) => {
    v.state.locked = true;
    return ok();
  },
  door_unlock: (v) => {
    v.state.locked = false;
    return ok();
  },
  actuate_trunk: (v, p) => {
    const s = v.state;
    if (s.trip) return refuse('vehicle is moving');
    const which = p.has('which_trunk') ? p.oneOf('which_trunk', ['front', 'rear'] as const) : 'rear';
    // The frunk only opens remotely; the powered liftgate toggles.
    if (which === 'front') s.doors.ft = true;
    else s.doors.rt = !s.doors.rt;
    return ok();
  },
  window_control: (v, p) => {
    const vent = p.oneOf('command', ['vent', 'close'] as const) === 'vent';
    for (const key of Object.keys(v.state.windows) as (keyof typeof v.state.windows)[]) v.state.windows[key] = vent;
    return ok();
  },
  sun_roof_control: (v, p) => {
    if (!v.spec.sunRoof) return refuse('sunroof not installed');
    const state = p.oneOf('state', ['vent', 'close', 'stop', 'open'] as const);
    if (state === 'vent') v.state.sunRoofPercent = 15;
    else if (state === 'open') v.state.sunRoofPercent = 100;
    else if (state === 'close') v.state.sunRoofPercent = 0;
    return ok();
  },
  set_sentry_mode: (v, p) => {
    v.state.sentry = p.boolean('on');
    return ok();
  },
  flash_lights: (v, _p, { now }) => {
    v.record('flash_lights', now);
    return ok();
  },
  honk_horn: (v, _p, { now }) => {
    v.record('honk_horn', now);
    return ok();
  },
  remote_boombox: (v, p, { now }) => {
    v.record('remote_boombox', now, { sound: p.optionalNumber('sound') ?? 0 });
    return ok();
  },
  trigger_homelink: (v, p, { now }) => {
    const at = { lat: p.number('lat', { min: -90, max: 90 }), lon: p.number('lon', { min: -180, max: 180 }) };
    if (distanceMiles(at, v.state.location) > HOMELINK_RANGE_MILES) return refuse('homelink not near the vehicle');
    v.record('trigger_homelink', now, at);
    return ok();
  },
  remote_start_drive: (v, _p, { now }) => {
    v.state.remoteStartUntil = now + REMOTE_START_MS;
    return ok();
  },
  set_valet_mode: (v, p) => {
    v.state.valet = p.boolean('on');
    return ok();
  },
  reset_valet_pin: () => ok(),
  set_pin_to_drive: (v, p) => {
    v.state.pinToDrive = p.boolean('on');
    return ok();
  },
  guest_mode: (v, p) => {
    v.state.guestMode = p.boolean('enable');
    return ok();
  },
  speed_limit_activate: (v) => {
    v.state.speedLimit = { ...v.state.speedLimit, active: true, pinSet: true };
    return ok();
  },
  speed_limit_deactivate: (v) => {
    v.state.speedLimit = { ...v.state.speedLimit, active: false };
    return ok();
  },
  speed_limit_set_limit: (v, p) => {
    v.state.speedLimit = { ...v.state.speedLimit, limitMph: Math.round(p.number('limit_mph', { min: 50, max: 120 })) };
    return ok();
  },
  speed_limit_clear_pin: (v) => {
    v.state.speedLimit = { ...v.state.speedLimit, active: false, pinSet: false };
    return ok();
  },
  set_vehicle_name: (v, p) => {
    v.state.displayName = p.string('vehicle_name');
    return ok();
  },
  erase_user_data: (v, _p, { now }) => {
    v.record('erase_user_data', now);
    return ok();
  },
};
