import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { EnergySite } from '../energy/energy-site.js';
import type { Flows } from '../energy/flows.js';
import { isVehicleEvent, type ScenarioEvent } from '../scenario/events-schema.js';
import type { SitePatch, VehiclePatch } from '../scenario/fields.js';
import type { Scenario } from '../scenario/schema.js';
import type { Region } from '../types.js';
import { stableUuid, textSeed } from '../util/random.js';
import { Vehicle, type VehicleEnv } from '../vehicle/vehicle.js';
import { WorldError } from './errors.js';
import { EventSchedule } from './schedule.js';
import { applySiteEvent, applySitePatch } from './site-events.js';
import { worldSnapshot } from './snapshot.js';
import { applyVehicleEvent, applyVehiclePatch, type VehicleEventContext } from './vehicle-events.js';

export interface Account {
  /** The JWT `sub`. */
  id: string;
  email: string;
  region: Region;
  fullName: string;
}

export interface WorldOptions {
  scenario: Scenario;
  clock: Pick<Clock, 'now'>;
  log?: Logger;
}

const GRID_MS = 60_000;
const DEFAULT_HOME = { lat: 37.4, lon: -122.1 };

/**
 * The simulated world: accounts, cars and energy sites, and the script that moves them. Pure and
 * lazy: nothing runs on timers; every reader calls `advanceTo(now)` (the simulator does on each
 * request), which steps the model from where it was to `now` in steps of at most a simulated
 * minute, stopping exactly at scripted events and at each car's own transitions (falling asleep,
 * waking, arriving). Jumping a day ahead costs about 1,440 steps.
 *
 * Tests read and change it directly: `vehicle(vin).state`, `site(id).state/.settings`,
 * `patchVehicle`, `runEvent`, `siteFlows`, `snapshot()`.
 */
export class World {
  readonly timeZone: string;
  readonly accounts: Account[];
  readonly vehicles: Vehicle[];
  readonly sites: EnergySite[];
  /** Scripted events that could not happen (e.g. plugging in with no Wall Connector), newest last. */
  readonly problems: { at: number; message: string }[] = [];
  private readonly schedule: EventSchedule;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly log: Logger | undefined;
  private current: number;
  /** What cars need from the world while time passes. */
  readonly env: VehicleEnv;

  constructor(options: WorldOptions) {
    const { scenario, clock } = options;
    this.clock = clock;
    this.log = options.log;
    this.current = clock.now();
    this.timeZone = scenario.timeZone;
    this.env = { timeZone: scenario.timeZone, powerAvailable: (din) => this.siteOfWallConnector(din)?.evPowerAvailable() ?? true };
    this.accounts = scenario.accounts.map((a) => ({ id: a.id ?? stableUuid(`account:${a.email}`), email: a.email, region: a.region, fullName: a.fullName }));
    const firstEmail = this.accounts[0]?.email ?? '';
    this.sites = scenario.energySites.map(
      (site) => new EnergySite(site, { account: site.account ?? firstEmail, timeZone: this.timeZone, seed: scenario.seed ^ textSeed(site.id) }),
    );
    this.vehicles = scenario.vehicles.map((config, index) => {
      const account = config.account ?? firstEmail;
      const home = config.home ?? this.sites.find((site) => site.account === account)?.location ?? DEFAULT_HOME;
      return new Vehicle({
        config,
        index,
        account,
        region: this.accountByEmail(account)?.region ?? 'na',
        home,
        start: this.current,
        seed: scenario.seed ^ textSeed(config.vin),
      });
    });
    scenario.vehicles.forEach((config, index) => {
      const vehicle = this.vehicles[index];
      if (vehicle && config.pluggedIn !== false)
        this.tryApply(() => applyVehiclePatch(this.eventContext, vehicle, { pluggedIn: config.pluggedIn }, this.current));
      if (vehicle && config.state === 'asleep') vehicle.sleepNow();
    });
    this.schedule = new EventSchedule(scenario.events, this.current, this.timeZone);
  }

  /** Simulated time the world has reached. */
  get time(): number {
    return this.current;
  }

  private get eventContext(): VehicleEventContext {
    return { env: this.env, homeWallConnector: (v, din) => this.homeWallConnector(v, din) };
  }

  /** Runs the model up to `target` (default: the clock's now). Never goes backwards. */
  advanceTo(target = this.clock.now()): void {
    const env = this.env;
    this.fireDue();
    while (this.current < target) {
      const t = this.current;
      // Settle first: what happens at t may schedule the next change (a charge starting in 10 s).
      for (const site of this.sites) site.settle(t);
      for (const vehicle of this.vehicles) vehicle.settle(t, env);
      const gridNext = Math.floor(t / GRID_MS) * GRID_MS + GRID_MS;
      let next = Math.min(target, gridNext, this.schedule.nextTime());
      for (const vehicle of this.vehicles) next = Math.min(next, vehicle.nextTransition());
      for (const site of this.sites) next = Math.min(next, site.nextTransition());
      if (next <= t) next = Math.min(target, gridNext);
      const evW = this.sites.map((site) => this.wallConnectorDraw(site));
      for (const vehicle of this.vehicles) vehicle.advance(t, next, env);
      for (const [index, site] of this.sites.entries()) site.advance(t, next, evW[index] ?? 0);
      this.current = next;
      this.fireDue();
    }
    for (const site of this.sites) site.settle(this.current);
    for (const vehicle of this.vehicles) vehicle.settle(this.current, env);
  }

