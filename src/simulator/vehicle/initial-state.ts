import type { ScenarioVehicle } from '../scenario/schema.js';
import type { LatLon } from '../util/geo.js';
import type { VehicleState } from './state.js';
import { isPre2021ModelSX } from '../../model/vin.js';

export interface InitialFacts {
  name: string;
  capacityKwh: number;
  home: LatLon;
  start: number;
  acMaxAmps: number;
  sunRoof: boolean;
}

/** A car's state at the start of the simulation, from its scenario entry. Plugging in happens later (it needs the world). */
export function initialVehicleState(config: ScenarioVehicle, facts: InitialFacts): VehicleState {
  const location = config.location ?? facts.home;
  return {
    displayName: facts.name,
    // Pre-2021 Model S/X never got the Vehicle Command Protocol.
    commandSigning: config.commandSigning ?? (isPre2021ModelSX(config.vin) ? 'off' : 'required'),
    keyPaired: config.keyPaired,
    sleepAfterMs: config.sleepAfter * 1000,
    wakeDelayMs: config.wakeDelay * 1000,
    dataKeepsAwake: config.dataKeepsAwake,

    awake: config.state === 'online',
    connected: config.state !== 'offline',
    offlineUntil: null,
    wakeReadyAt: null,
    idleSince: facts.start,
    wasBlocked: false,

    energyKwh: (facts.capacityKwh * config.batteryLevel) / 100,
    chargeLimit: config.chargeLimit,
    chargeAmps: config.chargeAmps ?? Math.min(32, facts.acMaxAmps),
    plug: null,
    chargingState: 'Disconnected',
    startingUntil: null,
    userChargeEnable: null,
    chargeEnergyAdded: 0,
    chargePortDoorOpen: false,
    latchEngaged: false,
    scheduledCharging: { enabled: false, minutes: 0 },
    scheduledPendingUntil: null,
    scheduledDeparture: {
      enabled: false,
      minutes: 480,
      preconditioning: false,
      preconditioningWeekdaysOnly: false,
      offPeak: false,
      offPeakWeekdaysOnly: false,
      endOffPeakMinutes: 360,
    },
    chargeSchedules: [],
    preconditionSchedules: [],

    insideTemp: config.insideTemp ?? config.outsideTemp,
    outsideMean: config.outsideTemp,
    outsideTemp: config.outsideTemp,
    climateOn: false,
    keeper: 'off',
    driverTemp: 21,
    passengerTemp: 21,
    defrost: false,
    seatHeaters: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    seatCoolers: [0, 0],
    steeringWheelLevel: 0,
    autoSeat: [false, false],
    autoSteeringWheel: false,
    cop: 'On',
    copTemp: 'High',
    copCooling: false,
    bioweapon: false,

    home: { ...facts.home },
    location: { ...location },
    heading: config.heading,
    odometer: config.odometer,
    trip: null,
    route: null,
    speed: null,
    drivePowerKw: 0,

    locked: config.locked,
    sentry: config.sentry,
    userPresentUntil: null,
    doors: { df: false, dr: false, pf: false, pr: false, ft: false, rt: false },
    windows: { fd: false, fp: false, rd: false, rp: false },
    sunRoofPercent: 0,
    valet: false,
    pinToDrive: false,
    guestMode: false,
    speedLimit: { active: false, limitMph: 85, pinSet: false },
    remoteStartUntil: null,
    carVersion: config.carVersion,
    software: config.softwareUpdate
      ? {
          status: config.softwareUpdate.status,
          version: config.softwareUpdate.version,
          phaseStart: facts.start,
          phaseEndsAt: config.softwareUpdate.status === 'downloading' ? facts.start + 600_000 : null,
          scheduledAt: null,
        }
      : { status: '', version: '', phaseStart: facts.start, phaseEndsAt: null, scheduledAt: null },
    media: { status: 'Stopped', track: 0, station: 0, elapsedMs: 0, volume: 3 },
    actions: [],
  };
}
