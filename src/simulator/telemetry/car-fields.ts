import { FIELD_NAMES } from '../../telemetry/field-names.js';
import { firmwareAtLeast } from './claims.js';
import { chargeState } from '../vehicle/render-charge-climate.js';
import { driveState, vehicleState } from '../vehicle/render-drive-state.js';
import { softwareProgress } from '../vehicle/software.js';
import type { Vehicle } from '../vehicle/vehicle.js';

/**
 * What a simulated car streams for each field, as fleet-telemetry's MQTT dispatcher would publish
 * it: numbers, booleans, enum member names (`ShiftStateD`), objects for
 * Location, DoorState and TireLocation, `null` for an invalid value. Units are the stream's own
 * (miles, mph, kW, kWh, °C, bar, hours for TimeToFullCharge). Written from the car's state, not
 * from teslahub's decoding, so a mistake on either side shows up in the round-trip tests.
 */

const CABLE = { na: 'SAE', eu: 'IEC', cn: 'GB_AC' } as const;
const KEEPER = { off: 'Off', keep: 'On', dog: 'Dog', camp: 'Party' } as const;

const r = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;
const get = (section: Record<string, unknown>, key: string): unknown => section[key] ?? null;

/** Every field this simulator streams, with its current value. */
export function carFieldValues(v: Vehicle, now: number): Record<string, unknown> {
  const s = v.state;
  const charge = chargeState(v, now);
  const drive = driveState(v, now, true);
  const body = vehicleState(v, now);
  const media = (body.media_info ?? {}) as Record<string, unknown>;
  const plug = s.plug;
  const dc = plug?.kind === 'dc';
  const charging = s.chargingState === 'Charging';
  const present = s.userPresentUntil !== null && now < s.userPresentUntil;
  const routing = drive.active_route_destination !== undefined;
  // Before 2024.44.32 the car swaps these two doors; the simulator does too.
  const swapped = !firmwareAtLeast(s.carVersion, 2024, 44, 32);
  return {
    BatteryLevel: r(v.levelPercent, 2),
    Soc: r(Math.max(0, v.levelPercent - (s.outsideTemp < 0 ? 2 : 0)), 2),
    ChargeLimitSoc: s.chargeLimit,
    ChargeAmps: get(charge, 'charger_actual_current'),
    ChargerVoltage: get(charge, 'charger_voltage'),
    ChargerPhases: get(charge, 'charger_phases') ?? 0,
    ChargeCurrentRequest: get(charge, 'charge_current_request'),
    ChargeCurrentRequestMax: get(charge, 'charge_current_request_max'),
    ChargeEnableRequest: get(charge, 'charge_enable_request'),
    ACChargingPower: plug && !dc && charging ? r(v.chargePowerKw, 2) : 0,
    DCChargingPower: dc && charging ? r(v.chargePowerKw, 2) : 0,
    DCChargingEnergyIn: r(s.chargeEnergyAdded, 3),
    DetailedChargeState: `DetailedChargeState${s.chargingState}`,
    TimeToFullCharge: charging ? r(Number(get(charge, 'minutes_to_full_charge') ?? 0) / 60, 3) : 0,
    ChargeRateMilePerHour: get(charge, 'charge_rate'),
    ChargePortDoorOpen: s.chargePortDoorOpen,
    ChargePortLatch: plug ? (s.latchEngaged ? 'ChargePortLatchEngaged' : 'ChargePortLatchDisengaged') : 'ChargePortLatchSNA',
    ChargingCableType: plug ? `CableType${CABLE[v.region]}` : null,
    FastChargerPresent: dc,
    FastChargerType: dc ? 'FastChargerSupercharger' : plug ? 'FastChargerACSingleWireCAN' : 'FastChargerSNA',
    ScheduledChargingPending: get(charge, 'scheduled_charging_pending'),
    PreconditioningEnabled: get(charge, 'preconditioning_enabled'),
    BatteryHeaterOn: false,
    EstBatteryRange: r((s.energyKwh * 1000) / v.whPerMile, 2),
    RatedRange: r((v.levelPercent / 100) * v.spec.ratedRangeMiles, 2),
    IdealBatteryRange: r((v.levelPercent / 100) * v.spec.ratedRangeMiles, 2),
    EnergyRemaining: r(s.energyKwh, 3),
    Location: { latitude: r(s.location.lat, 6), longitude: r(s.location.lon, 6) },
    GpsHeading: s.heading,
    VehicleSpeed: s.trip ? (s.speed ?? 0) : 0,
    Gear: s.trip ? 'ShiftStateD' : 'ShiftStateP',
    Odometer: r(s.odometer, 3),
    DestinationName: routing ? drive.active_route_destination : null,
    DestinationLocation: routing ? { latitude: drive.active_route_latitude, longitude: drive.active_route_longitude } : null,
    MilesToArrival: routing ? drive.active_route_miles_to_arrival : null,
    MinutesToArrival: routing ? drive.active_route_minutes_to_arrival : null,
    RouteTrafficMinutesDelay: routing ? drive.active_route_traffic_minutes_delay : null,
    ExpectedEnergyPercentAtTripArrival: routing ? drive.active_route_energy_at_arrival : null,
    InsideTemp: r(s.insideTemp, 2),
    OutsideTemp: r(s.outsideTemp, 2),
    HvacPower: s.climateOn
      ? present
        ? 'HvacPowerStateOn'
        : 'HvacPowerStatePrecondition'
      : s.copCooling
        ? 'HvacPowerStateOverheatProtect'
        : 'HvacPowerStateOff',
    HvacLeftTemperatureRequest: s.driverTemp,
    HvacRightTemperatureRequest: s.passengerTemp,
    ClimateKeeperMode: `ClimateKeeperModeState${KEEPER[s.keeper]}`,
    CabinOverheatProtectionMode: `CabinOverheatProtectionModeState${s.cop}`,
    CabinOverheatProtectionTemperatureLimit: `ClimateOverheatProtectionTempLimit${s.copTemp}`,
    DefrostMode: s.defrost ? 'DefrostModeStateMax' : 'DefrostModeStateOff',
    SeatHeaterLeft: s.seatHeaters[0] ?? 0,
    SeatHeaterRight: s.seatHeaters[1] ?? 0,
    SeatHeaterRearLeft: s.seatHeaters[2] ?? 0,
    SeatHeaterRearCenter: s.seatHeaters[4] ?? 0,
    SeatHeaterRearRight: s.seatHeaters[5] ?? 0,
    AutoSeatClimateLeft: s.autoSeat[0],
    AutoSeatClimateRight: s.autoSeat[1],
    HvacSteeringWheelHeatAuto: s.autoSteeringWheel,
    Locked: s.locked,
    SentryMode: s.sentry ? 'SentryModeStateArmed' : 'SentryModeStateOff',
    DoorState: {
      DriverFront: s.doors.df,
      PassengerFront: swapped ? s.doors.dr : s.doors.pf,
      DriverRear: swapped ? s.doors.pf : s.doors.dr,
      PassengerRear: s.doors.pr,
      TrunkFront: s.doors.ft,
      TrunkRear: s.doors.rt,
    },
    FdWindow: s.windows.fd ? 'WindowStateOpened' : 'WindowStateClosed',
    FpWindow: s.windows.fp ? 'WindowStateOpened' : 'WindowStateClosed',
    RdWindow: s.windows.rd ? 'WindowStateOpened' : 'WindowStateClosed',
    RpWindow: s.windows.rp ? 'WindowStateOpened' : 'WindowStateClosed',
    DriverSeatOccupied: present,
    TpmsPressureFl: get(body, 'tpms_pressure_fl'),
    TpmsPressureFr: get(body, 'tpms_pressure_fr'),
    TpmsPressureRl: get(body, 'tpms_pressure_rl'),
    TpmsPressureRr: get(body, 'tpms_pressure_rr'),
    TpmsSoftWarnings: {},
    TpmsHardWarnings: {},
    Version: s.carVersion.trim().split(' ')[0] ?? s.carVersion,
    SoftwareUpdateVersion: s.software.version,
    SoftwareUpdateDownloadPercentComplete: s.software.status === 'downloading' ? softwareProgress(v, now) : s.software.status === '' ? 0 : 100,
    SoftwareUpdateInstallationPercentComplete: s.software.status === 'installing' ? softwareProgress(v, now) : 0,
    ValetModeEnabled: s.valet,
    MediaPlaybackStatus: `MediaStatus${String(media.media_playback_status ?? 'Stopped')}`,
    MediaNowPlayingTitle: get(media, 'now_playing_title'),
    MediaNowPlayingArtist: get(media, 'now_playing_artist'),
    MediaNowPlayingAlbum: get(media, 'now_playing_album'),
    MediaNowPlayingStation: get(media, 'now_playing_station'),
    MediaPlaybackSource: get(media, 'now_playing_source'),
    MediaAudioVolume: get(media, 'audio_volume'),
  };
}

const FIRST_ALWAYS_TYPED = FIELD_NAMES.indexOf('DetailedChargeState');

/**
 * Without prefer_typed (or before 2024.38) fields older than DetailedChargeState arrive as text
 *: `"75.500"`, `"true"`. Location is typed by the server itself.
 */
export function asSent(name: string, value: unknown, preferTyped: boolean): unknown {
  const index = FIELD_NAMES.indexOf(name as (typeof FIELD_NAMES)[number]);
  if (preferTyped || name === 'Location' || index >= FIRST_ALWAYS_TYPED) return value;
  if (typeof value === 'number') return value.toFixed(3);
  if (typeof value === 'boolean') return String(value);
  return value;
}
