import type { Clock } from './clock.js';
import { errorMessage } from './errors.js';
import type { Logger } from './logger.js';

/** A long-lived part of the daemon. `stop()` must be idempotent and safe after a failed start. */
export interface Service {
  readonly name: string;
  start(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

export interface StopReport {
  /** True when every service stopped within its time and without an error. */
  clean: boolean;
  failures: { service: string; reason: string }[];
}

export interface LifecycleOptions {
  clock: Clock;
  log: Logger;
  /** Time each service gets to stop before it is abandoned. */
  serviceStopTimeoutMs?: number;
  /** Time the whole shutdown may take; later services are abandoned once it is spent. */
  totalStopTimeoutMs?: number;
}

/**
 * Starts services in the order they were added and stops them in reverse, each stop bounded in
 * time, so a wedged component can delay shutdown by seconds but never hang it.
 */
export class Lifecycle {
  private readonly services: Service[] = [];
  private started: Service[] = [];
  private readonly abort = new AbortController();
  private stopping: Promise<StopReport> | undefined;

  private readonly options: LifecycleOptions;

  constructor(options: LifecycleOptions) {
    this.options = options;
  }

  add(service: Service): this {
    this.services.push(service);
    return this;
  }

  /** Adds a service that starts before all others and stops after them. */
  prepend(service: Service): this {
    this.services.unshift(service);
    return this;
  }

  /** Starts every service. If one fails, the ones already started are stopped and the error rethrown. */
  async start(): Promise<void> {
    for (const service of this.services) {
      if (this.abort.signal.aborted) break;
      this.options.log.debug('starting', { service: service.name });
      this.started.push(service);
      try {
        await service.start(this.abort.signal);
      } catch (error) {
        this.options.log.debug('start failed, stopping what started', {
          service: service.name,
          error: errorMessage(error),
        });
        await this.stop();
        throw error;
      }
    }
  }

  /** Stops started services in reverse order. Calling it again returns the same report. */
  stop(): Promise<StopReport> {
    this.stopping ??= this.runStop();
    return this.stopping;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  private async runStop(): Promise<StopReport> {
    this.abort.abort(new Error('shutting down'));
    const { clock, log } = this.options;
    const perService = this.options.serviceStopTimeoutMs ?? 3000;
    const deadline = clock.now() + (this.options.totalStopTimeoutMs ?? 4000);
    const failures: StopReport['failures'] = [];
    for (const service of [...this.started].reverse()) {
      const budget = Math.min(perService, deadline - clock.now());
      if (budget <= 0) {
        failures.push({ service: service.name, reason: 'not stopped: shutdown time spent' });
        continue;
      }
      const outcome = await withTimeout(clock, service.stop(), budget);
      if (outcome.kind === 'timeout') {
        failures.push({ service: service.name, reason: `did not stop within ${budget} ms` });
      } else if (outcome.kind === 'error') {
        failures.push({ service: service.name, reason: errorMessage(outcome.error) });
      }
    }
    this.started = [];
    for (const failure of failures) log.warn('service did not stop cleanly', failure);
    return { clean: failures.length === 0, failures };
  }
}

type Outcome = { kind: 'ok' } | { kind: 'timeout' } | { kind: 'error'; error: unknown };

async function withTimeout(clock: Clock, work: Promise<void>, ms: number): Promise<Outcome> {
  let timer: { cancel(): void } | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = clock.setTimeout(() => resolve({ kind: 'timeout' }), ms);
  });
  const done = work.then(
    (): Outcome => ({ kind: 'ok' }),
    (error: unknown): Outcome => ({ kind: 'error', error }),
  );
  try {
    return await Promise.race([done, timeout]);
  } finally {
    timer?.cancel();
  }
}
