import type { VehicleCommandName } from '../../src/model/actions.js';
import { ActionSchema } from '../../src/gen/vcp/car_server_pb.js';
import { Role } from '../../src/gen/vcp/keys_pb.js';
import { InformationRequestType, KeyFormFactor, UnsignedMessageSchema } from '../../src/gen/vcp/vcsec_pb.js';
import { infotainment } from '../../src/signing/payloads/infotainment.js';
import { translateCommand } from '../../src/commands/translate.js';
import { ClosureMoveType_E, RKEAction_E, vcsec } from '../../src/signing/payloads/vcsec.js';
import { encode } from '../../src/signing/wire.js';
import { hex, VECTORS } from './vectors.js';

/**
 * The 45 `payload_encodings` vectors, each with how we build it and, where the simulated car
 * carries it out, the REST command it means (what the simulator's decoder must return).
 */
export interface PayloadCase {
  label: string;
  hex: string;
  domain: 2 | 3;
  build: () => Uint8Array;
  /** The command the car runs for it; undefined for messages the car answers without acting. */
  rest?: { name: string; body: Record<string, unknown> };
}

function signed(command: VehicleCommandName, body: Record<string, unknown> = {}): () => Uint8Array {
  return () => {
    const translation = translateCommand(command, body);
    if (translation.kind !== 'signed') throw new Error(`${command} has no signed form`);
    return translation.payload;
  };
}

const rest = (name: string, body: Record<string, unknown> = {}): { name: string; body: Record<string, unknown> } => ({ name, body });

type Recipe = Omit<PayloadCase, 'label' | 'hex' | 'domain'>;

