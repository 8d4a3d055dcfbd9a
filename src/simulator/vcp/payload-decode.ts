import { ProtoMessage } from '../../signing/protobuf.js';

/**
 * What a verified payload asks the simulated car to do, as the REST command the car already
 * knows how to carry out (vehicle/commands*.ts). The inverse of signing/payloads/translate.ts,
 * written from the field numbers of vehicle-command-protocol.md §9. Malformed bytes throw
 * ProtobufError (the car answers DECODING); a message it does not know is `unknown`.
 */
export type DecodedAction =
  | { kind: 'commands'; commands: { name: string; body: Record<string, unknown> }[] }
  /** Understood, nothing to change (ping, a data request, a wake of an awake car). */
  | { kind: 'noop' }
  | { kind: 'unknown'; detail: string };

const one = (name: string, body: Record<string, unknown> = {}): DecodedAction => ({ kind: 'commands', commands: [{ name, body }] });
const unknown = (detail: string): DecodedAction => ({ kind: 'unknown', detail });

const SIMPLE: Record<number, string> = {
  15: 'media_toggle_playback',
  17: 'media_next_fav',
  18: 'media_prev_fav',
  19: 'media_next_track',
  20: 'media_prev_track',
  25: 'cancel_software_update',
  26: 'flash_lights',
  27: 'honk_horn',
  61: 'charge_port_door_close',
  62: 'charge_port_door_open',
};

const CHARGING: Record<number, string> = { 2: 'charge_start', 3: 'charge_standard', 4: 'charge_max_range', 5: 'charge_stop' };

/** CarServer.Action → the REST command(s). */
export function decodeInfotainmentAction(bytes: Uint8Array): DecodedAction {
  const vehicleAction = ProtoMessage.parse(bytes).message(2);
  if (!vehicleAction) return unknown('the Action has no vehicleAction');
  const member = vehicleAction.fields.at(-1)?.field;
  if (member === undefined) return unknown('the vehicleAction is empty');
  const m = vehicleAction.message(member) ?? ProtoMessage.parse(new Uint8Array(0));
  const simple = SIMPLE[member];
  if (simple) return one(simple);
  switch (member) {
    case 1:
    case 46:
      return { kind: 'noop' };
    case 5:
      return one('set_charge_limit', { percent: m.int32(1) });
    case 6: {
      const name = CHARGING[m.oneof([1, 2, 3, 4, 5]) ?? 0];
      return name ? one(name) : unknown('chargingStartStopAction without a known action');
    }
    case 10:
      return one(m.bool(1) ? 'auto_conditioning_start' : 'auto_conditioning_stop');
    case 12:
      return one('set_preconditioning_max', { on: m.bool(1), manual_override: m.bool(2) });
    case 13:
      return one('remote_steering_wheel_heater_request', { on: m.bool(1) });
    case 14:
      if (!m.has(6)) return unknown('hvacTemperatureAdjustmentAction without driver_temp_celsius');
      return one('set_temps', { driver_temp: m.float(6), passenger_temp: m.has(7) ? m.float(7) : m.float(6) });
    case 16:
      switch (m.oneof([1, 3])) {
        case 1: {
          const delta = m.sint32(1);
          return delta === 0 ? { kind: 'noop' } : one(delta > 0 ? 'media_volume_up' : 'media_volume_down');
        }
        case 3:
          return one('adjust_volume', { volume: m.float(3) });
        default:
          return unknown('mediaUpdateVolume without a volume');
      }
    case 29:
      return one('schedule_software_update', { offset_sec: m.int32(1) });
    case 30:
      return one('set_sentry_mode', { on: m.bool(1) });
    case 33: {
      const location = m.message(1);
      return location ? one('trigger_homelink', { lat: location.float(1), lon: location.float(2) }) : unknown('homelink without a location');
    }
    case 34: {
      const action = m.oneof([2, 3, 4]);
      return action === 3 ? one('window_control', { command: 'vent' }) : action === 4 ? one('window_control', { command: 'close' }) : unknown('window action unknown');
    }
    case 36:
      return seatHeaters(m);
    case 41:
      return one('set_scheduled_charging', { enable: m.bool(1), time: m.int32(2) });
    case 42: {
      const preconditioning = m.message(3);
      const offPeak = m.message(4);
      return one('set_scheduled_departure', {
        enable: m.bool(1),
        departure_time: m.int32(2),
        preconditioning_enabled: preconditioning !== undefined,
        preconditioning_weekdays_only: preconditioning?.oneof([1, 2]) === 2,
        off_peak_charging_enabled: offPeak !== undefined,
        off_peak_charging_weekdays_only: offPeak?.oneof([1, 2]) === 2,
        end_off_peak_time: m.int32(5),
      });
    }
    case 43:
      return one('set_charging_amps', { charging_amps: m.int32(1) });
    case 44:
      return one('set_climate_keeper_mode', { climate_keeper_mode: m.enum(1), manual_override: m.bool(2) });
    case 48: {
      const seats = m.messages(1);
      if (seats.length === 0) return unknown('autoSeatClimateAction without seats');
      return { kind: 'commands', commands: seats.map((seat) => ({ name: 'remote_auto_seat_climate_request', body: { auto_seat_position: seat.enum(2), auto_climate_on: seat.bool(1) } })) };
    }
    case 49: {
      const seats = m.messages(1);
      if (seats.length === 0) return unknown('hvacSeatCoolerActions without seats');
      return { kind: 'commands', commands: seats.map((seat) => ({ name: 'remote_seat_cooler_request', body: { seat_position: seat.enum(2), seat_cooler_level: seat.enum(1) } })) };
    }
    case 50:
      return one('set_cabin_overheat_protection', { on: m.bool(1), fan_only: m.bool(2) });
    case 66: {
      const level = m.enum(1);
      return level >= 1 && level <= 3 ? one('set_cop_temp', { cop_temp: level - 1 }) : unknown(`copActivationTemp ${level}`);
    }
    default:
      return unknown(`vehicleAction ${member} is not simulated`);
  }
}

