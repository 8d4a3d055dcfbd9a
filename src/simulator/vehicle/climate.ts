import { approach, cabinSunGain, COP_THRESHOLD_C, outsideTemperature } from './physics.js';
import type { Vehicle } from './vehicle.js';

const TAU_CLIMATE_MS = 8 * 60_000;
const TAU_COP_MS = 20 * 60_000;
const TAU_PASSIVE_MS = 60 * 60_000;

/** The cabin drifts towards the climate setpoint, the overheat-protection ceiling, or the sun-warmed outside air. */
export function climateStep(v: Vehicle, hour: number, dtMs: number): void {
  const s = v.state;
  s.outsideTemp = outsideTemperature(s.outsideMean, hour);
  const parked = s.trip === null;
  const passive = s.outsideTemp + (parked ? cabinSunGain(hour) : 0);
  const ceiling = COP_THRESHOLD_C[s.copTemp];
  if (!s.climateOn && s.cop !== 'Off' && parked) {
    if (s.insideTemp > ceiling) s.copCooling = true;
    else if (s.insideTemp < ceiling - 1) s.copCooling = false;
  } else {
    s.copCooling = false;
  }
  let target = passive;
  let tau = TAU_PASSIVE_MS;
  if (s.climateOn) {
    target = s.defrost ? 28 : s.driverTemp;
    tau = TAU_CLIMATE_MS;
  } else if (s.copCooling) {
    // Fan-only can only push the cabin towards the outside air.
    target = s.cop === 'FanOnly' ? Math.max(s.outsideTemp, ceiling - 2) : ceiling - 2;
    tau = TAU_COP_MS;
  }
  s.insideTemp = approach(s.insideTemp, target, dtMs, tau);
}
