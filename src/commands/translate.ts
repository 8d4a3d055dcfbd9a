import { infotainment, type WeekPolicy } from '../signing/payloads/infotainment.js';
import { ClosureMoveType_E, RKEAction_E, vcsec } from '../signing/payloads/vcsec.js';
import { Domain, type VcpDomain } from '../signing/vcp-enums.js';
import type { VehicleCommandName } from '../model/actions.js';
import { CommandBody } from './command-body.js';

/**
 * Every vehicle control of the daemon (actions.ts, Tesla's REST names and bodies) as the
 * protocol message a car verifies, or the reason there is none.
 * A body that does not make sense throws CommandBodyError before anything is signed or sent.
 */
export type Translation =
  | { kind: 'signed'; domain: VcpDomain; payload: Uint8Array }
  /** The protocol has no message for it and Tesla takes the REST call even from cars that need signing. */
  | { kind: 'rest_only'; why: string }
  /** No protocol message is sent for it: REST is the only way, which cars that need signing refuse. */
  | { kind: 'no_signed_form'; why: string };

type Translator = (b: CommandBody) => Translation;

const info = (payload: Uint8Array): Translation => ({ kind: 'signed', domain: Domain.INFOTAINMENT, payload });
const security = (payload: Uint8Array): Translation => ({ kind: 'signed', domain: Domain.VEHICLE_SECURITY, payload });
const minutes = { min: 0, max: 1439, integer: true };

