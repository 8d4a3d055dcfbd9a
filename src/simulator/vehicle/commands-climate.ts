import { type CommandHandler, ok, refuse } from './command-types.js';
import type { KeeperMode } from './state.js';

const KEEPER_MODES: readonly KeeperMode[] = ['off', 'keep', 'dog', 'camp'];
const COP_TEMPS = ['Low', 'Medium', 'High', 'High'] as const;
const clampTemp = (c: number): number => Math.min(28, Math.max(15, Math.round(c * 2) / 2));

export const CLIMATE_COMMANDS: Record<string, CommandHandler> = {
  auto_conditioning_start: (v) => {
    v.state.climateOn = true;
    return ok();
  },
  auto_conditioning_stop: (v) => {
    const s = v.state;
    s.climateOn = false;
    s.keeper = 'off';
    s.defrost = false;
    s.bioweapon = false;
    return ok();
  },
  set_temps: (v, p) => {
    const s = v.state;
    s.driverTemp = clampTemp(p.number('driver_temp', { min: -50, max: 100 }));
    s.passengerTemp = clampTemp(p.optionalNumber('passenger_temp', { min: -50, max: 100 }) ?? s.driverTemp);
    return ok();
  },
  set_preconditioning_max: (v, p) => {
    const on = p.boolean('on');
    v.state.defrost = on;
    if (on) v.state.climateOn = true;
    return ok();
  },
  set_climate_keeper_mode: (v, p) => {
    const mode = KEEPER_MODES[Math.round(p.number('climate_keeper_mode', { min: 0, max: 3 }))] ?? 'off';
    v.state.keeper = mode;
    if (mode !== 'off') v.state.climateOn = true;
    return ok();
  },
  set_cabin_overheat_protection: (v, p) => {
    const on = p.boolean('on');
    v.state.cop = !on ? 'Off' : p.optionalBoolean('fan_only') ? 'FanOnly' : 'On';
    return ok();
  },
  set_cop_temp: (v, p) => {
    v.state.copTemp = COP_TEMPS[Math.round(p.number('cop_temp', { min: 0, max: 3 }))] ?? 'High';
    return ok();
  },
  remote_seat_heater_request: (v, p) => {
    const seat = Math.round(p.has('seat_position') ? p.number('seat_position', { min: 0, max: 8 }) : p.number('heater', { min: 0, max: 8 }));
    const level = Math.round(p.number('level', { min: 0, max: 3 }));
    if (seat >= 7 && v.spec.thirdRowSeats === 'None') return refuse('seat not present');
    v.state.seatHeaters[seat] = level;
    return ok();
  },
  remote_seat_cooler_request: (v, p) => {
    if (!hasSeatCooling(v.model)) return refuse('not supported');
    const seat = Math.round(p.number('seat_position', { min: 1, max: 2 }));
    v.state.seatCoolers[seat - 1] = Math.round(p.number('seat_cooler_level', { min: 0, max: 3 }));
    return ok();
  },
  remote_auto_seat_climate_request: (v, p) => {
    // Tesla numbers these 1 (front left) and 2 (front right); 0 is taken as the driver too.
    const position = Math.round(p.number('auto_seat_position', { min: 0, max: 2 }));
    v.state.autoSeat[position === 2 ? 1 : 0] = p.boolean('auto_climate_on');
    return ok();
  },
  remote_steering_wheel_heat_level_request: (v, p) => {
    v.state.steeringWheelLevel = Math.round(p.number('level', { min: 0, max: 3 }));
    return ok();
  },
  remote_steering_wheel_heater_request: (v, p) => {
    v.state.steeringWheelLevel = p.boolean('on') ? 2 : 0;
    return ok();
  },
  remote_auto_steering_wheel_heat_climate_request: (v, p) => {
    v.state.autoSteeringWheel = p.boolean('on');
    return ok();
  },
  set_bioweapon_mode: (v, p) => {
    const on = p.boolean('on');
    v.state.bioweapon = on;
    if (on) v.state.climateOn = true;
    return ok();
  },
};

export function hasSeatCooling(model: string): boolean {
  return model === 'S' || model === 'X';
}
