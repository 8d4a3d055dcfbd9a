import type { ModelSpec } from './spec.js';
import type { Plug, VehicleState } from './state.js';

/** Pure rules of the car's physics; the Vehicle class applies them over time steps. */

/**
 * Share of wall energy that reaches the battery. On AC the car's electronics draw a fixed overhead
 * while charging (it weighs most at low power) and a cold pack is warmed from the same supply, so
 * the share moves between 85 and 93 %: about 92 % at 11 kW and 20 °C, 88 % at 3.8 kW, 2-3 points
 * less on a cold night. DC loses a little more as power rises. An estimator that assumes one
 * constant shows real error against this.
 */
const AC_BEST = 0.955;
const AC_OVERHEAD_KW = 0.3;
const COLD_BELOW_C = 15;
const COLD_LOSS_PER_C = 0.002;
export const AC_EFFICIENCY_RANGE = [0.85, 0.93] as const;

export function acEfficiency(wallKw: number, temperatureC: number): number {
  const overhead = wallKw > 0 ? AC_OVERHEAD_KW / wallKw : 0;
  const cold = Math.max(0, COLD_BELOW_C - temperatureC) * COLD_LOSS_PER_C;
  return Math.min(AC_EFFICIENCY_RANGE[1], Math.max(AC_EFFICIENCY_RANGE[0], AC_BEST - overhead - cold));
}

export function dcEfficiency(wallKw: number, temperatureC: number): number {
  const cold = Math.max(0, COLD_BELOW_C - temperatureC) * COLD_LOSS_PER_C;
  return Math.min(0.96, Math.max(0.9, 0.97 - wallKw * 0.0001 - cold));
}

/** Amps the car draws on AC: the request, limited by the charger and the onboard charger. */
export function acAmps(state: VehicleState, plug: Plug, spec: ModelSpec): number {
  return Math.max(0, Math.min(state.chargeAmps, plug.maxAmps, spec.acMaxAmps));
}

/** The most the car can request on this plug (charge_current_request_max). */
export function maxRequestAmps(plug: Plug | null, spec: ModelSpec): number {
  return plug && plug.kind !== 'dc' ? Math.min(plug.maxAmps, spec.acMaxAmps) : spec.acMaxAmps;
}

/** DC power at a state of charge: flat up to 80 %, then tapering linearly to 15 % of peak at 100 %. */
export function dcPowerKw(levelPercent: number, peakKw: number): number {
  if (levelPercent <= 80) return peakKw;
  const share = 1 - ((levelPercent - 80) / 20) * 0.85;
  return peakKw * Math.max(0.15, share);
}

/** Wall-side charging power right now, kW (0 unless Charging). */
export function chargePowerKw(state: VehicleState, spec: ModelSpec, capacityKwh: number): number {
  const plug = state.plug;
  if (!plug || state.chargingState !== 'Charging') return 0;
  if (plug.kind === 'dc') return dcPowerKw((state.energyKwh / capacityKwh) * 100, Math.min(plug.dcMaxKw, spec.dcMaxKw));
  return (plug.voltage * acAmps(state, plug, spec) * plug.phases) / 1000;
}

/** The share of `wallKw` that reaches the battery on this plug at this outside temperature. */
export function chargeEfficiency(plug: Plug | null, wallKw: number, temperatureC: number): number {
  return plug?.kind === 'dc' ? dcEfficiency(wallKw, temperatureC) : acEfficiency(wallKw, temperatureC);
}

/** Outside temperature: the scenario's daily mean ±5 °C, coldest at 03:00 and warmest at 15:00. */
export function outsideTemperature(meanC: number, localHour: number): number {
  return meanC + 5 * Math.sin((2 * Math.PI * (localHour - 9)) / 24);
}

/** How much a parked cabin heats above the outside air in daylight (the greenhouse effect). */
export function cabinSunGain(localHour: number): number {
  return 12 * Math.max(0, Math.sin((Math.PI * (localHour - 6)) / 12));
}

export const COP_THRESHOLD_C: Record<VehicleState['copTemp'], number> = { Low: 30, Medium: 35, High: 40 };

/** Battery draw while parked and not charging, kW: what makes sleep worth having. */
export function parkedDrainKw(state: VehicleState): number {
  let kw = state.awake ? 0.25 : 0.015;
  if (state.sentry) kw += 0.3;
  if (state.climateOn) kw += 1.5;
  if (state.copCooling) kw += state.cop === 'FanOnly' ? 0.2 : 1.0;
  return kw;
}

/** Moves `value` towards `target` with time constant `tauMs` over `dtMs` (exponential approach). */
export function approach(value: number, target: number, dtMs: number, tauMs: number): number {
  return target + (value - target) * Math.exp(-dtMs / tauMs);
}
