import { nextLocalTime, resolveCharging } from './charging.js';
import { type CommandHandler, ok, refuse } from './command-types.js';

/** Charging commands: the ones a `vehicle_charging_cmds` token may send as well as `vehicle_cmds`. */

const STANDARD_LIMIT = 90;

const setLimit =
  (percent: number): CommandHandler =>
  (v, _p, { now, env }) => {
    const s = v.state;
    if (s.chargeLimit === percent) return refuse('already_set');
    const raised = percent > s.chargeLimit;
    s.chargeLimit = percent;
    resolveCharging(v, now, env, raised);
    return ok();
  };

export const CHARGING_COMMANDS: Record<string, CommandHandler> = {
  charge_start: (v, _p, { now, env }) => {
    const s = v.state;
    if (!s.plug) return refuse('disconnected');
    if (s.chargingState === 'Charging' || s.chargingState === 'Starting') return refuse('is_charging');
    if (v.levelPercent >= s.chargeLimit - 1e-9) return refuse('complete');
    s.userChargeEnable = true;
    resolveCharging(v, now, env, true);
    return ok();
  },
  charge_stop: (v, _p, { now, env }) => {
    const s = v.state;
    if (s.chargingState !== 'Charging' && s.chargingState !== 'Starting') return refuse('not_charging');
    s.userChargeEnable = false;
    resolveCharging(v, now, env);
    return ok();
  },
  charge_standard: (v, p, ctx) => setLimit(STANDARD_LIMIT)(v, p, ctx),
  charge_max_range: (v, p, ctx) => setLimit(100)(v, p, ctx),
  set_charge_limit: (v, p, ctx) => setLimit(Math.round(p.number('percent', { min: 50, max: 100 })))(v, p, ctx),
  set_charging_amps: (v, p) => {
    const amps = Math.round(p.number('charging_amps', { min: 0, max: 80 }));
    v.state.chargeAmps = Math.min(amps, v.spec.acMaxAmps);
    return ok();
  },
  charge_port_door_open: (v, _p, { now, env }) => {
    const s = v.state;
    s.chargePortDoorOpen = true;
    if (s.plug) {
      // Opening the port with a cable in releases the latch, which ends a session in progress.
      s.latchEngaged = false;
      if (s.chargingState === 'Charging' || s.chargingState === 'Starting') {
        s.userChargeEnable = false;
        resolveCharging(v, now, env);
      }
    }
    return ok();
  },
  charge_port_door_close: (v) => {
    const s = v.state;
    if (s.plug) return refuse('charge cable connected');
    s.chargePortDoorOpen = false;
    return ok();
  },
  set_scheduled_charging: (v, p, { now, env }) => {
    const s = v.state;
    const enable = p.boolean('enable');
    const minutes = enable ? Math.round(p.number('time', { min: 0, max: 1439 })) : s.scheduledCharging.minutes;
    s.scheduledCharging = { enabled: enable, minutes };
    s.scheduledPendingUntil = enable && s.plug ? nextLocalTime(minutes, now, env.timeZone) : null;
    resolveCharging(v, now, env);
    return ok();
  },
  set_scheduled_departure: (v, p) => {
    const d = v.state.scheduledDeparture;
    d.enabled = p.boolean('enable');
    d.minutes = Math.round(p.optionalNumber('departure_time', { min: 0, max: 1439 }) ?? d.minutes);
    d.preconditioning = p.optionalBoolean('preconditioning_enabled') ?? d.preconditioning;
    d.preconditioningWeekdaysOnly = p.optionalBoolean('preconditioning_weekdays_only') ?? d.preconditioningWeekdaysOnly;
    d.offPeak = p.optionalBoolean('off_peak_charging_enabled') ?? d.offPeak;
    d.offPeakWeekdaysOnly = p.optionalBoolean('off_peak_charging_weekdays_only') ?? d.offPeakWeekdaysOnly;
    d.endOffPeakMinutes = Math.round(p.optionalNumber('end_off_peak_time', { min: 0, max: 1439 }) ?? d.endOffPeakMinutes);
    return ok();
  },
  add_charge_schedule: (v, p, { now }) => {
    const id = p.optionalNumber('id') || Math.floor(now / 1000);
    const entry = {
      id,
      name: p.optionalString('name') ?? '',
      days_of_week: p.optionalNumber('days_of_week') ?? 127,
      start_enabled: p.optionalBoolean('start_enabled') ?? false,
      start_time: p.optionalNumber('start_time') ?? 0,
      end_enabled: p.optionalBoolean('end_enabled') ?? false,
      end_time: p.optionalNumber('end_time') ?? 0,
      one_time: p.optionalBoolean('one_time') ?? false,
      enabled: p.optionalBoolean('enabled') ?? true,
      latitude: p.optionalNumber('lat') ?? v.state.location.lat,
      longitude: p.optionalNumber('lon') ?? v.state.location.lon,
    };
    v.state.chargeSchedules = [...v.state.chargeSchedules.filter((s) => s.id !== id), entry];
    return ok();
  },
  remove_charge_schedule: (v, p) => {
    const id = p.number('id');
    v.state.chargeSchedules = v.state.chargeSchedules.filter((s) => s.id !== id);
    return ok();
  },
};
