import type { Clock, Timer } from '../core/clock.js';
import { Backoff } from '../core/backoff.js';
import type { Logger } from '../core/logger.js';
import type { FleetClient } from '../fleet/client.js';
import { getCalendarHistory, getLiveStatus, getSiteInfo } from '../fleet/energy.js';
import { describeFleetError, type FleetError } from '../fleet/errors.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import { applyHistory, integrateLive, sumDaySeries } from '../model/energy-totals.js';
import { at, bool, num, str } from '../model/read.js';
import { LimiterClosed, type RequestLimiter } from './limiter.js';
import { nextSlot, phaseOf } from './phase.js';

export interface SiteCadence {
  /** seconds */
  live: number;
  info: number;
  history: number;
}

export interface SiteRunnerDeps {
  siteId: string;
  /** false: poll only when refresh() is called. */
  automatic: boolean;
  fleet: FleetClient;
  registry: DeviceRegistry;
  clock: Clock;
  log: Logger;
  cadence: SiteCadence;
  /** A problem worth telling the user about (a stale site), besides the log. */
  onProblem?: (message: string) => void;
  /** A car's charging power at a Wall Connector, as live_status reports it (0 when it left). */
  onWallConnector?: (vin: string, powerW: number, din: string) => void;
  /** Shared by all runners: bounds the Fleet requests in flight. */
  limiter?: RequestLimiter;
}

/** A site whose site_info fails with 404 or 500 is likely stale or deactivated: asked again only slowly. */
const STALE_RETRY_MS = 30 * 60_000;

type Stream = 'live' | 'info' | 'history';

/**
 * Polls one energy site: live_status (with its Wall Connectors), site_info and calendar_history
 * each on its own cadence, each with its own backoff, so a failing stream never blocks the others
 * or another site. Energy endpoints are free of charge. After the first reading each stream keeps
 * to the site's own place in its interval (see phase.ts), so many sites spread over the interval.
 */
export class SiteRunner {
  private readonly timers = new Map<Stream, Timer>();
  /** Which car each Wall Connector last reported, to notice the car leaving. */
  private readonly carAt = new Map<string, string>();
  private readonly backoffs = new Map<Stream, Backoff>();
  /** When each stream's latest request began. */
  private readonly startedAt = new Map<Stream, number>();
  private stopped = false;
  private readonly deps: SiteRunnerDeps;

  constructor(deps: SiteRunnerDeps) {
    this.deps = deps;
  }

  start(): void {
    if (!this.deps.automatic) return;
    this.poll();
  }

  refresh(): void {
    if (this.deps.automatic) void this.run('live');
    else this.poll();
  }

