import { ActionSchema, type HvacSeatHeaterActions, type VehicleAction } from '../../gen/vcp/car_server_pb.js';
import { ClosureMoveType_E, RKEAction_E, UnsignedMessageSchema } from '../../gen/vcp/vcsec_pb.js';
import { HEATER_LEVELS, HEATER_SEATS } from '../../signing/payloads/infotainment.js';
import { decode } from '../../signing/wire.js';

/**
 * What a verified payload asks the simulated car to do, as the REST command the car already
 * knows how to carry out (vehicle/commands*.ts). Decoded with the same generated schemas the
 * signer encodes with. Malformed bytes throw ProtobufError (the car answers DECODING); a message
 * it does not know is `unknown`.
 */
export type DecodedAction =
  | { kind: 'commands'; commands: { name: string; body: Record<string, unknown> }[] }
  /** Understood, nothing to change (ping, a data request, a wake of an awake car). */
  | { kind: 'noop' }
  | { kind: 'unknown'; detail: string };

const one = (name: string, body: Record<string, unknown> = {}): DecodedAction => ({ kind: 'commands', commands: [{ name, body }] });
const unknown = (detail: string): DecodedAction => ({ kind: 'unknown', detail });
const NOOP: DecodedAction = { kind: 'noop' };

type Msg = VehicleAction['vehicleActionMsg'];
type Member = NonNullable<Msg['case']>;

const SIMPLE: ReadonlyMap<Member, string> = new Map<Member, string>([
  ['mediaPlayAction', 'media_toggle_playback'],
  ['mediaNextFavorite', 'media_next_fav'],
  ['mediaPreviousFavorite', 'media_prev_fav'],
  ['mediaNextTrack', 'media_next_track'],
  ['mediaPreviousTrack', 'media_prev_track'],
  ['vehicleControlCancelSoftwareUpdateAction', 'cancel_software_update'],
  ['vehicleControlFlashLightsAction', 'flash_lights'],
  ['vehicleControlHonkHornAction', 'honk_horn'],
  ['chargePortDoorClose', 'charge_port_door_close'],
  ['chargePortDoorOpen', 'charge_port_door_open'],
]);

const CHARGING: ReadonlyMap<string, string> = new Map([
  ['start', 'charge_start'],
  ['startStandard', 'charge_standard'],
  ['startMaxRange', 'charge_max_range'],
  ['stop', 'charge_stop'],
]);

/** CarServer.Action → the REST command(s). */
export function decodeInfotainmentAction(bytes: Uint8Array): DecodedAction {
  const action = decode(ActionSchema, bytes).actionMsg;
  if (action.case !== 'vehicleAction') return unknown('the Action has no vehicleAction');
  const msg = action.value.vehicleActionMsg;
  if (msg.case === undefined) return unknown('the vehicleAction is empty or its member is not simulated');
  const simple = SIMPLE.get(msg.case);
  if (simple) return one(simple);
  return climate(msg) ?? charging(msg) ?? other(msg);
}

function climate(msg: Msg): DecodedAction | undefined {
  switch (msg.case) {
    case 'hvacAutoAction':
      return one(msg.value.powerOn ? 'auto_conditioning_start' : 'auto_conditioning_stop');
    case 'hvacSetPreconditioningMaxAction':
      return one('set_preconditioning_max', { on: msg.value.on, manual_override: msg.value.manualOverride });
    case 'hvacSteeringWheelHeaterAction':
      return one('remote_steering_wheel_heater_request', { on: msg.value.powerOn });
    case 'hvacTemperatureAdjustmentAction': {
      const { driverTempCelsius: driver, passengerTempCelsius: passenger } = msg.value;
      // proto3 cannot tell 0 °C from "not set"; a car takes neither.
      if (driver === 0) return unknown('hvacTemperatureAdjustmentAction without driver_temp_celsius');
      return one('set_temps', { driver_temp: driver, passenger_temp: passenger !== 0 ? passenger : driver });
    }
    case 'hvacSeatHeaterActions':
      return seatHeaters(msg.value);
    case 'hvacClimateKeeperAction':
      return one('set_climate_keeper_mode', { climate_keeper_mode: msg.value.ClimateKeeperAction, manual_override: msg.value.manualOverride });
    case 'autoSeatClimateAction': {
      const seats = msg.value.carseat;
      if (seats.length === 0) return unknown('autoSeatClimateAction without seats');
      return {
        kind: 'commands',
        commands: seats.map((seat) => ({
          name: 'remote_auto_seat_climate_request',
          body: { auto_seat_position: seat.seatPosition, auto_climate_on: seat.on },
        })),
      };
    }
    case 'hvacSeatCoolerActions': {
      const seats = msg.value.hvacSeatCoolerAction;
      if (seats.length === 0) return unknown('hvacSeatCoolerActions without seats');
      return {
        kind: 'commands',
        commands: seats.map((seat) => ({
          name: 'remote_seat_cooler_request',
          body: { seat_position: seat.seatPosition, seat_cooler_level: seat.seatCoolerLevel },
        })),
      };
    }
    case 'setCabinOverheatProtectionAction':
      return one('set_cabin_overheat_protection', { on: msg.value.on, fan_only: msg.value.fanOnly });
    case 'setCopTempAction': {
      const level = msg.value.copActivationTemp;
      return level >= 1 && level <= 3 ? one('set_cop_temp', { cop_temp: level - 1 }) : unknown(`copActivationTemp ${level}`);
    }
    default:
      return undefined;
  }
}