  private fireDue(): void {
    for (const { event, at } of this.schedule.takeDue(this.current)) {
      this.tryApply(() => this.apply(event, at));
    }
  }

  private tryApply(action: () => void): void {
    try {
      action();
    } catch (error) {
      if (!(error instanceof WorldError)) throw error;
      this.problems.push({ at: this.current, message: error.message });
      if (this.problems.length > 100) this.problems.shift();
      this.log?.warn(`scripted event skipped: ${error.message}`);
    }
  }

  /** Makes an event happen now (after advancing to now). Throws WorldError when it cannot. */
  runEvent(event: ScenarioEvent): void {
    this.advanceTo();
    this.apply(event, this.current);
  }

  patchVehicle(vin: string, patch: VehiclePatch): Vehicle {
    this.advanceTo();
    const vehicle = this.requireVehicle(vin);
    applyVehiclePatch(this.eventContext, vehicle, patch, this.current);
    return vehicle;
  }

  patchSite(id: string, patch: SitePatch): EnergySite {
    this.advanceTo();
    const site = this.requireSite(id);
    applySitePatch(site, patch, this.current);
    return site;
  }

  private apply(event: ScenarioEvent, at: number): void {
    if (isVehicleEvent(event)) {
      const vehicle = event.vehicle === undefined ? this.vehicles[0] : this.vehicle(event.vehicle);
      if (!vehicle) throw new WorldError(`no vehicle ${event.vehicle ?? ''} for a ${event.type} event`);
      applyVehicleEvent(this.eventContext, vehicle, event, at);
    } else {
      const site = event.site === undefined ? this.sites[0] : this.site(event.site);
      if (!site) throw new WorldError(`no energy site ${event.site ?? ''} for a ${event.type} event`);
      applySiteEvent(site, event, at);
    }
  }

  /** A car by VIN or numeric id (the Fleet API's {vehicle_tag}). */
  vehicle(tag: string): Vehicle | undefined {
    return this.vehicles.find((v) => v.vin === tag || String(v.id) === tag);
  }

  site(id: string): EnergySite | undefined {
    return this.sites.find((site) => site.id === id);
  }

  requireVehicle(tag: string): Vehicle {
    const vehicle = this.vehicle(tag);
    if (!vehicle) throw new WorldError(`no vehicle ${tag}`);
    return vehicle;
  }

  requireSite(id: string): EnergySite {
    const site = this.site(id);
    if (!site) throw new WorldError(`no energy site ${id}`);
    return site;
  }

  accountByEmail(email: string): Account | undefined {
    return this.accounts.find((a) => a.email === email);
  }

  accountById(id: string): Account | undefined {
    return this.accounts.find((a) => a.id === id);
  }

  /** The car plugged into a Wall Connector, if any. */
  vehicleOn(din: string): Vehicle | undefined {
    return this.vehicles.find((v) => v.state.plug?.wallConnectorDin === din);
  }

  siteOfWallConnector(din: string): EnergySite | undefined {
    return this.sites.find((site) => site.wallConnectors.some((wc) => wc.din === din));
  }

  private homeWallConnector(v: Vehicle, din?: string): { din: string; voltage: number; phases: number; maxAmps: number } | undefined {
    const all = this.sites.flatMap((site) => site.wallConnectors.map((wc) => ({ site, wc })));
    if (din !== undefined) return all.find(({ wc }) => wc.din === din)?.wc;
    const own = all.filter(({ site }) => site.account === v.account);
    const free = own.find(({ wc }) => {
      const user = this.vehicleOn(wc.din);
      return user === undefined || user === v;
    });
    return (free ?? own[0])?.wc;
  }

  /** What a site's Wall Connectors draw right now, W. */
  wallConnectorDraw(site: EnergySite): number {
    let total = 0;
    for (const wc of site.wallConnectors) total += this.vehicleOn(wc.din)?.wallConnectorPowerW(wc.din) ?? 0;
    return total;
  }

  /** The flows live_status shows now (call advanceTo first). */
  siteFlows(site: EnergySite): Flows {
    return site.flowsAt(this.current, this.wallConnectorDraw(site));
  }

  /** A JSON-safe picture of everything, for GET /__sim/world and debugging. */
  snapshot(): Record<string, unknown> {
    return worldSnapshot(this, this.schedule.upcoming());
  }
}
