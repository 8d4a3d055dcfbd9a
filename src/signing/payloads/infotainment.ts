import { ProtoWriter } from '../protobuf.js';

/**
 * CarServer.Action payloads for the Infotainment domain (vehicle-command-protocol.md §9.2). Every
 * builder returns the whole `Action { vehicleAction (2) { <member> } }`. Plain proto3 scalars at
 * their default are left out; oneof members and empty messages are always written (§9.1).
 */

/** VehicleAction member numbers (§9.2). */
export const VehicleActionField = {
  chargingSetLimit: 5,
  chargingStartStop: 6,
  hvacAuto: 10,
  hvacSetPreconditioningMax: 12,
  hvacSteeringWheelHeater: 13,
  hvacTemperatureAdjustment: 14,
  mediaPlay: 15,
  mediaUpdateVolume: 16,
  mediaNextFavorite: 17,
  mediaPreviousFavorite: 18,
  mediaNextTrack: 19,
  mediaPreviousTrack: 20,
  cancelSoftwareUpdate: 25,
  flashLights: 26,
  honkHorn: 27,
  scheduleSoftwareUpdate: 29,
  setSentryMode: 30,
  triggerHomelink: 33,
  window: 34,
  seatHeater: 36,
  scheduledCharging: 41,
  scheduledDeparture: 42,
  setChargingAmps: 43,
  climateKeeper: 44,
  ping: 46,
  autoSeatClimate: 48,
  seatCooler: 49,
  cabinOverheatProtection: 50,
  chargePortDoorClose: 61,
  chargePortDoorOpen: 62,
  setCopTemp: 66,
} as const;

/** ChargingStartStopAction oneof members (all Void). */
export const ChargingAction = { start: 2, startStandard: 3, startMaxRange: 4, stop: 5 } as const;
/** VehicleControlWindowAction oneof members (Void). */
export const WindowAction = { vent: 3, close: 4 } as const;
/** PreconditioningTimes / OffPeakChargingTimes oneof members (Void). */
export const WeekPolicy = { allWeek: 1, weekdays: 2 } as const;

const VOID = new Uint8Array(0);

function action(member: number, inner: ProtoWriter | Uint8Array = VOID): Uint8Array {
  const vehicleAction = new ProtoWriter().message(member, inner);
  return new ProtoWriter().message(2, vehicleAction).finish();
}

function fields(build: (w: ProtoWriter) => void): ProtoWriter {
  const w = new ProtoWriter();
  build(w);
  return w;
}

const boolIf = (w: ProtoWriter, field: number, value: boolean): void => void (value && w.bool(field, true));
const int32If = (w: ProtoWriter, field: number, value: number): void => void (value !== 0 && w.int32(field, value));
const enumIf = (w: ProtoWriter, field: number, value: number): void => void (value !== 0 && w.enum(field, value));

