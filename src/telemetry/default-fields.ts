import type { FieldName } from './field-names.js';

/**
 * Tesla's per-field options: a field is sent when it changed by at
 * least `minimum_delta`, at most every `interval_seconds`; `resend_interval_seconds` re-sends it
 * unchanged, which makes it a heartbeat.
 */
export interface FieldOptions {
  interval_seconds: number;
  minimum_delta?: number;
  resend_interval_seconds?: number;
}

/**
 * The default field set: every entity with a streamed equivalent, with intervals chosen for
 * a home dashboard and a small bill (every emitted value is a billed signal, $1 per 150,000).
 * Things a person waits for (a door, the lock, the charge state, the gear) are fast; numbers that
 * drift are gated by a minimum change, so a parked car sends almost nothing. The battery level goes
 * out after half a point and the charging power after 0.5 kW: with the receiver's pings telling
 * "unchanged" from "gone" (receiver/link-check.ts), what a charging car shows is then within that of
 * the car's value as of a few seconds ago, for a fraction of the signals a fixed period costs.
 * What a driving car sends is traded for the bill (`npm run bench:cost`, README "What streaming
 * costs"): the position every 2 min or 1 km, speed every 30 s, the
 * odometer every 5 mi, arrival estimates by 5 min / 5 mi, the usable level by 2 points, and the
 * two ranges that duplicate the rated range only by 20 mi. Units are Tesla's: miles, mph, kW, kWh,
 * °C, bar, metres for Location.
 */
