import { acAmps, chargeEfficiency, maxRequestAmps } from './physics.js';
import type { Vehicle } from './vehicle.js';

/** charge_state and climate_state of vehicle_data, in the API's units (miles, mph, kW, kWh, °C). */

const round = (value: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

const CABLE_BY_REGION = { na: 'SAE', eu: 'IEC', cn: 'GB_AC' } as const;

export function chargeState(v: Vehicle, now: number): Record<string, unknown> {
  const s = v.state;
  const plug = s.plug;
  const level = v.levelPercent;
  const ratedWhPerMile = (v.capacityKwh * 1000) / v.spec.ratedRangeMiles;
  const kw = v.chargePowerKw;
  const charging = s.chargingState === 'Charging';
  const intoBatteryKw = kw * chargeEfficiency(plug, kw, s.outsideTemp);
  const remainingKwh = Math.max(0, (v.capacityKwh * s.chargeLimit) / 100 - s.energyKwh);
  const minutesToFull = charging && intoBatteryKw > 0 ? Math.round((remainingKwh / intoBatteryKw) * 60) : 0;
  const dc = plug?.kind === 'dc';
  const amps = charging && plug ? (dc ? Math.round((kw * 1000) / 400) : acAmps(s, plug, v.spec)) : 0;
  const milesAdded = round((s.chargeEnergyAdded * 1000) / ratedWhPerMile, 1);
  const departure = s.scheduledDeparture;
  return {
    battery_heater_on: false,
    battery_level: Math.round(level),
    battery_range: round((level / 100) * v.spec.ratedRangeMiles, 2),
    charge_amps: s.chargeAmps,
    charge_current_request: s.chargeAmps,
    charge_current_request_max: maxRequestAmps(plug, v.spec),
    charge_enable_request: s.userChargeEnable ?? true,
    charge_energy_added: round(s.chargeEnergyAdded, 2),
    charge_limit_soc: s.chargeLimit,
    charge_limit_soc_max: 100,
    charge_limit_soc_min: 50,
    charge_limit_soc_std: 90,
    charge_miles_added_ideal: milesAdded,
    charge_miles_added_rated: milesAdded,
    charge_port_cold_weather_mode: false,
    charge_port_color: !plug ? 'Off' : charging ? 'Green' : 'Blue',
    charge_port_door_open: s.chargePortDoorOpen,
    charge_port_latch: plug ? (s.latchEngaged ? 'Engaged' : 'Disengaged') : '<invalid>',
    charge_rate: round((intoBatteryKw * 1000) / ratedWhPerMile, 1),
    charger_actual_current: amps,
    charger_phases: charging && plug && !dc ? plug.phases : null,
    charger_pilot_current: plug && !dc ? plug.maxAmps : 0,
    charger_power: Math.round(kw),
    charger_voltage: charging && plug ? (dc ? 400 : plug.voltage) : 0,
    charging_state: s.chargingState,
    conn_charge_cable: plug ? CABLE_BY_REGION[v.region] : '<invalid>',
    energy_remaining: round(s.energyKwh, 2),
    est_battery_range: round((s.energyKwh * 1000) / v.whPerMile, 2),
    fast_charger_brand: dc ? 'Tesla' : '<invalid>',
    fast_charger_present: dc,
    fast_charger_type: dc ? 'Supercharger' : plug ? 'ACSingleWireCAN' : '<invalid>',
    ideal_battery_range: round((level / 100) * v.spec.ratedRangeMiles, 2),
    max_range_charge_counter: 0,
    minutes_to_full_charge: minutesToFull,
    module_temp_max: round(s.outsideTemp + 8, 1),
    module_temp_min: round(s.outsideTemp + 5, 1),
    not_enough_power_to_heat: null,
    off_peak_charging_enabled: departure.offPeak,
    off_peak_charging_times: departure.offPeakWeekdaysOnly ? 'weekdays' : 'all_week',
    off_peak_hours_end_time: departure.endOffPeakMinutes,
    preconditioning_enabled: departure.preconditioning,
    preconditioning_times: departure.preconditioningWeekdaysOnly ? 'weekdays' : 'all_week',
    scheduled_charging_mode: s.scheduledCharging.enabled ? 'StartAt' : departure.enabled ? 'DepartBy' : 'Off',
    scheduled_charging_pending: s.scheduledPendingUntil !== null,
    scheduled_charging_start_time: s.scheduledPendingUntil === null ? null : Math.floor(s.scheduledPendingUntil / 1000),
    scheduled_charging_start_time_app: s.scheduledCharging.minutes,
    scheduled_departure_time_minutes: departure.minutes,
    supercharger_session_trip_planner: false,
    time_to_full_charge: round(minutesToFull / 60, 2),
    timestamp: now,
    trip_charging: false,
    usable_battery_level: Math.max(0, Math.round(level) - (s.outsideTemp < 0 ? 2 : 0)),
    user_charge_enable_request: s.userChargeEnable,
  };
}

export function climateState(v: Vehicle, now: number): Record<string, unknown> {
  const s = v.state;
  const present = s.userPresentUntil !== null && now < s.userPresentUntil;
  const seats: Record<string, number> = {
    seat_heater_left: s.seatHeaters[0] ?? 0,
    seat_heater_right: s.seatHeaters[1] ?? 0,
    seat_heater_rear_left: s.seatHeaters[2] ?? 0,
    seat_heater_rear_center: s.seatHeaters[4] ?? 0,
    seat_heater_rear_right: s.seatHeaters[5] ?? 0,
  };
  if (v.spec.thirdRowSeats !== 'None') {
    seats.seat_heater_third_row_left = s.seatHeaters[7] ?? 0;
    seats.seat_heater_third_row_right = s.seatHeaters[8] ?? 0;
  }
  if (v.model === 'S' || v.model === 'X') {
    seats.seat_fan_front_left = s.seatCoolers[0];
    seats.seat_fan_front_right = s.seatCoolers[1];
  }
  return {
    allow_cabin_overheat_protection: true,
    auto_seat_climate_left: s.autoSeat[0],
    auto_seat_climate_right: s.autoSeat[1],
    auto_steering_wheel_heat: s.autoSteeringWheel,
    battery_heater: false,
    battery_heater_no_power: null,
    bioweapon_mode: s.bioweapon,
    cabin_overheat_protection: s.cop,
    cabin_overheat_protection_actively_cooling: s.copCooling,
    climate_keeper_mode: s.keeper,
    cop_activation_temperature: s.copTemp,
    defrost_mode: s.defrost ? 2 : 0,
    driver_temp_setting: s.driverTemp,
    fan_status: s.climateOn ? 4 : s.copCooling ? 2 : 0,
    hvac_auto_request: 'On',
    inside_temp: round(s.insideTemp, 1),
    is_auto_conditioning_on: s.climateOn,
    is_climate_on: s.climateOn,
    is_front_defroster_on: s.defrost,
    is_preconditioning: s.climateOn && !present,
    is_rear_defroster_on: s.defrost,
    left_temp_direction: 0,
    max_avail_temp: 28,
    min_avail_temp: 15,
    outside_temp: Math.round(s.outsideTemp * 2) / 2,
    passenger_temp_setting: s.passengerTemp,
    remote_heater_control_enabled: s.climateOn,
    right_temp_direction: 0,
    ...seats,
    side_mirror_heaters: false,
    steering_wheel_heat_level: s.steeringWheelLevel,
    steering_wheel_heater: s.steeringWheelLevel > 0,
    supports_fan_only_cabin_overheat_protection: true,
    timestamp: now,
    wiper_blade_heater: false,
  };
}
