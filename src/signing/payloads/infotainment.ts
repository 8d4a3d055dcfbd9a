import type { MessageInitShape } from '@bufbuild/protobuf';
import { ActionSchema, type VehicleActionSchema } from '../../gen/vcp/car_server_pb.js';
import type { ClimateState_CopActivationTemp } from '../../gen/vcp/vehicle_pb.js';
import { encode } from '../wire.js';

/**
 * CarServer.Action payloads for the Infotainment domain. Every builder returns the whole
 * `Action { vehicleAction { <member> } }`, encoded through the generated schema: plain scalars at
 * their default are left out, oneof members and empty messages are always written.
 */

type VehicleActionMsg = NonNullable<MessageInitShape<typeof VehicleActionSchema>['vehicleActionMsg']>;
type Case<K extends VehicleActionMsg['case']> = Extract<VehicleActionMsg, { case: K }>['value'];

/** VehicleAction members whose message has no fields: the member itself is the command. */
export type EmptyAction =
  | 'mediaPlayAction'
  | 'mediaNextFavorite'
  | 'mediaPreviousFavorite'
  | 'mediaNextTrack'
  | 'mediaPreviousTrack'
  | 'vehicleControlCancelSoftwareUpdateAction'
  | 'vehicleControlFlashLightsAction'
  | 'vehicleControlHonkHornAction'
  | 'chargePortDoorClose'
  | 'chargePortDoorOpen';

export type ChargingAction = NonNullable<NonNullable<Case<'chargingStartStopAction'>>['chargingAction']>['case'] & string;
export type WindowAction = 'vent' | 'close';
/** PreconditioningTimes / OffPeakChargingTimes. */
export type WeekPolicy = 'allWeek' | 'weekdays';

/** REST seat numbers 0–8, in order, as HvacSeatHeaterAction seat members. */
export const HEATER_SEATS = [
  'CARSEATFRONTLEFT',
  'CARSEATFRONTRIGHT',
  'CARSEATREARLEFT',
  'CARSEATREARLEFTBACK',
  'CARSEATREARCENTER',
  'CARSEATREARRIGHT',
  'CARSEATREARRIGHTBACK',
  'CARSEATTHIRDROWLEFT',
  'CARSEATTHIRDROWRIGHT',
] as const;
/** REST heater levels 0–3, in order, as HvacSeatHeaterAction level members. */
export const HEATER_LEVELS = ['SEATHEATEROFF', 'SEATHEATERLOW', 'SEATHEATERMED', 'SEATHEATERHIGH'] as const;

const VOID = {};

function action(vehicleActionMsg: VehicleActionMsg): Uint8Array {
  return encode(ActionSchema, { actionMsg: { case: 'vehicleAction', value: { vehicleActionMsg } } });
}

export interface ScheduledDepartureInput {
  enabled: boolean;
  departureMinutes: number;
  preconditioning?: WeekPolicy;
  offPeak?: WeekPolicy;
  offPeakEndMinutes: number;
}

