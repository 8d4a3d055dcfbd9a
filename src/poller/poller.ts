import type { TokenManager } from '../auth/token-manager.js';
import type { Config } from '../config/schema.js';
import type { Clock, Timer } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { FleetClient } from '../fleet/client.js';
import { describeFleetError } from '../fleet/errors.js';
import { listProducts } from '../fleet/products.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import type { JsonStore } from '../storage/json-store.js';
import { BatteryEstimator } from './battery-estimator.js';
import type { BatteryFile } from './battery-store.js';
import { SiteRunner } from './site-runner.js';
import { RequestLimiter } from './limiter.js';
import { isPre2021ModelSX } from '../model/vin.js';
import type { BudgetMode } from './budget.js';
import type { Decision, PolicyConfig } from './vehicle-policy.js';
import { toConnection, vehicleEndpoints, VehicleRunner } from './vehicle-runner.js';

export interface PollerDeps {
  fleet: FleetClient;
  registry: DeviceRegistry;
  naming: DeviceNaming;
  tokens: TokenManager;
  bus: EventBus<DaemonEvents>;
  clock: Clock;
  log: Logger;
  polling: Config['polling'];
  /** The API budget's current word. */
  budget: () => BudgetMode;
  /** Fleet Telemetry's current word on a car (undefined: telemetry is off); it changes with telemetry.status events. */
  streaming?: (vin: string) => { streaming: boolean; reason: string } | undefined;
  /** Where the battery estimate keeps what it learned (polling.vehicle.estimate_battery). */
  batteryStore?: JsonStore<BatteryFile> | undefined;
  /** Energy site requests in flight at once (default SITE_REQUESTS_IN_FLIGHT). */
  siteRequestsInFlight?: number;
}

const PRODUCTS_EVERY_MS = 60 * 60_000;
/** Energy site requests in flight at once: a steady trickle, and room for a few slow sites. */
export const SITE_REQUESTS_IN_FLIGHT = 8;

/**
 * Finds the account's cars and sites (products, free of charge) and keeps one runner per device.
 * Polling pauses while the account needs a login, and resumes with the next one.
 */
export class Poller implements Service {
  readonly name = 'poller';
  private readonly vehicles = new Map<string, VehicleRunner>();
  private readonly sites = new Map<string, SiteRunner>();
  private timer: Timer | undefined;
  private stopped = false;
  private limiter: RequestLimiter;
  private readonly deps: PollerDeps;
  private readonly battery: BatteryEstimator | undefined;

  constructor(deps: PollerDeps) {
    this.deps = deps;
    this.battery = deps.polling.vehicle.estimate_battery
      ? new BatteryEstimator({ registry: deps.registry, clock: deps.clock, log: deps.log.child('battery'), store: deps.batteryStore })
      : undefined;
    this.limiter = new RequestLimiter(deps.siteRequestsInFlight ?? SITE_REQUESTS_IN_FLIGHT);
  }

  async start(): Promise<void> {
    const { bus } = this.deps;
    bus.on(this, 'auth.tokens', (event) => {
      if (event.via === 'login' && this.automatic) void this.sync();
    });
    bus.on(this, 'devices.refresh', () => void this.sync().then(() => this.refreshAll()));
    bus.on(this, 'auth.login_required', () => this.pause());
    bus.on(this, 'telemetry.status', (event) => {
      if (event.streaming) this.battery?.clear(event.vin);
      this.vehicles.get(event.vin)?.setStreaming(event.streaming, event.reason);
    });
    bus.on(this, 'device.refresh', (ref) => {
      if (ref.kind === 'vehicle') this.vehicles.get(ref.id)?.refresh();
      else if (ref.kind === 'energy_site') this.sites.get(ref.id)?.refresh();
    });
    if (this.automatic && this.deps.tokens.state().kind === 'ok') void this.sync();
  }

  /** polling.enabled: false is manual mode: nothing is called unless someone asks. */
  private get automatic(): boolean {
    return this.deps.polling.enabled;
  }

  private refreshAll(): void {
    for (const runner of this.vehicles.values()) runner.refresh();
    for (const runner of this.sites.values()) runner.refresh();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.pause();
    this.deps.bus.removeOwner(this);
  }

  /** The decision behind a car's next poll, for logs and the web page. */
  vehicleDecision(vin: string): Decision | undefined {
    return this.vehicles.get(vin)?.decision;
  }

  private pause(): void {
    for (const runner of this.vehicles.values()) runner.stop();
    for (const runner of this.sites.values()) runner.stop();
    this.vehicles.clear();
    this.sites.clear();
    // Requests waiting for a turn are turned away; a new limiter serves the runners of the next login.
    this.limiter.close();
    this.limiter = new RequestLimiter(this.limiter.max);
  }

