import type { ScenarioVehicle } from '../scenario/schema.js';
import type { Region } from '../types.js';
import type { LatLon } from '../util/geo.js';
import { localHour } from '../util/time-zone.js';
import { resolveCharging, chargeStep } from './charging.js';
import { climateStep } from './climate.js';
import { driveStep, finishDrive } from './driving.js';
import { chargePowerKw, parkedDrainKw } from './physics.js';
import { softwareTransitions } from './software.js';
import { MODEL_NAMES, type ModelSpec, modelSpec } from './spec.js';
import { initialVehicleState } from './initial-state.js';
import type { ActionRecord, VehicleState } from './state.js';
import { decodeVin, isPre2021ModelSX, type Model } from '../../model/vin.js';
import { firmwareEncryptsReplies } from '../vcp/firmware.js';
import { VehicleVcp } from '../vcp/vehicle-vcp.js';

/** What a car needs from the rest of the world while time passes. */
export interface VehicleEnv {
  timeZone: string;
  /** False while the site behind that Wall Connector cannot supply power (off grid, below its reserve). */
  powerAvailable(din: string): boolean;
}

export interface VehicleInit {
  config: ScenarioVehicle;
  index: number;
  account: string;
  region: Region;
  home: LatLon;
  start: number;
  seed: number;
}

export type VehicleStatus = 'online' | 'asleep' | 'offline';
export type SleepBlocker = 'user_present' | 'sentry' | 'charging' | 'climate' | 'door_open' | 'software_update' | 'driving' | 'remote_start';

const MAX_STEP_MS = 60_000;
const FINE_STEP_MS = 10_000;
const MAX_ACTIONS = 100;

/**
 * One simulated car: its power state machine (online / asleep / offline, the inactivity timer and
 * what blocks sleep), and the physics of driving, charging and the cabin as time passes. Commands
 * (vehicle/commands*.ts) and scripted events act on it through its public methods and state.
 */
export class Vehicle {
  readonly vin: string;
  readonly id: number;
  readonly vehicleId: number;
  readonly model: Model;
  readonly year: number;
  readonly pre2021: boolean;
  readonly spec: ModelSpec;
  readonly capacityKwh: number;
  readonly whPerMile: number;
  readonly account: string;
  readonly region: Region;
  readonly color: string;
  readonly seed: number;
  readonly state: VehicleState;
  /** The car's side of signed commands: domain keys, keychain, sessions (simulator/vcp). */
  readonly vcp: VehicleVcp;

  constructor(init: VehicleInit) {
    const { config } = init;
    const decoded = decodeVin(config.vin);
    this.vin = config.vin;
    this.id = 3_744_000_000_000_001 + init.index * 7919;
    this.vehicleId = 1_492_000_001 + init.index * 104_729;
    this.model = config.model ?? decoded.model ?? '3';
    this.year = config.year ?? decoded.year ?? 2023;
    this.pre2021 = isPre2021ModelSX(config.vin);
    this.spec = modelSpec(this.model, this.pre2021);
    // Usable capacity: the nominal pack worn by age, unless the scenario gives it outright.
    this.capacityKwh = config.batteryKwh ?? this.spec.batteryKwh * config.batteryHealth;
    this.whPerMile = config.whPerMile;
    this.account = init.account;
    this.region = init.region;
    this.color = config.color;
    this.seed = init.seed;
    this.state = initialVehicleState(config, {
      name: config.name ?? MODEL_NAMES[this.model],
      capacityKwh: this.capacityKwh,
      home: init.home,
      start: init.start,
      acMaxAmps: this.spec.acMaxAmps,
      sunRoof: this.spec.sunRoof,
    });
    this.vcp = new VehicleVcp({ vin: config.vin, pairedKeys: config.pairedKeys, encryptResponses: firmwareEncryptsReplies(config.carVersion) });
  }

  get status(): VehicleStatus {
    if (!this.state.connected) return 'offline';
    return this.state.awake ? 'online' : 'asleep';
  }

  /** State of charge, % (not rounded). */
  get levelPercent(): number {
    return (this.state.energyKwh / this.capacityKwh) * 100;
  }

  /** Wall-side charging power now, kW. */
  get chargePowerKw(): number {
    return chargePowerKw(this.state, this.spec, this.capacityKwh);
  }

  /** Power drawn through a Wall Connector now, W (0 unless charging on it). */
  wallConnectorPowerW(din: string): number {
    return this.state.plug?.wallConnectorDin === din ? Math.round(this.chargePowerKw * 1000) : 0;
  }

  sleepBlockers(now: number): SleepBlocker[] {
    const s = this.state;
    const out: SleepBlocker[] = [];
    if (s.userPresentUntil !== null && now < s.userPresentUntil) out.push('user_present');
    if (s.sentry) out.push('sentry');
    if (s.chargingState === 'Charging' || s.chargingState === 'Starting') out.push('charging');
    if (s.climateOn || s.keeper !== 'off' || s.copCooling) out.push('climate');
    if (Object.values(s.doors).some(Boolean)) out.push('door_open');
    if (s.software.status === 'downloading' || s.software.status === 'installing') out.push('software_update');
    if (s.trip) out.push('driving');
    if (s.remoteStartUntil !== null && now < s.remoteStartUntil) out.push('remote_start');
    return out;
  }