function seatHeaters(m: ProtoMessage): DecodedAction {
  const actions = m.messages(1);
  if (actions.length === 0) return unknown('hvacSeatHeaterActions without actions');
  const commands: { name: string; body: Record<string, unknown> }[] = [];
  for (const action of actions) {
    const level = action.oneof([1, 2, 3, 4, 5]);
    const seat = action.oneof([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    if (level === undefined || level === 1 || seat === undefined || seat === 6) return unknown('a seat heater action without a known seat and level');
    commands.push({ name: 'remote_seat_heater_request', body: { seat_position: seat - 7, level: level - 2 } });
  }
  return { kind: 'commands', commands };
}

const CLOSURE_MOVE = 1;
const CLOSURE_OPEN = 3;
const CLOSURE_CLOSE = 4;

/** VCSEC.UnsignedMessage → the REST command. */
export function decodeVcsecMessage(bytes: Uint8Array): DecodedAction {
  const m = ProtoMessage.parse(bytes);
  switch (m.oneof([1, 2, 4, 16])) {
    case 1:
      return { kind: 'noop' };
    case 2:
      switch (m.enum(2)) {
        case 0:
          return one('door_unlock');
        case 1:
          return one('door_lock');
        case 20:
          return one('remote_start_drive');
        case 30:
          return { kind: 'noop' };
        default:
          return unknown(`RKE action ${m.enum(2)} is not simulated`);
      }
    case 4: {
      const closures = m.message(4) ?? ProtoMessage.parse(new Uint8Array(0));
      if (closures.enum(5) === CLOSURE_MOVE) return one('actuate_trunk', { which_trunk: 'rear' });
      if (closures.enum(6) === CLOSURE_MOVE || closures.enum(6) === CLOSURE_OPEN) return one('actuate_trunk', { which_trunk: 'front' });
      if (closures.enum(7) === CLOSURE_OPEN) return one('charge_port_door_open');
      if (closures.enum(7) === CLOSURE_CLOSE) return one('charge_port_door_close');
      return unknown('this closure move is not simulated');
    }
    case 16:
      return unknown('keychain changes are not accepted over the Fleet API');
    default:
      return unknown('the VCSEC message is empty');
  }
}
