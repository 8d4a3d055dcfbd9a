import type { TouPeriod } from './tou.js';

export type OperationMode = 'self_consumption' | 'autonomous' | 'backup';
export type ExportRule = 'never' | 'pv_only' | 'battery_ok';

/** One-way battery efficiency (about 90 % round trip). */
export const BATTERY_EFFICIENCY = 0.95;

export interface BatteryFacts {
  energyWh: number;
  capacityWh: number;
  maxChargeW: number;
  maxDischargeW: number;
}

export interface FlowInput {
  /** Solar available before curtailment, W. */
  solarW: number;
  /** Home load without EV charging, W. */
  homeW: number;
  /** Wall Connector draw, W. */
  evW: number;
  battery: BatteryFacts | null;
  mode: OperationMode;
  exportRule: ExportRule;
  reservePercent: number;
  gridChargingAllowed: boolean;
  gridUp: boolean;
  stormActive: boolean;
  tou: TouPeriod;
  /**
   * The horizon over which the battery must not overshoot full, empty or its reserve. The site
   * always passes its one-minute step, whatever the actual step length, so the flows at an
   * instant do not depend on how often someone looks.
   */
  dtMs: number;
}

/**
 * Power flows at one instant, whole watts, signed as live_status reports them: battery + =
 * discharging, grid + = importing. They always balance: solar + battery + grid = load.
 */
export interface Flows {
  solar: number;
  battery: number;
  grid: number;
  load: number;
}

function chargeRoomW(b: BatteryFacts, dtMs: number, targetPercent: number): number {
  const roomWh = (b.capacityWh * targetPercent) / 100 - b.energyWh;
  return Math.max(0, Math.min(b.maxChargeW, roomWh / (BATTERY_EFFICIENCY * (dtMs / 3_600_000))));
}

function dischargeRoomW(b: BatteryFacts, dtMs: number, floorPercent: number): number {
  const aboveWh = b.energyWh - (b.capacityWh * floorPercent) / 100;
  return Math.max(0, Math.min(b.maxDischargeW, (aboveWh * BATTERY_EFFICIENCY) / (dtMs / 3_600_000)));
}

interface Behaviour {
  dischargeForLoad: boolean;
  dischargeForExport: boolean;
  /** Charge from the grid up to this state of charge, if set. */
  gridChargeTo: number | null;
}

/**
 * What the Powerwall is asked to do, settings:
 * - self_consumption: solar surplus charges, the battery covers the home down to the reserve.
 * - autonomous (time-based): as self_consumption, but it holds its charge off-peak and, with
 *   export rule battery_ok, discharges at full power on-peak, selling the rest to the grid.
 * - backup: holds at full, charging from the grid if grid charging is allowed; never discharges on grid.
 * - storm watch (storm mode enabled and a watch active): like backup, grid charging always allowed.
 * In every mode a battery below its reserve recharges from the grid when grid charging is allowed.
 */
function behaviour(input: FlowInput): Behaviour {
  const toReserve = input.gridChargingAllowed ? input.reservePercent : null;
  if (input.stormActive) return { dischargeForLoad: false, dischargeForExport: false, gridChargeTo: 100 };
  switch (input.mode) {
    case 'backup':
      return { dischargeForLoad: false, dischargeForExport: false, gridChargeTo: input.gridChargingAllowed ? 100 : null };
    case 'autonomous':
      return {
        dischargeForLoad: input.tou !== 'off_peak',
        dischargeForExport: input.tou === 'on_peak' && input.exportRule === 'battery_ok',
        gridChargeTo: toReserve,
      };
    case 'self_consumption':
      return { dischargeForLoad: true, dischargeForExport: false, gridChargeTo: toReserve };
  }
}

export function computeFlows(input: FlowInput): Flows {
  const load = Math.round(input.homeW + input.evW);
  const solar = Math.round(input.solarW);
  const b = input.battery;
  if (!input.gridUp) return offGridFlows(solar, load, b, input.dtMs);
  if (!b) return { solar, battery: 0, grid: load - solar, load };

  const plan = behaviour(input);
  const surplus = solar - load;
  let battery = 0;
  if (surplus > 0) battery = -Math.min(surplus, chargeRoomW(b, input.dtMs, 100));
  else if (plan.dischargeForLoad) battery = Math.min(-surplus, dischargeRoomW(b, input.dtMs, input.reservePercent));
  if (plan.dischargeForExport) battery = Math.max(battery, dischargeRoomW(b, input.dtMs, input.reservePercent));
  if (plan.gridChargeTo !== null && b.energyWh < (b.capacityWh * plan.gridChargeTo) / 100) {
    battery = -Math.max(Math.max(0, -battery), chargeRoomW(b, input.dtMs, plan.gridChargeTo));
  }
  // `+ 0` turns a rounded −0 into 0.
  battery = Math.round(battery) + 0;

  let solarUsed = solar;
  const export_ = -(load - solarUsed - battery);
  if (export_ > 0 && input.exportRule === 'never') {
    // No export allowed: the inverters throttle the panels to what the house and battery take.
    solarUsed = Math.max(0, solarUsed - export_);
  }
  return { solar: solarUsed, battery, grid: load - solarUsed - battery, load };
}

/** Islanded: the battery balances the home; surplus solar is throttled, unmet load is shed. */
function offGridFlows(solar: number, load: number, b: BatteryFacts | null, dtMs: number): Flows {
  if (!b) return { solar: 0, battery: 0, grid: 0, load: 0 };
  if (solar >= load) {
    const charge = Math.round(Math.min(solar - load, chargeRoomW(b, dtMs, 100)));
    return { solar: load + charge, battery: -charge + 0, grid: 0, load };
  }
  const discharge = Math.round(Math.min(load - solar, dischargeRoomW(b, dtMs, 0)));
  return { solar, battery: discharge, grid: 0, load: solar + discharge };
}

/** Energy change of the battery over `dtMs` at `batteryW` (AC side), Wh. */
export function batteryEnergyDeltaWh(batteryW: number, dtMs: number): number {
  const wh = (batteryW * dtMs) / 3_600_000;
  return batteryW < 0 ? -wh * BATTERY_EFFICIENCY : -wh / BATTERY_EFFICIENCY;
}