  /** The next instant something changes by itself (Infinity if nothing is pending). */
  nextTransition(): number {
    const s = this.state;
    const times = [
      s.offlineUntil,
      s.wakeReadyAt,
      s.trip?.endAt ?? null,
      s.userPresentUntil,
      s.remoteStartUntil,
      s.software.phaseEndsAt,
      s.software.status === 'scheduled' && s.trip === null ? s.software.scheduledAt : null,
      s.scheduledPendingUntil,
      s.startingUntil,
      s.awake && !s.wasBlocked ? s.idleSince + s.sleepAfterMs : null,
    ];
    let next = Infinity;
    for (const time of times) if (time !== null && time < next) next = time;
    return next;
  }

  /** Applies everything due at `now`: timed transitions, the charging state, and falling asleep. */
  settle(now: number, env: VehicleEnv): void {
    const s = this.state;
    if (s.offlineUntil !== null && now >= s.offlineUntil) {
      s.connected = true;
      s.offlineUntil = null;
    }
    if (s.wakeReadyAt !== null && now >= s.wakeReadyAt) this.wakeNow(now);
    if (s.trip && now >= s.trip.endAt) finishDrive(this, now);
    if (s.userPresentUntil !== null && now >= s.userPresentUntil) s.userPresentUntil = null;
    if (s.remoteStartUntil !== null && now >= s.remoteStartUntil) s.remoteStartUntil = null;
    softwareTransitions(this, now);
    if (s.scheduledPendingUntil !== null && now >= s.scheduledPendingUntil) s.scheduledPendingUntil = null;
    if (s.startingUntil !== null && now >= s.startingUntil) {
      s.startingUntil = null;
      if (s.chargingState === 'Starting') s.chargingState = 'Charging';
    }
    resolveCharging(this, now, env);
    const blocked = this.sleepBlockers(now).length > 0;
    if (s.awake) {
      // Something kept it busy until now, so the idle period starts now, not when last checked.
      if (blocked || s.wasBlocked) s.idleSince = Math.max(s.idleSince, now);
      else if (now >= s.idleSince + s.sleepAfterMs) this.sleepNow();
    }
    s.wasBlocked = blocked;
  }

  /** Lets time pass from `from` to `to`; the caller has settled the car at `from`. */
  advance(from: number, to: number, env: VehicleEnv): void {
    let t = from;
    while (t < to) {
      this.settle(t, env);
      const fine = this.state.trip !== null || (this.state.plug?.kind === 'dc' && this.state.chargingState === 'Charging');
      const next = Math.min(to, t + (fine ? FINE_STEP_MS : MAX_STEP_MS), this.nextTransition());
      const end = next > t ? next : to;
      this.physics(t, end - t, env);
      t = end;
    }
    this.settle(to, env);
  }

  private physics(t: number, dtMs: number, env: VehicleEnv): void {
    const s = this.state;
    climateStep(this, localHour(t, env.timeZone), dtMs);
    if (s.trip) {
      driveStep(this, t, dtMs);
    } else if (s.chargingState === 'Charging') {
      chargeStep(this, dtMs);
    } else if (!this.onShorePower(env)) {
      s.energyKwh = Math.max(0, s.energyKwh - (parkedDrainKw(s) * dtMs) / 3_600_000);
    }
    if (s.media.status === 'Playing' && s.awake) s.media.elapsedMs += dtMs;
  }

  /** Plugged into a live charger: the car runs off the wall, not its battery. */
  private onShorePower(env: VehicleEnv): boolean {
    const plug = this.state.plug;
    if (!plug || this.state.chargingState === 'NoPower') return false;
    return plug.wallConnectorDin === undefined || env.powerAvailable(plug.wallConnectorDin);
  }

  /** Activity that resets the inactivity timer (commands; data requests on some cars). */
  touch(now: number): void {
    if (this.state.awake) this.state.idleSince = Math.max(this.state.idleSince, now);
  }

  /** wake_up: an asleep car comes online after its wake delay; an online car just counts it as activity. */
  requestWake(now: number): void {
    const s = this.state;
    if (!s.connected) return;
    if (s.awake) this.touch(now);
    else if (s.wakeReadyAt === null) s.wakeReadyAt = now + s.wakeDelayMs;
  }

  /** A physical interaction (a door, a drive, plugging in) wakes the car at once. */
  wakeNow(now: number): void {
    const s = this.state;
    s.awake = true;
    s.wakeReadyAt = null;
    s.idleSince = Math.max(s.idleSince, now);
  }

  sleepNow(): void {
    const s = this.state;
    s.awake = false;
    s.wakeReadyAt = null;
    s.remoteStartUntil = null;
    if (s.media.status === 'Playing') s.media.status = 'Paused';
  }

  /**
   * A vehicle_data request reached the car. Pre-2021 Model S/X stay awake when polled (why Home
   * Assistant has a quiet window for them); newer cars do not, unless `dataKeepsAwake` says so.
   */
  noteDataRequest(now: number): void {
    if (this.pre2021 || this.state.dataKeepsAwake) this.touch(now);
  }

  /** Remembers a momentary action (honk, flash...) so tests and the snapshot can see it happened. */
  record(action: string, now: number, detail?: Record<string, unknown>): void {
    const entry: ActionRecord = detail ? { at: now, action, detail } : { at: now, action };
    this.state.actions.push(entry);
    if (this.state.actions.length > MAX_ACTIONS) this.state.actions.shift();
  }
}