  private poll(): void {
    // Info first: it says whether the site has a battery, solar and Wall Connectors.
    void this.run('info').then(() => {
      void this.run('live');
      void this.run('history');
    });
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) timer.cancel();
  }

  private schedule(stream: Stream, delayMs: number): void {
    if (this.stopped || !this.deps.automatic) return;
    this.timers.get(stream)?.cancel();
    this.timers.set(
      stream,
      this.deps.clock.setTimeout(() => void this.run(stream), delayMs),
    );
  }

  private async run(stream: Stream): Promise<void> {
    if (this.stopped) return;
    const started = this.deps.clock.now();
    this.startedAt.set(stream, started);
    let error: FleetError | undefined;
    try {
      error = await this.fetch(stream);
    } catch (thrown) {
      if (thrown instanceof LimiterClosed) return;
      throw thrown;
    }
    // A stop during the request is quiet: the answer (or the aborted request) no longer matters.
    if (this.stopped) return;
    const backoff = this.backoffs.get(stream) ?? new Backoff({ initialMs: 30_000, maxMs: 30 * 60_000 });
    this.backoffs.set(stream, backoff);
    if (!error) {
      backoff.reset();
      const interval = this.deps.cadence[stream] * 1000;
      const now = this.deps.clock.now();
      this.schedule(stream, nextSlot(now, phaseOf(`${this.deps.siteId}:${stream}`, interval), interval, started) - now);
      return;
    }
    let wait = error.kind === 'rateLimited' && error.retryAfterS !== undefined ? error.retryAfterS * 1000 : backoff.next();
    if (stream === 'info' && (error.kind === 'notFound' || (error.kind === 'transient' && error.status === 500))) {
      wait = STALE_RETRY_MS;
      const message = `energy site ${this.deps.siteId} answers site_info with ${error.kind === 'notFound' ? '404' : '500'}: it may be stale or deactivated in the Tesla account; asking again in 30 minutes`;
      this.deps.log.warn(message);
      this.deps.onProblem?.(message);
    } else {
      this.deps.log.warn(`energy site ${this.deps.siteId} ${stream} failed: ${describeFleetError(error)}; next try in ${Math.round(wait / 1000)} s`);
    }
    this.schedule(stream, wait);
  }

  /** One stream's request, in its turn when the poller limits the requests in flight. */
  private fetch(stream: Stream): Promise<FleetError | undefined> {
    const call = (): Promise<FleetError | undefined> =>
      this.stopped ? Promise.resolve(undefined) : stream === 'live' ? this.live() : stream === 'info' ? this.info() : this.history();
    return this.deps.limiter ? this.deps.limiter.run(call) : call();
  }

  private hasHistory(): boolean {
    const info = this.deps.registry.site(this.deps.siteId)?.info;
    return bool(at(info, 'components.battery')) === true || bool(at(info, 'components.solar')) === true;
  }

  private async live(): Promise<FleetError | undefined> {
    const { siteId, fleet, registry, clock } = this.deps;
    const result = await getLiveStatus(fleet, siteId);
    if (!result.ok) return result.error;
    const now = clock.now();
    const live = result.value;
    const integrate = !this.hasHistory();
    registry.updateSite(siteId, (site) => {
      site.live = live;
      site.liveAt = now;
      if (integrate) {
        const next = integrateLive(site.totals ? { totals: site.totals, book: site.energyBook ?? {} } : undefined, live, now);
        site.totals = next.totals;
        site.energyBook = next.book;
      }
    });
    const connectors = Array.isArray(live.wall_connectors) ? (live.wall_connectors as Record<string, unknown>[]) : [];
    for (const connector of connectors) {
      const din = str(connector.din);
      if (!din) continue;
      registry.updateWallConnector(din, siteId, (wc) => {
        wc.live = connector;
        wc.liveAt = now;
      });
      const vin = str(connector.vin) || undefined;
      const previous = this.carAt.get(din);
      if (previous && previous !== vin) this.deps.onWallConnector?.(previous, 0, din);
      if (vin) {
        this.carAt.set(din, vin);
        this.deps.onWallConnector?.(vin, num(connector.wall_connector_power) ?? 0, din);
      } else {
        this.carAt.delete(din);
      }
    }
    return undefined;
  }

  private async info(): Promise<FleetError | undefined> {
    const { siteId, fleet, registry, clock } = this.deps;
    const result = await getSiteInfo(fleet, siteId);
    if (!result.ok) return result.error;
    registry.updateSite(siteId, (site) => {
      site.info = result.value;
      site.infoAt = clock.now();
    });
    const connectors = at(result.value, 'components.wall_connectors');
    if (Array.isArray(connectors)) {
      for (const component of connectors as Record<string, unknown>[]) {
        const din = str(component.din);
        if (din) registry.updateWallConnector(din, siteId, (wc) => void (wc.info = component));
      }
    }
    return undefined;
  }

  private async history(): Promise<FleetError | undefined> {
    if (!this.hasHistory()) return undefined;
    const { siteId, fleet, registry } = this.deps;
    const timeZone = str(at(registry.site(siteId)?.info, 'installation_time_zone')) ?? undefined;
    const today = await getCalendarHistory(fleet, siteId, { period: 'day', ...(timeZone ? { time_zone: timeZone } : {}) });
    if (!today.ok) return today.error;
    const series = today.value.time_series;
    const first = str(series[0]?.timestamp);
    if (!first) return undefined;
    const day = first.slice(0, 10);
    const site = registry.site(siteId);
    let yesterdayFinal: Record<string, number> | undefined;
    if (site?.energyBook?.day !== undefined && site.energyBook.day !== day) {
      // A new day: yesterday's final figures close the gap since the last reading.
      const end = new Date(Date.parse(first) - 1000).toISOString();
      const yesterday = await getCalendarHistory(fleet, siteId, { period: 'day', end_date: end, ...(timeZone ? { time_zone: timeZone } : {}) });
      if (yesterday.ok) yesterdayFinal = sumDaySeries(yesterday.value.time_series);
    }
    registry.updateSite(siteId, (s) => {
      const next = applyHistory(s.totals ? { totals: s.totals, book: s.energyBook ?? {} } : undefined, day, sumDaySeries(series), yesterdayFinal);
      s.totals = next.totals;
      s.energyBook = next.book;
    });
    return undefined;
  }
}
