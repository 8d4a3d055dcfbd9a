import type { ModelSpec } from './spec.js';
import type { Plug, VehicleState } from './state.js';

/** Pure rules of the car's physics; the Vehicle class applies them over time steps. */

/** Share of wall energy that reaches the battery. */
export const AC_EFFICIENCY = 0.92;
export const DC_EFFICIENCY = 0.96;

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

export function chargeEfficiency(plug: Plug | null): number {
  return plug?.kind === 'dc' ? DC_EFFICIENCY : AC_EFFICIENCY;
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