const TRANSLATIONS: Record<VehicleCommandName, Translator> = {
  door_lock: () => security(vcsec.rke(RKEAction_E.RKE_ACTION_LOCK)),
  door_unlock: () => security(vcsec.rke(RKEAction_E.RKE_ACTION_UNLOCK)),
  remote_start_drive: () => security(vcsec.rke(RKEAction_E.RKE_ACTION_REMOTE_DRIVE)),
  actuate_trunk: (b) => {
    const which = b.has('which_trunk') ? b.oneOf('which_trunk', ['front', 'rear'] as const) : 'rear';
    return security(vcsec.closureMove(which === 'front' ? 'frontTrunk' : 'rearTrunk', ClosureMoveType_E.CLOSURE_MOVE_TYPE_MOVE));
  },
  window_control: (b) => info(infotainment.window(b.oneOf('command', ['vent', 'close'] as const))),
  sun_roof_control: () => ({
    kind: 'no_signed_form',
    why: 'teslahub does not send the protocol sunroof action (vehicleControlSunroofOpenCloseAction): only pre-2021 Model S have a sunroof, and those cars take REST commands',
  }),
  charge_port_door_open: () => info(infotainment.empty('chargePortDoorOpen')),
  charge_port_door_close: () => info(infotainment.empty('chargePortDoorClose')),
  charge_start: () => info(infotainment.chargingStartStop('start')),
  charge_stop: () => info(infotainment.chargingStartStop('stop')),
  set_charge_limit: (b) => info(infotainment.chargingSetLimit(Math.round(b.number('percent', { min: 50, max: 100 })))),
  set_charging_amps: (b) => info(infotainment.setChargingAmps(Math.round(b.number('charging_amps', { min: 0, max: 80 })))),
  set_scheduled_charging: (b) => {
    const enable = b.boolean('enable');
    return info(infotainment.scheduledCharging(enable, enable ? b.number('time', minutes) : b.optionalNumber('time', minutes, 0)));
  },
  set_scheduled_departure: (b) => {
    if (!b.boolean('enable')) return info(infotainment.scheduledDeparture({ enabled: false, departureMinutes: 0, offPeakEndMinutes: 0 }));
    const policy = (enabled: string, weekdays: string): WeekPolicy | undefined =>
      b.optionalBoolean(enabled, false) ? (b.optionalBoolean(weekdays, false) ? 'weekdays' : 'allWeek') : undefined;
    const preconditioning = policy('preconditioning_enabled', 'preconditioning_weekdays_only');
    const offPeak = policy('off_peak_charging_enabled', 'off_peak_charging_weekdays_only');
    return info(
      infotainment.scheduledDeparture({
        enabled: true,
        departureMinutes: b.optionalNumber('departure_time', minutes, 0),
        ...(preconditioning !== undefined ? { preconditioning } : {}),
        ...(offPeak !== undefined ? { offPeak } : {}),
        offPeakEndMinutes: b.optionalNumber('end_off_peak_time', minutes, 0),
      }),
    );
  },
  auto_conditioning_start: () => info(infotainment.hvacAuto(true)),
  auto_conditioning_stop: () => info(infotainment.hvacAuto(false)),
  set_temps: (b) => {
    const driver = b.number('driver_temp', { min: 10, max: 40 });
    return info(infotainment.temperatures(driver, b.optionalNumber('passenger_temp', { min: 10, max: 40 }, driver)));
  },
  set_preconditioning_max: (b) => info(infotainment.preconditioningMax(b.boolean('on'), b.optionalBoolean('manual_override', false))),
  set_climate_keeper_mode: (b) =>
    info(infotainment.climateKeeper(b.number('climate_keeper_mode', { min: 0, max: 3, integer: true }), b.optionalBoolean('manual_override', false))),
  set_cabin_overheat_protection: (b) => info(infotainment.cabinOverheatProtection(b.boolean('on'), b.optionalBoolean('fan_only', false))),
  // REST counts 0 low, 1 medium, 2 high; CopActivationTemp counts 0 unspecified, 1 low, 2 medium, 3 high.
  set_cop_temp: (b) => info(infotainment.copTemp(b.number('cop_temp', { min: 0, max: 2, integer: true }) + 1)),
  remote_seat_heater_request: (b) => {
    const seat = b.number(b.has('seat_position') ? 'seat_position' : 'heater', { min: 0, max: 8, integer: true });
    return info(infotainment.seatHeater(seat, b.number('level', { min: 0, max: 3, integer: true })));
  },
  remote_seat_cooler_request: (b) =>
    info(
      infotainment.seatCooler(b.number('seat_position', { min: 1, max: 2, integer: true }), b.number('seat_cooler_level', { min: 0, max: 4, integer: true })),
    ),
  remote_auto_seat_climate_request: (b) => {
    // 1 front left, 2 front right; 0 is taken as the driver, as the REST car does.
    const position = b.number('auto_seat_position', { min: 0, max: 2, integer: true });
    return info(infotainment.autoSeatClimate(position === 2 ? 2 : 1, b.boolean('auto_climate_on')));
  },
  remote_steering_wheel_heat_level_request: () => ({
    kind: 'no_signed_form',
    why: 'the protocol spec has no steering-wheel heat level message (only on/off, remote_steering_wheel_heater_request)',
  }),
  remote_steering_wheel_heater_request: (b) => info(infotainment.steeringWheelHeater(b.boolean('on'))),
  remote_auto_steering_wheel_heat_climate_request: () => ({
    kind: 'no_signed_form',
    why: 'the protocol spec has no message for automatic steering-wheel heat',
  }),
  set_sentry_mode: (b) => info(infotainment.sentryMode(b.boolean('on'))),
  flash_lights: () => info(infotainment.empty('vehicleControlFlashLightsAction')),
  honk_horn: () => info(infotainment.empty('vehicleControlHonkHornAction')),
  remote_boombox: () => ({ kind: 'rest_only', why: "the protocol has no boombox message (Tesla's SDK does not implement it)" }),
  trigger_homelink: (b) => info(infotainment.homelink(b.number('lat', { min: -90, max: 90 }), b.number('lon', { min: -180, max: 180 }))),
  media_toggle_playback: () => info(infotainment.empty('mediaPlayAction')),
  media_next_track: () => info(infotainment.empty('mediaNextTrack')),
  media_prev_track: () => info(infotainment.empty('mediaPreviousTrack')),
  media_next_fav: () => info(infotainment.empty('mediaNextFavorite')),
  media_prev_fav: () => info(infotainment.empty('mediaPreviousFavorite')),
  media_volume_up: () => info(infotainment.volumeDelta(1)),
  media_volume_down: () => info(infotainment.volumeDelta(-1)),
  adjust_volume: (b) => info(infotainment.volumeAbsolute(b.number('volume', { min: 0, max: 11 }))),
  navigation_request: () => ({ kind: 'rest_only', why: 'navigation is a REST-only endpoint, even for cars that need signed commands' }),
  navigation_gps_request: () => ({ kind: 'rest_only', why: 'navigation is a REST-only endpoint, even for cars that need signed commands' }),
  schedule_software_update: (b) => info(infotainment.scheduleSoftwareUpdate(b.number('offset_sec', { min: 0, max: 86_400 * 7, integer: true }))),
  cancel_software_update: () => info(infotainment.empty('vehicleControlCancelSoftwareUpdateAction')),
};

/** Throws CommandBodyError when the body does not fit the command. */
export function translateCommand(command: VehicleCommandName, body: Record<string, unknown>): Translation {
  return TRANSLATIONS[command](new CommandBody(command, body));
}