export const DEFAULT_FIELDS: Partial<Record<FieldName, FieldOptions>> = {
  // Charging and battery.
  BatteryLevel: { interval_seconds: 10, minimum_delta: 0.5 },
  Soc: { interval_seconds: 120, minimum_delta: 2 },
  ChargeLimitSoc: { interval_seconds: 10 },
  ChargeAmps: { interval_seconds: 30, minimum_delta: 1 },
  ChargerVoltage: { interval_seconds: 60, minimum_delta: 10 },
  ChargerPhases: { interval_seconds: 60 },
  ChargeCurrentRequest: { interval_seconds: 10 },
  ChargeCurrentRequestMax: { interval_seconds: 60 },
  ChargeEnableRequest: { interval_seconds: 10 },
  ACChargingPower: { interval_seconds: 10, minimum_delta: 0.5 },
  DCChargingPower: { interval_seconds: 10, minimum_delta: 2 },
  DCChargingEnergyIn: { interval_seconds: 120, minimum_delta: 2 },
  DetailedChargeState: { interval_seconds: 5 },
  TimeToFullCharge: { interval_seconds: 60, minimum_delta: 0.5 },
  ChargeRateMilePerHour: { interval_seconds: 60, minimum_delta: 5 },
  ChargePortDoorOpen: { interval_seconds: 5 },
  ChargePortLatch: { interval_seconds: 5 },
  ChargingCableType: { interval_seconds: 5 },
  FastChargerType: { interval_seconds: 60 },
  ScheduledChargingPending: { interval_seconds: 60 },
  PreconditioningEnabled: { interval_seconds: 60 },
  BatteryHeaterOn: { interval_seconds: 60 },
  EstBatteryRange: { interval_seconds: 300, minimum_delta: 20 },
  RatedRange: { interval_seconds: 120, minimum_delta: 5 },
  IdealBatteryRange: { interval_seconds: 300, minimum_delta: 20 },
  // Driving and location.
  Location: { interval_seconds: 120, minimum_delta: 1000 },
  VehicleSpeed: { interval_seconds: 30, minimum_delta: 10 },
  Gear: { interval_seconds: 1 },
  Odometer: { interval_seconds: 60, minimum_delta: 5 },
  DestinationName: { interval_seconds: 30 },
  DestinationLocation: { interval_seconds: 60 },
  MilesToArrival: { interval_seconds: 60, minimum_delta: 5 },
  MinutesToArrival: { interval_seconds: 60, minimum_delta: 5 },
  RouteTrafficMinutesDelay: { interval_seconds: 60, minimum_delta: 1 },
  ExpectedEnergyPercentAtTripArrival: { interval_seconds: 60, minimum_delta: 2 },
  // Climate.
  InsideTemp: { interval_seconds: 60, minimum_delta: 1 },
  OutsideTemp: { interval_seconds: 300, minimum_delta: 1 },
  HvacPower: { interval_seconds: 5 },
  HvacLeftTemperatureRequest: { interval_seconds: 10 },
  HvacRightTemperatureRequest: { interval_seconds: 10 },
  ClimateKeeperMode: { interval_seconds: 10 },
  CabinOverheatProtectionMode: { interval_seconds: 60 },
  CabinOverheatProtectionTemperatureLimit: { interval_seconds: 60 },
  DefrostMode: { interval_seconds: 10 },
  SeatHeaterLeft: { interval_seconds: 10 },
  SeatHeaterRight: { interval_seconds: 10 },
  SeatHeaterRearLeft: { interval_seconds: 10 },
  SeatHeaterRearCenter: { interval_seconds: 10 },
  SeatHeaterRearRight: { interval_seconds: 10 },
  AutoSeatClimateLeft: { interval_seconds: 60 },
  AutoSeatClimateRight: { interval_seconds: 60 },
  HvacSteeringWheelHeatAuto: { interval_seconds: 60 },
  // Body and security.
  Locked: { interval_seconds: 1 },
  SentryMode: { interval_seconds: 5 },
  DoorState: { interval_seconds: 1 },
  FdWindow: { interval_seconds: 5 },
  FpWindow: { interval_seconds: 5 },
  RdWindow: { interval_seconds: 5 },
  RpWindow: { interval_seconds: 5 },
  DriverSeatOccupied: { interval_seconds: 5 },
  TpmsPressureFl: { interval_seconds: 600, minimum_delta: 0.1 },
  TpmsPressureFr: { interval_seconds: 600, minimum_delta: 0.1 },
  TpmsPressureRl: { interval_seconds: 600, minimum_delta: 0.1 },
  TpmsPressureRr: { interval_seconds: 600, minimum_delta: 0.1 },
  TpmsSoftWarnings: { interval_seconds: 60 },
  Version: { interval_seconds: 3600 },
  SoftwareUpdateVersion: { interval_seconds: 600 },
  SoftwareUpdateInstallationPercentComplete: { interval_seconds: 60, minimum_delta: 5 },
  // Media.
  MediaPlaybackStatus: { interval_seconds: 5 },
  MediaNowPlayingTitle: { interval_seconds: 10 },
  MediaNowPlayingArtist: { interval_seconds: 10 },
  MediaNowPlayingAlbum: { interval_seconds: 10 },
  MediaNowPlayingStation: { interval_seconds: 10 },
  MediaPlaybackSource: { interval_seconds: 10 },
  MediaAudioVolume: { interval_seconds: 10, minimum_delta: 0.3 },
};

/**
 * Fields that also carry the heartbeat: re-sent unchanged every
 * `telemetry.heartbeat`, so "connected but silent for two heartbeats" means the pipeline broke,
 * not that nothing changed. One field: each resend is a billed signal.
 */
export const HEARTBEAT_FIELDS: readonly FieldName[] = ['BatteryLevel'];

/**
 * Fields teslahub understands but leaves out by default: no entity shows them (they fill
 * vehicle_data keys the polling policy or a derived value reads), and each value is billed. Add
 * them under telemetry.fields when wanted.
 */
export const OPTIONAL_FIELDS: readonly FieldName[] = [
  'EnergyRemaining',
  'FastChargerPresent',
  'GpsHeading',
  'TpmsHardWarnings',
  'SoftwareUpdateDownloadPercentComplete',
  'ValetModeEnabled',
];