export const infotainment = {
  empty: (member: EmptyAction): Uint8Array => action({ case: member, value: VOID } as VehicleActionMsg),
  chargingStartStop: (member: ChargingAction): Uint8Array =>
    action({ case: 'chargingStartStopAction', value: { chargingAction: { case: member, value: VOID } } }),
  chargingSetLimit: (percent: number): Uint8Array => action({ case: 'chargingSetLimitAction', value: { percent } }),
  setChargingAmps: (amps: number): Uint8Array => action({ case: 'setChargingAmpsAction', value: { chargingAmps: amps } }),
  scheduledCharging: (enabled: boolean, minutes: number): Uint8Array => action({ case: 'scheduledChargingAction', value: { enabled, chargingTime: minutes } }),
  scheduledDeparture: (input: ScheduledDepartureInput): Uint8Array =>
    action({
      case: 'scheduledDepartureAction',
      value: {
        enabled: input.enabled,
        departureTime: input.departureMinutes,
        ...(input.preconditioning ? { preconditioningTimes: { times: { case: input.preconditioning, value: VOID } } } : {}),
        ...(input.offPeak ? { offPeakChargingTimes: { times: { case: input.offPeak, value: VOID } } } : {}),
        offPeakHoursEndTime: input.offPeakEndMinutes,
      },
    }),
  hvacAuto: (on: boolean, manualOverride = false): Uint8Array => action({ case: 'hvacAutoAction', value: { powerOn: on, manualOverride } }),
  /** Driver and passenger °C with level TEMP_MAX, as the Go SDK builds it. */
  temperatures: (driver: number, passenger: number): Uint8Array =>
    action({
      case: 'hvacTemperatureAdjustmentAction',
      value: { level: { type: { case: 'TEMPMAX', value: VOID } }, driverTempCelsius: driver, passengerTempCelsius: passenger },
    }),
  preconditioningMax: (on: boolean, manualOverride: boolean): Uint8Array => action({ case: 'hvacSetPreconditioningMaxAction', value: { on, manualOverride } }),
  climateKeeper: (mode: number, manualOverride: boolean): Uint8Array =>
    action({ case: 'hvacClimateKeeperAction', value: { ClimateKeeperAction: mode, manualOverride } }),
  cabinOverheatProtection: (on: boolean, fanOnly: boolean): Uint8Array => action({ case: 'setCabinOverheatProtectionAction', value: { on, fanOnly } }),
  copTemp: (level: ClimateState_CopActivationTemp): Uint8Array => action({ case: 'setCopTempAction', value: { copActivationTemp: level } }),
  /** seat 0–8 and level 0–3 in REST numbering (HEATER_SEATS, HEATER_LEVELS). */
  seatHeater: (seat: number, level: number): Uint8Array => {
    const seatMember = HEATER_SEATS[seat];
    const levelMember = HEATER_LEVELS[level];
    if (seatMember === undefined || levelMember === undefined) throw new RangeError(`seat ${seat} level ${level} is not a seat heater setting`);
    return action({
      case: 'hvacSeatHeaterActions',
      value: { hvacSeatHeaterAction: [{ seatHeaterLevel: { case: levelMember, value: VOID }, seatPosition: { case: seatMember, value: VOID } }] },
    });
  },
  seatCooler: (position: number, level: number): Uint8Array =>
    action({ case: 'hvacSeatCoolerActions', value: { hvacSeatCoolerAction: [{ seatCoolerLevel: level, seatPosition: position }] } }),
  autoSeatClimate: (position: number, on: boolean): Uint8Array =>
    action({ case: 'autoSeatClimateAction', value: { carseat: [{ on, seatPosition: position }] } }),
  steeringWheelHeater: (on: boolean): Uint8Array => action({ case: 'hvacSteeringWheelHeaterAction', value: { powerOn: on } }),
  sentryMode: (on: boolean): Uint8Array => action({ case: 'vehicleControlSetSentryModeAction', value: { on } }),
  homelink: (lat: number, lon: number): Uint8Array =>
    action({ case: 'vehicleControlTriggerHomelinkAction', value: { location: { latitude: lat, longitude: lon } } }),
  window: (member: WindowAction): Uint8Array => action({ case: 'vehicleControlWindowAction', value: { action: { case: member, value: VOID } } }),
  /** volume_delta is a oneof member: only its sign matters. */
  volumeDelta: (delta: 1 | -1): Uint8Array => action({ case: 'mediaUpdateVolume', value: { mediaVolume: { case: 'volumeDelta', value: delta } } }),
  volumeAbsolute: (volume: number): Uint8Array => action({ case: 'mediaUpdateVolume', value: { mediaVolume: { case: 'volumeAbsoluteFloat', value: volume } } }),
  scheduleSoftwareUpdate: (offsetS: number): Uint8Array => action({ case: 'vehicleControlScheduleSoftwareUpdateAction', value: { offsetSec: offsetS } }),
  ping: (id: number): Uint8Array => action({ case: 'ping', value: { pingId: id } }),
};
