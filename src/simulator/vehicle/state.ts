import type { LatLon } from '../util/geo.js';

/**
 * Everything a simulated car knows, in the units the API reports (miles, mph, °C, kW, kWh).
 * Times are simulated ms. The Vehicle class owns and mutates it; tests and the world snapshot read it.
 */

export type ChargingState = 'Disconnected' | 'Starting' | 'Charging' | 'Stopped' | 'Complete' | 'NoPower';
export type PlugKind = 'home' | 'ac' | 'dc';
export type DoorKey = 'df' | 'dr' | 'pf' | 'pr' | 'ft' | 'rt';
export type WindowKey = 'fd' | 'fp' | 'rd' | 'rp';
export type SoftwareStatus = '' | 'downloading' | 'available' | 'scheduled' | 'installing';
export type KeeperMode = 'off' | 'keep' | 'dog' | 'camp';
export type CommandSigning = 'off' | 'allowed' | 'required';

export interface Plug {
  kind: PlugKind;
  /** The Wall Connector it is plugged into (home AC only). */
  wallConnectorDin?: string;
  voltage: number;
  phases: number;
  maxAmps: number;
  /** DC charger peak, kW. */
  dcMaxKw: number;
}

export interface Trip {
  from: LatLon;
  to: LatLon;
  name: string;
  startAt: number;
  endAt: number;
  miles: number;
}

/** A navigation destination set while parked (navigation_request and friends). */
export interface Route {
  destination: string;
  to: LatLon;
}

export interface SoftwareUpdate {
  status: SoftwareStatus;
  version: string;
  /** Start and end of the current download or install, for its percentage. */
  phaseStart: number;
  phaseEndsAt: number | null;
  scheduledAt: number | null;
}

export interface MediaState {
  status: 'Playing' | 'Paused' | 'Stopped';
  track: number;
  station: number;
  elapsedMs: number;
  volume: number;
}

export interface ActionRecord {
  at: number;
  action: string;
  detail?: Record<string, unknown>;
}

export interface VehicleState {
  displayName: string;
  commandSigning: CommandSigning;
  keyPaired: boolean;
  sleepAfterMs: number;
  wakeDelayMs: number;
  dataKeepsAwake: boolean;

  // Power state: awake/asleep, connectivity, a pending wake-up, and the inactivity clock.
  awake: boolean;
  connected: boolean;
  offlineUntil: number | null;
  wakeReadyAt: number | null;
  idleSince: number;
  /** Whether something kept the car awake during the step that just ended. */
  wasBlocked: boolean;

  energyKwh: number;
  chargeLimit: number;
  chargeAmps: number;
  plug: Plug | null;
  chargingState: ChargingState;
  startingUntil: number | null;
  /** charge_start/charge_stop override since plugging in (null = car decides). */
  userChargeEnable: boolean | null;
  chargeEnergyAdded: number;
  chargePortDoorOpen: boolean;
  latchEngaged: boolean;
  scheduledCharging: { enabled: boolean; minutes: number };
  scheduledPendingUntil: number | null;
  scheduledDeparture: {
    enabled: boolean;
    minutes: number;
    preconditioning: boolean;
    preconditioningWeekdaysOnly: boolean;
    offPeak: boolean;
    offPeakWeekdaysOnly: boolean;
    endOffPeakMinutes: number;
  };
  chargeSchedules: Record<string, unknown>[];
  preconditionSchedules: Record<string, unknown>[];

  insideTemp: number;
  outsideMean: number;
  outsideTemp: number;
  climateOn: boolean;
  keeper: KeeperMode;
  driverTemp: number;
  passengerTemp: number;
  defrost: boolean;
  /** Levels 0–3 by seat position 0–8 as the API numbers them. */
  seatHeaters: number[];
  seatCoolers: [number, number];
  steeringWheelLevel: number;
  autoSeat: [boolean, boolean];
  autoSteeringWheel: boolean;
  cop: 'Off' | 'On' | 'FanOnly';
  copTemp: 'Low' | 'Medium' | 'High';
  copCooling: boolean;
  bioweapon: boolean;

  home: LatLon;
  location: LatLon;
  heading: number;
  odometer: number;
  trip: Trip | null;
  route: Route | null;
  speed: number | null;
  drivePowerKw: number;

  locked: boolean;
  sentry: boolean;
  /** Until when someone is in the car (Infinity = until told otherwise). */
  userPresentUntil: number | null;
  doors: Record<DoorKey, boolean>;
  windows: Record<WindowKey, boolean>;
  sunRoofPercent: number;
  valet: boolean;
  pinToDrive: boolean;
  guestMode: boolean;
  speedLimit: { active: boolean; limitMph: number; pinSet: boolean };
  remoteStartUntil: number | null;
  carVersion: string;
  software: SoftwareUpdate;
  media: MediaState;
  /** Momentary actions (honk, flash, boombox, homelink) for tests to see; newest last, bounded. */
  actions: ActionRecord[];
}