  /** Reads products and brings the registry and the runners in line with them. */
  async sync(): Promise<void> {
    if (this.stopped) return;
    this.timer?.cancel();
    if (this.automatic) this.timer = this.deps.clock.setTimeout(() => void this.sync(), PRODUCTS_EVERY_MS);
    const { fleet, registry, naming, log } = this.deps;
    const products = await listProducts(fleet);
    if (!products.ok) {
      log.warn(`could not list the account's products: ${describeFleetError(products.error)}`);
      return;
    }
    const vins = new Set<string>();
    for (const summary of products.value.vehicles) {
      if (!naming.usesVehicle(summary.vin)) continue;
      vins.add(summary.vin);
      registry.updateVehicle(summary.vin, (v) => {
        v.summary = summary;
        if (summary.state) v.connection = toConnection(summary.state);
      });
      if (!this.vehicles.has(summary.vin)) this.startVehicle(summary.vin);
    }
    const siteIds = new Set<string>();
    for (const summary of products.value.energySites) {
      const id = summary.energy_site_id;
      if (!naming.usesSite(id)) continue;
      siteIds.add(id);
      registry.updateSite(id, (s) => void (s.summary = summary));
      if (!this.sites.has(id)) this.startSite(id);
    }
    for (const vehicle of registry.vehicles()) {
      if (vins.has(vehicle.vin)) continue;
      this.vehicles.get(vehicle.vin)?.stop();
      this.vehicles.delete(vehicle.vin);
      registry.remove({ kind: 'vehicle', id: vehicle.vin });
    }
    for (const site of registry.sites()) {
      if (siteIds.has(site.id)) continue;
      this.sites.get(site.id)?.stop();
      this.sites.delete(site.id);
      registry.remove({ kind: 'energy_site', id: site.id });
    }
    for (const connector of registry.wallConnectors()) {
      if (!siteIds.has(connector.siteId)) registry.remove({ kind: 'wall_connector', id: connector.din });
    }
    log.info(`account has ${vins.size} vehicle${vins.size === 1 ? '' : 's'} and ${siteIds.size} energy site${siteIds.size === 1 ? '' : 's'} in use`);
  }

  private policyConfig(vin: string): PolicyConfig {
    const { vehicle } = this.deps.polling;
    return {
      asleepCheck: vehicle.asleep_check,
      onlineIdle: vehicle.online_idle,
      chargingMax: vehicle.charging,
      chargingMin: vehicle.charging_min,
      driving: vehicle.driving,
      suspendWindow: vehicle.suspend_window,
      pre2021QuietWindow: vehicle.pre2021_quiet_window,
      stateCallBilled: vehicle.state_call_billed,
      pre2021: isPre2021ModelSX(vin),
      budget: this.deps.budget(),
    };
  }

  private startVehicle(vin: string): void {
    const runner = new VehicleRunner({
      vin,
      automatic: this.deps.polling.enabled,
      fleet: this.deps.fleet,
      registry: this.deps.registry,
      clock: this.deps.clock,
      log: this.deps.log.child('vehicle'),
      config: () => this.policyConfig(vin),
      endpoints: () => {
        const state = this.deps.tokens.state();
        return vehicleEndpoints(state.kind === 'ok' && state.scopes.includes('vehicle_location'));
      },
      ...(this.battery ? { onData: (data: Record<string, unknown>) => this.battery?.reading(vin, data) } : {}),
    });
    this.vehicles.set(vin, runner);
    const stream = this.deps.streaming?.(vin);
    if (stream?.streaming) runner.setStreaming(true, stream.reason);
    runner.start();
  }

  /** A free reading from a Wall Connector: fresh charging power for the car, and a signal to its runner. */
  private onWallConnector(vin: string, powerW: number, din: string): void {
    if (!this.deps.registry.vehicle(vin)) return;
    const at = this.deps.clock.now();
    this.deps.registry.updateVehicle(vin, (v) => void (v.wallConnector = { din, powerW, at }));
    const runner = this.vehicles.get(vin);
    // A streaming car reports its own battery level; the estimate is for polled cars.
    if (runner && !runner.streaming) this.battery?.power(vin, powerW);
    runner?.wallConnector(powerW);
  }

  private startSite(id: string): void {
    const runner = new SiteRunner({
      siteId: id,
      automatic: this.deps.polling.enabled,
      fleet: this.deps.fleet,
      registry: this.deps.registry,
      clock: this.deps.clock,
      log: this.deps.log.child('energy'),
      cadence: { ...this.deps.polling.energy },
      onWallConnector: (vin, powerW, din) => this.onWallConnector(vin, powerW, din),
      onProblem: (message) => this.deps.bus.emit('bridge.event', { type: 'device_problem', device: `energy_site.${id}`, message }),
      limiter: this.limiter,
    });
    this.sites.set(id, runner);
    runner.start();
  }
}
