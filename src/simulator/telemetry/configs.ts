/**
 * What Tesla's side knows about Fleet Telemetry configurations: per car,
 * the configuration each app pushed, whether the car has adopted it, the app limit per car, and
 * the errors cars reported per app. The HTTP routes change it; the fleet-telemetry server role
 * reads it to know what to stream, and reports connection errors into it.
 */

export interface CarConfig {
  clientId: string;
  /** The verified token's claims: the configuration plus aud, iss (and exp). */
  claims: Record<string, unknown>;
  pushedAt: number;
  /** The car has adopted it (it does when it is next awake and connected). */
  synced: boolean;
}

export interface ReportedError {
  vin: string;
  name: string;
  error: string;
  at: number;
}

/** Over the app limit Tesla answers the push with success but keeps no config. */
export const DEFAULT_MAX_APPS = 3;
/** How long an awake car takes to pick up a new configuration. */
export const SYNC_DELAY_MS = 20_000;
const MAX_ERRORS = 50;

export class TelemetryConfigs {
  maxApps = DEFAULT_MAX_APPS;
  /** How long an awake car takes to adopt a pushed configuration (tests in real time set 0). */
  syncDelayMs = SYNC_DELAY_MS;
  /** Configurations of other apps (not simulated beyond taking a slot). */
  private readonly otherApps = new Map<string, number>();
  private readonly configs = new Map<string, Map<string, CarConfig>>();
  /** Pushes refused over the app limit: GET then says config null, limit_reached. */
  private readonly refused = new Map<string, Set<string>>();
  private readonly errors = new Map<string, ReportedError[]>();

  /** Test control: how many other apps stream from a car. */
  setOtherApps(vin: string, count: number): void {
    this.otherApps.set(vin, Math.max(0, Math.floor(count)));
  }

  /** Stores a push; false when the car is full (the push still "succeeds", as Tesla's does). */
  put(vin: string, clientId: string, claims: Record<string, unknown>, now: number): boolean {
    const apps = this.configs.get(vin) ?? new Map<string, CarConfig>();
    const used = (this.otherApps.get(vin) ?? 0) + [...apps.keys()].filter((id) => id !== clientId).length;
    if (used >= this.maxApps) {
      const refused = this.refused.get(vin) ?? new Set<string>();
      refused.add(clientId);
      this.refused.set(vin, refused);
      apps.delete(clientId);
      return false;
    }
    this.refused.get(vin)?.delete(clientId);
    apps.set(clientId, { clientId, claims, pushedAt: now, synced: false });
    this.configs.set(vin, apps);
    return true;
  }

  get(vin: string, clientId: string): CarConfig | undefined {
    return this.configs.get(vin)?.get(clientId);
  }

  isRefused(vin: string, clientId: string): boolean {
    return this.refused.get(vin)?.has(clientId) ?? false;
  }

  remove(vin: string, clientId: string): boolean {
    const had = this.configs.get(vin)?.delete(clientId) ?? false;
    const refused = this.refused.get(vin)?.delete(clientId) ?? false;
    return had || refused;
  }

  /** Every stored configuration of a car (any app). */
  forCar(vin: string): CarConfig[] {
    return [...(this.configs.get(vin)?.values() ?? [])];
  }

  /** The car is awake and connected to Tesla: configurations pushed a moment ago are adopted. */
  adoptPending(vin: string, now: number): void {
    for (const config of this.configs.get(vin)?.values() ?? []) {
      if (!config.synced && now >= config.pushedAt + this.syncDelayMs) config.synced = true;
    }
  }

  report(clientId: string, error: ReportedError): void {
    const list = (this.errors.get(clientId) ?? []).filter((e) => !(e.vin === error.vin && e.error === error.error));
    list.push(error);
    while (list.length > MAX_ERRORS) list.shift();
    this.errors.set(clientId, list);
  }

  /** A car connected fine: its earlier errors are no longer recent. */
  clearErrors(clientId: string, vin: string): void {
    const list = this.errors.get(clientId);
    if (list)
      this.errors.set(
        clientId,
        list.filter((e) => e.vin !== vin),
      );
  }

  errorsFor(clientId: string): ReportedError[] {
    return [...(this.errors.get(clientId) ?? [])];
  }
}
