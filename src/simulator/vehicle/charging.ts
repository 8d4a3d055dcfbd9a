import { localTime, zonedToUtc } from '../util/time-zone.js';
import { chargeEfficiency } from './physics.js';
import type { ChargingState, Plug } from './state.js';
import type { Vehicle, VehicleEnv } from './vehicle.js';

/** How long a car reports `Starting` before power flows. */
export const STARTING_MS = 10_000;
/** A finished car does not top up for the first few percent it loses while parked. */
const COMPLETE_HYSTERESIS = 3;

/**
 * Decides the charging state from the facts: plug, user override, power at the charger, the
 * limit, and a pending scheduled start. `resume` re-evaluates a `Complete` car (the limit went up).
 */
export function resolveCharging(v: Vehicle, now: number, env: VehicleEnv, resume = false): void {
  const s = v.state;
  const plug = s.plug;
  if (!plug) {
    s.chargingState = 'Disconnected';
    s.startingUntil = null;
    return;
  }
  const level = v.levelPercent;
  const powered = plug.wallConnectorDin === undefined || env.powerAvailable(plug.wallConnectorDin);
  const full = s.chargingState === 'Complete' && !resume ? level >= s.chargeLimit - COMPLETE_HYSTERESIS : level >= s.chargeLimit - 1e-9;
  let next: ChargingState;
  if (s.userChargeEnable === false) next = 'Stopped';
  else if (!powered) next = 'NoPower';
  else if (full) next = 'Complete';
  else if (s.scheduledPendingUntil !== null && s.userChargeEnable !== true) next = 'Stopped';
  else next = s.chargingState === 'Charging' || s.chargingState === 'Starting' ? s.chargingState : 'Starting';
  if (next === 'Starting' && s.chargingState !== 'Starting') s.startingUntil = now + STARTING_MS;
  if (next !== 'Starting') s.startingUntil = null;
  // A car that wants to charge is awake.
  if ((next === 'Starting' || next === 'Charging') && !s.awake) v.wakeNow(now);
  s.chargingState = next;
}

/** Adds `dtMs` of charging; stops exactly at the limit. */
export function chargeStep(v: Vehicle, dtMs: number): void {
  const s = v.state;
  const kw = v.chargePowerKw;
  const gain = (kw * chargeEfficiency(s.plug, kw, s.outsideTemp) * dtMs) / 3_600_000;
  const limitKwh = (v.capacityKwh * s.chargeLimit) / 100;
  const added = Math.max(0, Math.min(gain, limitKwh - s.energyKwh));
  s.energyKwh += added;
  s.chargeEnergyAdded += added;
  if (s.energyKwh >= limitKwh - 1e-9) s.chargingState = 'Complete';
}

export function plugIn(v: Vehicle, plug: Plug, now: number, env: VehicleEnv): void {
  const s = v.state;
  if (s.plug) unplug(v, now, env);
  s.plug = plug;
  s.chargePortDoorOpen = true;
  s.latchEngaged = true;
  s.userChargeEnable = null;
  s.chargeEnergyAdded = 0;
  s.chargingState = 'Stopped';
  s.scheduledPendingUntil = s.scheduledCharging.enabled ? nextLocalTime(s.scheduledCharging.minutes, now, env.timeZone) : null;
  v.wakeNow(now);
  resolveCharging(v, now, env, true);
}

export function unplug(v: Vehicle, now: number, env: VehicleEnv): void {
  const s = v.state;
  if (!s.plug) return;
  s.plug = null;
  s.latchEngaged = false;
  s.chargePortDoorOpen = false;
  s.userChargeEnable = null;
  s.scheduledPendingUntil = null;
  v.wakeNow(now);
  resolveCharging(v, now, env);
}

/** The next instant (after `now`) when the local clock shows `minutes` after midnight. */
export function nextLocalTime(minutes: number, now: number, timeZone: string): number {
  const today = localTime(now, timeZone);
  for (let dayOffset = 0; dayOffset < 3; dayOffset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + dayOffset));
    const at = zonedToUtc(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), Math.floor(minutes / 60), minutes % 60, timeZone);
    if (at > now) return at;
  }
  return now + 86_400_000;
}
