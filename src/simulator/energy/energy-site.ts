import type { ScenarioSite } from '../scenario/schema.js';
import type { LatLon } from '../util/geo.js';
import { localHour } from '../util/time-zone.js';
import { batteryEnergyDeltaWh, computeFlows, type ExportRule, type Flows, type OperationMode } from './flows.js';
import { EnergyHistory } from './history.js';
import { homeLoadW, type LoadProfile } from './load.js';
import { solarPowerW } from './solar.js';
import { touPeriod } from './tou.js';

export const POWERWALL_WH = 13_500;
export const POWERWALL_W = 5_000;
const STEP_MS = 60_000;
const DAY_MS = 86_400_000;

export interface WallConnector {
  din: string;
  deviceId: string;
  maxAmps: number;
  voltage: number;
  phases: number;
}

export interface SiteSettings {
  backupReserve: number;
  mode: OperationMode;
  exportRule: ExportRule;
  disallowGridCharging: boolean;
  stormModeEnabled: boolean;
  offGridVehicleChargingReserve: number;
  touSettings: Record<string, unknown> | null;
}

export interface SiteState {
  energyWh: number;
  gridUp: boolean;
  outageStartedAt: number | null;
  outageUntil: number | null;
  stormWatchUntil: number | null;
  solarFactor: number;
}

export interface BackupEvent {
  timestamp: number;
  durationMs: number;
}

/**
 * An energy site: Powerwalls, solar, the home's load, the grid and Wall Connectors. Time passes in
 * one-minute steps aligned to the clock's minutes, with the flows of each step fixed at its start;
 * live_status shows exactly the flows of the step that begins now, so integrating what live_status
 * says over a day gives what calendar_history reports.
 */
export class EnergySite {
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly timeZone: string;
  readonly location: LatLon;
  readonly batteryCount: number;
  readonly capacityWh: number;
  readonly maxPowerW: number;
  readonly solarPeakKw: number;
  readonly load: LoadProfile;
  readonly wallConnectors: WallConnector[];
  readonly installationDate: string;
  readonly gatewayDin: string;
  readonly seed: number;
  readonly settings: SiteSettings;
  readonly state: SiteState;
  readonly history = new EnergyHistory();
  readonly backupEvents: BackupEvent[] = [];
  private lastPrune = 0;

  constructor(config: ScenarioSite, init: { account: string; timeZone: string; seed: number }) {
    this.id = config.id;
    this.name = config.name;
    this.account = init.account;
    this.timeZone = config.timeZone ?? init.timeZone;
    this.location = config.location;
    this.batteryCount = config.batteries;
    this.capacityWh = config.batteries * POWERWALL_WH;
    this.maxPowerW = config.batteries * POWERWALL_W;
    this.solarPeakKw = config.solarKw;
    this.load = config.load;
    this.seed = init.seed;
    this.installationDate = config.installationDate;
    this.gatewayDin = `1232100-00-E--TG1${config.id.slice(-10).padStart(10, '0')}`;
    this.wallConnectors = config.wallConnectors.map((wc, index) => ({
      din: wc.din ?? `1734412-02-E--PGT${config.id.slice(-9).padStart(9, '0')}${index}`,
      deviceId: `wc-${config.id}-${index}`,
      maxAmps: wc.maxAmps,
      voltage: wc.voltage,
      phases: wc.phases,
    }));
    this.settings = {
      backupReserve: config.backupReserve,
      mode: config.mode,
      exportRule: config.exportRule,
      disallowGridCharging: config.disallowGridCharging,
      stormModeEnabled: config.stormModeEnabled,
      offGridVehicleChargingReserve: config.offGridVehicleChargingReserve,
      touSettings: null,
    };
    this.state = {
      energyWh: (this.capacityWh * config.batteryLevel) / 100,
      gridUp: true,
      outageStartedAt: null,
      outageUntil: null,
      stormWatchUntil: null,
      solarFactor: 1,
    };
  }

  get hasBattery(): boolean {
    return this.batteryCount > 0;
  }

  get hasSolar(): boolean {
    return this.solarPeakKw > 0;
  }

  get percentage(): number {
    return this.capacityWh > 0 ? (this.state.energyWh / this.capacityWh) * 100 : 0;
  }

  stormActive(now: number): boolean {
    return this.settings.stormModeEnabled && this.state.stormWatchUntil !== null && now < this.state.stormWatchUntil;
  }

  /** Whether Wall Connectors get power: always on grid; off grid only above the vehicle-charging reserve. */
  evPowerAvailable(): boolean {
    return this.state.gridUp || (this.hasBattery && this.percentage > this.settings.offGridVehicleChargingReserve);
  }

  /** Flows at `t` with `evW` of Wall Connector draw. */
  flowsAt(t: number, evW: number): Flows {
    const hour = localHour(t, this.timeZone);
    return computeFlows({
      solarW: solarPowerW(this.solarPeakKw, this.state.solarFactor, this.location, t),
      homeW: homeLoadW(this.load, hour, this.seed, t),
      evW,
      battery: this.hasBattery
        ? { energyWh: this.state.energyWh, capacityWh: this.capacityWh, maxChargeW: this.maxPowerW, maxDischargeW: this.maxPowerW }
        : null,
      mode: this.settings.mode,
      exportRule: this.settings.exportRule,
      reservePercent: this.settings.backupReserve,
      // Tesla's switch only matters with solar: without panels the grid is the only source.
      gridChargingAllowed: !this.settings.disallowGridCharging || !this.hasSolar,
      gridUp: this.state.gridUp,
      stormActive: this.stormActive(t),
      tou: touPeriod(hour),
      dtMs: STEP_MS,
    });
  }

  nextTransition(): number {
    return Math.min(this.state.outageUntil ?? Infinity, this.state.stormWatchUntil ?? Infinity);
  }

  settle(now: number): void {
    if (this.state.outageUntil !== null && now >= this.state.outageUntil) this.restoreGrid(now);
    if (this.state.stormWatchUntil !== null && now >= this.state.stormWatchUntil) this.state.stormWatchUntil = null;
  }

  /** Integrates [from, to) in minute-aligned steps; `evW` is the Wall Connector draw during it. */
  advance(from: number, to: number, evW: number): void {
    let t = from;
    while (t < to) {
      const end = Math.min(to, Math.floor(t / STEP_MS) * STEP_MS + STEP_MS);
      const dt = end - t;
      const flows = this.flowsAt(t, evW);
      this.state.energyWh = Math.min(this.capacityWh, Math.max(0, this.state.energyWh + batteryEnergyDeltaWh(flows.battery, dt)));
      this.history.add(t, dt, flows);
      t = end;
    }
    if (to - this.lastPrune > DAY_MS) {
      this.history.prune(to);
      this.lastPrune = to;
    }
  }

  startOutage(now: number, durationMs: number | undefined): void {
    if (this.state.gridUp) {
      this.state.gridUp = false;
      this.state.outageStartedAt = now;
    }
    this.state.outageUntil = durationMs === undefined ? null : now + durationMs;
  }

  restoreGrid(now: number): void {
    if (!this.state.gridUp && this.state.outageStartedAt !== null) {
      this.backupEvents.push({ timestamp: this.state.outageStartedAt, durationMs: now - this.state.outageStartedAt });
    }
    this.state.gridUp = true;
    this.state.outageStartedAt = null;
    this.state.outageUntil = null;
  }
}