const RECIPES: Record<string, Recipe> = {
  charge_start: { build: signed('charge_start'), rest: rest('charge_start') },
  charge_stop: { build: signed('charge_stop'), rest: rest('charge_stop') },
  charge_max_range: { build: () => infotainment.chargingStartStop('startMaxRange'), rest: rest('charge_max_range') },
  charge_standard: { build: () => infotainment.chargingStartStop('startStandard'), rest: rest('charge_standard') },
  'set_charge_limit(80)': { build: signed('set_charge_limit', { percent: 80 }), rest: rest('set_charge_limit', { percent: 80 }) },
  'set_charging_amps(16)': { build: signed('set_charging_amps', { charging_amps: 16 }), rest: rest('set_charging_amps', { charging_amps: 16 }) },
  auto_conditioning_start: { build: signed('auto_conditioning_start'), rest: rest('auto_conditioning_start') },
  auto_conditioning_stop: { build: signed('auto_conditioning_stop'), rest: rest('auto_conditioning_stop') },
  'set_temps(21.5,21.5) [as Go SDK builds it]': {
    build: signed('set_temps', { driver_temp: 21.5, passenger_temp: 21.5 }),
    rest: rest('set_temps', { driver_temp: 21.5, passenger_temp: 21.5 }),
  },
  'remote_seat_heater_request(seat_position=0, level=3)': {
    build: signed('remote_seat_heater_request', { heater: 0, level: 3 }),
    rest: rest('remote_seat_heater_request', { seat_position: 0, level: 3 }),
  },
  'remote_seat_heater_request(seat_position=1, level=0)': {
    build: signed('remote_seat_heater_request', { seat_position: 1, level: 0 }),
    rest: rest('remote_seat_heater_request', { seat_position: 1, level: 0 }),
  },
  'remote_steering_wheel_heater_request(on=true)': {
    build: signed('remote_steering_wheel_heater_request', { on: true }),
    rest: rest('remote_steering_wheel_heater_request', { on: true }),
  },
  'remote_steering_wheel_heater_request(on=false)': {
    build: signed('remote_steering_wheel_heater_request', { on: false }),
    rest: rest('remote_steering_wheel_heater_request', { on: false }),
  },
  'set_sentry_mode(on=true)': { build: signed('set_sentry_mode', { on: true }), rest: rest('set_sentry_mode', { on: true }) },
  'set_sentry_mode(on=false)': { build: signed('set_sentry_mode', { on: false }), rest: rest('set_sentry_mode', { on: false }) },
  flash_lights: { build: signed('flash_lights'), rest: rest('flash_lights') },
  honk_horn: { build: signed('honk_horn'), rest: rest('honk_horn') },
  charge_port_door_open: { build: signed('charge_port_door_open'), rest: rest('charge_port_door_open') },
  charge_port_door_close: { build: signed('charge_port_door_close'), rest: rest('charge_port_door_close') },
  'window_control(vent)': { build: signed('window_control', { command: 'vent' }), rest: rest('window_control', { command: 'vent' }) },
  'window_control(close)': { build: signed('window_control', { command: 'close', lat: 1, lon: 2 }), rest: rest('window_control', { command: 'close' }) },
  media_toggle_playback: { build: signed('media_toggle_playback'), rest: rest('media_toggle_playback') },
  media_next_track: { build: signed('media_next_track'), rest: rest('media_next_track') },
  media_prev_track: { build: signed('media_prev_track'), rest: rest('media_prev_track') },
  media_next_fav: { build: signed('media_next_fav'), rest: rest('media_next_fav') },
  media_prev_fav: { build: signed('media_prev_fav'), rest: rest('media_prev_fav') },
  media_volume_up: { build: signed('media_volume_up'), rest: rest('media_volume_up') },
  media_volume_down: { build: signed('media_volume_down'), rest: rest('media_volume_down') },
  'adjust_volume(volume=5)': { build: signed('adjust_volume', { volume: 5 }), rest: rest('adjust_volume', { volume: 5 }) },
  'set_scheduled_charging(enable=true,time=120)': {
    build: signed('set_scheduled_charging', { enable: true, time: 120 }),
    rest: rest('set_scheduled_charging', { enable: true, time: 120 }),
  },
  'set_scheduled_charging(enable=false,time=0)': {
    build: signed('set_scheduled_charging', { enable: false }),
    rest: rest('set_scheduled_charging', { enable: false, time: 0 }),
  },
  'ping (Go SDK Ping)': { build: () => infotainment.ping(1) },
  'vehicle_data(charge_state) via protocol': {
    build: () =>
      encode(ActionSchema, { actionMsg: { case: 'vehicleAction', value: { vehicleActionMsg: { case: 'getVehicleData', value: { getChargeState: {} } } } } }),
  },
  'set_climate_keeper_mode(2=dog)': {
    build: signed('set_climate_keeper_mode', { climate_keeper_mode: 2 }),
    rest: rest('set_climate_keeper_mode', { climate_keeper_mode: 2, manual_override: false }),
  },
  'set_preconditioning_max(on=true)': {
    build: signed('set_preconditioning_max', { on: true, manual_override: false }),
    rest: rest('set_preconditioning_max', { on: true, manual_override: false }),
  },
  'door_unlock (RKE_ACTION_UNLOCK=0)': { build: signed('door_unlock'), rest: rest('door_unlock') },
  'door_lock (RKE_ACTION_LOCK=1)': { build: signed('door_lock'), rest: rest('door_lock') },
  'remote_start_drive (RKE_ACTION_REMOTE_DRIVE=20)': { build: signed('remote_start_drive'), rest: rest('remote_start_drive') },
  'wake via VCSEC (RKE_ACTION_WAKE_VEHICLE=30)': { build: () => vcsec.rke(RKEAction_E.RKE_ACTION_WAKE_VEHICLE) },
  'actuate_trunk(rear) (MOVE)': { build: signed('actuate_trunk', { which_trunk: 'rear' }), rest: rest('actuate_trunk', { which_trunk: 'rear' }) },
  'actuate_trunk(front)/frunk (MOVE)': { build: signed('actuate_trunk', { which_trunk: 'front' }), rest: rest('actuate_trunk', { which_trunk: 'front' }) },
  'close trunk (CLOSE)': { build: () => vcsec.closureMove('rearTrunk', ClosureMoveType_E.CLOSURE_MOVE_TYPE_CLOSE) },
  'list keys (GET_WHITELIST_INFO)': {
    build: () =>
      encode(UnsignedMessageSchema, {
        subMessage: { case: 'InformationRequest', value: { informationRequestType: InformationRequestType.GET_WHITELIST_INFO } },
      }),
  },
  'VCSEC status (GET_STATUS)': { build: () => encode(UnsignedMessageSchema, { subMessage: { case: 'InformationRequest', value: {} } }) },
  'add key (test client key, ROLE_OWNER, CLOUD_KEY)': {
    build: () =>
      encode(UnsignedMessageSchema, {
        subMessage: {
          case: 'WhitelistOperation',
          value: {
            subMessage: {
              case: 'addKeyToWhitelistAndAddPermissions',
              value: { key: { PublicKeyRaw: hex(VECTORS.keys.protocol_md_client.public_uncompressed) }, keyRole: Role.OWNER },
            },
            metadataForKey: { keyFormFactor: KeyFormFactor.CLOUD_KEY },
          },
        },
      }),
  },
};

export const PAYLOAD_CASES: PayloadCase[] = VECTORS.payload_encodings.cases.map((c: { command: string; hex: string; message: string }) => {
  const recipe = RECIPES[c.command];
  if (!recipe) throw new Error(`payload vector "${c.command}" has no recipe`);
  return { label: c.command, hex: c.hex, domain: c.message === 'VCSEC.UnsignedMessage' ? 2 : 3, ...recipe };
});