function charging(msg: Msg): DecodedAction | undefined {
  switch (msg.case) {
    case 'chargingSetLimitAction':
      return one('set_charge_limit', { percent: msg.value.percent });
    case 'chargingStartStopAction': {
      const name = CHARGING.get(msg.value.chargingAction.case ?? '');
      return name ? one(name) : unknown('chargingStartStopAction without a known action');
    }
    case 'setChargingAmpsAction':
      return one('set_charging_amps', { charging_amps: msg.value.chargingAmps });
    case 'scheduledChargingAction':
      return one('set_scheduled_charging', { enable: msg.value.enabled, time: msg.value.chargingTime });
    case 'scheduledDepartureAction': {
      const { preconditioningTimes: preconditioning, offPeakChargingTimes: offPeak } = msg.value;
      return one('set_scheduled_departure', {
        enable: msg.value.enabled,
        departure_time: msg.value.departureTime,
        preconditioning_enabled: preconditioning !== undefined,
        preconditioning_weekdays_only: preconditioning?.times.case === 'weekdays',
        off_peak_charging_enabled: offPeak !== undefined,
        off_peak_charging_weekdays_only: offPeak?.times.case === 'weekdays',
        end_off_peak_time: msg.value.offPeakHoursEndTime,
      });
    }
    default:
      return undefined;
  }
}

function other(msg: Msg): DecodedAction {
  switch (msg.case) {
    case 'getVehicleData':
    case 'ping':
      return NOOP;
    case 'mediaUpdateVolume': {
      const volume = msg.value.mediaVolume;
      if (volume.case === 'volumeDelta') return volume.value === 0 ? NOOP : one(volume.value > 0 ? 'media_volume_up' : 'media_volume_down');
      if (volume.case === 'volumeAbsoluteFloat') return one('adjust_volume', { volume: volume.value });
      return unknown('mediaUpdateVolume without a volume');
    }
    case 'vehicleControlScheduleSoftwareUpdateAction':
      return one('schedule_software_update', { offset_sec: msg.value.offsetSec });
    case 'vehicleControlSetSentryModeAction':
      return one('set_sentry_mode', { on: msg.value.on });
    case 'vehicleControlTriggerHomelinkAction': {
      const location = msg.value.location;
      return location ? one('trigger_homelink', { lat: location.latitude, lon: location.longitude }) : unknown('homelink without a location');
    }
    case 'vehicleControlWindowAction': {
      const which = msg.value.action.case;
      return which === 'vent' || which === 'close' ? one('window_control', { command: which }) : unknown('window action unknown');
    }
    default:
      return unknown(`vehicleAction ${String(msg.case)} is not simulated`);
  }
}

function seatHeaters(actions: HvacSeatHeaterActions): DecodedAction {
  if (actions.hvacSeatHeaterAction.length === 0) return unknown('hvacSeatHeaterActions without actions');
  const commands: { name: string; body: Record<string, unknown> }[] = [];
  for (const action of actions.hvacSeatHeaterAction) {
    const level = (HEATER_LEVELS as readonly (string | undefined)[]).indexOf(action.seatHeaterLevel.case);
    const seat = (HEATER_SEATS as readonly (string | undefined)[]).indexOf(action.seatPosition.case);
    if (level < 0 || seat < 0) return unknown('a seat heater action without a known seat and level');
    commands.push({ name: 'remote_seat_heater_request', body: { seat_position: seat, level } });
  }
  return { kind: 'commands', commands };
}

/** VCSEC.UnsignedMessage → the REST command. */
export function decodeVcsecMessage(bytes: Uint8Array): DecodedAction {
  const message = decode(UnsignedMessageSchema, bytes).subMessage;
  switch (message.case) {
    case 'InformationRequest':
      return NOOP;
    case 'RKEAction':
      return rke(message.value);
    case 'closureMoveRequest': {
      const { rearTrunk, frontTrunk, chargePort } = message.value;
      if (rearTrunk === ClosureMoveType_E.CLOSURE_MOVE_TYPE_MOVE) return one('actuate_trunk', { which_trunk: 'rear' });
      if (frontTrunk === ClosureMoveType_E.CLOSURE_MOVE_TYPE_MOVE || frontTrunk === ClosureMoveType_E.CLOSURE_MOVE_TYPE_OPEN)
        return one('actuate_trunk', { which_trunk: 'front' });
      if (chargePort === ClosureMoveType_E.CLOSURE_MOVE_TYPE_OPEN) return one('charge_port_door_open');
      if (chargePort === ClosureMoveType_E.CLOSURE_MOVE_TYPE_CLOSE) return one('charge_port_door_close');
      return unknown('this closure move is not simulated');
    }
    case 'WhitelistOperation':
      return unknown('keychain changes are not accepted over the Fleet API');
    default:
      return unknown('the VCSEC message is empty');
  }
}

function rke(action: RKEAction_E): DecodedAction {
  switch (action) {
    case RKEAction_E.RKE_ACTION_UNLOCK:
      return one('door_unlock');
    case RKEAction_E.RKE_ACTION_LOCK:
      return one('door_lock');
    case RKEAction_E.RKE_ACTION_REMOTE_DRIVE:
      return one('remote_start_drive');
    case RKEAction_E.RKE_ACTION_WAKE_VEHICLE:
      return NOOP;
    default:
      return unknown(`RKE action ${action} is not simulated`);
  }
}