export const infotainment = {
  empty: (member: number): Uint8Array => action(member),
  chargingStartStop: (member: number): Uint8Array => action(VehicleActionField.chargingStartStop, new ProtoWriter().message(member, VOID)),
  chargingSetLimit: (percent: number): Uint8Array => action(VehicleActionField.chargingSetLimit, fields((w) => int32If(w, 1, percent))),
  setChargingAmps: (amps: number): Uint8Array => action(VehicleActionField.setChargingAmps, fields((w) => int32If(w, 1, amps))),
  scheduledCharging: (enabled: boolean, minutes: number): Uint8Array =>
    action(VehicleActionField.scheduledCharging, fields((w) => (boolIf(w, 1, enabled), int32If(w, 2, minutes)))),
  scheduledDeparture: (input: { enabled: boolean; departureMinutes: number; preconditioning?: number; offPeak?: number; offPeakEndMinutes: number }): Uint8Array =>
    action(
      VehicleActionField.scheduledDeparture,
      fields((w) => {
        boolIf(w, 1, input.enabled);
        int32If(w, 2, input.departureMinutes);
        if (input.preconditioning !== undefined) w.message(3, new ProtoWriter().message(input.preconditioning, VOID));
        if (input.offPeak !== undefined) w.message(4, new ProtoWriter().message(input.offPeak, VOID));
        int32If(w, 5, input.offPeakEndMinutes);
      }),
    ),
  hvacAuto: (on: boolean, manualOverride = false): Uint8Array => action(VehicleActionField.hvacAuto, fields((w) => (boolIf(w, 1, on), boolIf(w, 2, manualOverride)))),
  /** Driver and passenger °C with level TEMP_MAX, as the Go SDK builds it. */
  temperatures: (driver: number, passenger: number): Uint8Array =>
    action(
      VehicleActionField.hvacTemperatureAdjustment,
      fields((w) => {
        w.message(5, new ProtoWriter().message(3, VOID));
        if (driver !== 0) w.float(6, driver);
        if (passenger !== 0) w.float(7, passenger);
      }),
    ),
  preconditioningMax: (on: boolean, manualOverride: boolean): Uint8Array =>
    action(VehicleActionField.hvacSetPreconditioningMax, fields((w) => (boolIf(w, 1, on), boolIf(w, 2, manualOverride)))),
  climateKeeper: (mode: number, manualOverride: boolean): Uint8Array =>
    action(VehicleActionField.climateKeeper, fields((w) => (enumIf(w, 1, mode), boolIf(w, 2, manualOverride)))),
  cabinOverheatProtection: (on: boolean, fanOnly: boolean): Uint8Array =>
    action(VehicleActionField.cabinOverheatProtection, fields((w) => (boolIf(w, 1, on), boolIf(w, 2, fanOnly)))),
  copTemp: (level: number): Uint8Array => action(VehicleActionField.setCopTemp, fields((w) => enumIf(w, 1, level))),
  /** seat 0–8 (REST numbering) → CAR_SEAT_* member 7–15; level 0–3 → SEAT_HEATER_OFF…HIGH member 2–5. */
  seatHeater: (seat: number, level: number): Uint8Array =>
    action(VehicleActionField.seatHeater, new ProtoWriter().message(1, new ProtoWriter().message(2 + level, VOID).message(7 + seat, VOID))),
  seatCooler: (position: number, level: number): Uint8Array =>
    action(VehicleActionField.seatCooler, new ProtoWriter().message(1, fields((w) => (enumIf(w, 1, level), enumIf(w, 2, position))))),
  autoSeatClimate: (position: number, on: boolean): Uint8Array =>
    action(VehicleActionField.autoSeatClimate, new ProtoWriter().message(1, fields((w) => (boolIf(w, 1, on), enumIf(w, 2, position))))),
  steeringWheelHeater: (on: boolean): Uint8Array => action(VehicleActionField.hvacSteeringWheelHeater, fields((w) => boolIf(w, 1, on))),
  sentryMode: (on: boolean): Uint8Array => action(VehicleActionField.setSentryMode, fields((w) => boolIf(w, 1, on))),
  homelink: (lat: number, lon: number): Uint8Array =>
    action(VehicleActionField.triggerHomelink, new ProtoWriter().message(1, fields((w) => (lat !== 0 && w.float(1, lat), lon !== 0 && w.float(2, lon))))),
  window: (member: number): Uint8Array => action(VehicleActionField.window, new ProtoWriter().message(member, VOID)),
  /** volume_delta is a oneof member: only its sign matters. */
  volumeDelta: (delta: 1 | -1): Uint8Array => action(VehicleActionField.mediaUpdateVolume, new ProtoWriter().sint32(1, delta)),
  volumeAbsolute: (volume: number): Uint8Array => action(VehicleActionField.mediaUpdateVolume, new ProtoWriter().float(3, volume)),
  scheduleSoftwareUpdate: (offsetS: number): Uint8Array => action(VehicleActionField.scheduleSoftwareUpdate, fields((w) => int32If(w, 1, offsetS))),
  ping: (id: number): Uint8Array => action(VehicleActionField.ping, fields((w) => int32If(w, 1, id))),
};
