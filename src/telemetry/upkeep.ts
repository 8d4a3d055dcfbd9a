import type { Clock, Timer } from '../core/clock.js';
import { errorMessage, UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { JsonStore } from '../storage/json-store.js';
import type { TelemetryConfig } from './config-schema.js';
import type { CarReport, TelemetryConfigurator } from './configurator.js';
import type { Verdict } from './explain.js';
import type { TelemetryError } from './partner-errors.js';
import type { TelemetryFile } from './store.js';
import type { VehicleTelemetryConfig } from './vehicle-config.js';

export interface UpkeepDeps {
  /** Undefined when set-up is incomplete; `setupProblem` then says what is missing. */
  configurator: TelemetryConfigurator | undefined;
  setupProblem: string | undefined;
  store: JsonStore<TelemetryFile>;
  config: TelemetryConfig;
  /** The cars in use. */
  vins: () => string[];
  clock: Clock;
  log: Logger;
  /** The outcome for one car: its configuration's verdict and the errors Tesla lists for it. */
  report: (vin: string, verdict: Verdict, errors: readonly TelemetryError[]) => void;
}

/** Verdicts the daemon mends by pushing the configuration from config.yaml. */
const PUSH_FOR = new Set(['no_config', 'other_request', 'expired']);

/**
 * Keeps every car's configuration in order while the daemon runs: checks each car every
 * `check_interval` (GET config and the partner error list, both free), pushes the configuration
 * where a car has none, an outdated one, or one that ends within `renew_before` (re-signed with a
 * new `exp`), and leaves alone the cars the owner removed with "teslahub telemetry remove".
 */
export class TelemetryUpkeep {
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly deps: UpkeepDeps;

  constructor(deps: UpkeepDeps) {
    this.deps = deps;
  }

  start(): void {
    this.stopped = false;
    this.soon(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.running;
  }

  /** Checks again shortly (a car appeared, or a live message showed a configuration was just adopted). */
  soon(delayMs = 5_000): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.timer = this.deps.clock.setTimeout(() => {
      this.running = this.checkAll()
        .catch((error: unknown) => this.deps.log.warn(`streaming check failed: ${errorMessage(error)}`))
        .finally(() => {
          this.running = undefined;
          this.soon(this.deps.config.check_interval * 1000);
        });
    }, delayMs);
  }

  async checkAll(): Promise<void> {
    const { configurator, store, log, report } = this.deps;
    const vins = this.deps.vins();
    if (vins.length === 0) return;
    if (!configurator) {
      const problem = this.deps.setupProblem ?? 'streaming is not set up';
      for (const vin of vins) report(vin, { ok: false, code: 'no_config', message: problem, fix: 'fill in the telemetry: section of config.yaml' }, []);
      return;
    }
    await store.reload();
    let wanted: VehicleTelemetryConfig;
    try {
      wanted = await configurator.wanted();
    } catch (error) {
      const fix = error instanceof UserError && error.fix ? error.fix : 'check the telemetry: section of config.yaml';
      for (const vin of vins) report(vin, { ok: false, code: 'no_config', message: errorMessage(error), fix }, []);
      return;
    }
    const errors = await configurator.errorList();
    if ('problem' in errors) log.debug(`streaming error list not read: ${errors.problem}`);
    const toPush: string[] = [];
    for (const vin of vins) {
      if (store.data.removed.includes(vin)) {
        report(
          vin,
          {
            ok: false,
            code: 'no_config',
            message: 'streaming was removed for this car ("teslahub telemetry remove")',
            fix: `run "teslahub telemetry configure ${vin}" to stream again`,
          },
          [],
        );
        continue;
      }
      const checked = await configurator.check(vin, wanted, errors);
      // A failed read says nothing about the car: the last finding stands until the next check.
      if (!checked.current) {
        log.debug(`streaming check of ${vin} skipped: ${checked.verdict.message}`);
        continue;
      }
      if (this.needsPush(checked)) toPush.push(vin);
      else report(vin, checked.configVerdict ?? checked.verdict, checked.errors);
    }
    if (toPush.length === 0) return;
    try {
      const reports = await configurator.configure(toPush);
      for (const r of reports) {
        log.info(`sent the streaming configuration to ${r.vin}: ${r.verdict.message}`);
        report(r.vin, r.configVerdict ?? r.verdict, r.errors);
      }
    } catch (error) {
      log.warn(`could not send the streaming configuration to ${toPush.join(', ')}: ${errorMessage(error)}`);
      for (const vin of toPush) report(vin, { ok: false, code: 'no_config', message: errorMessage(error), fix: 'it is tried again at the next check' }, []);
    }
  }

  private needsPush(report: CarReport): boolean {
    const verdict = report.configVerdict;
    if (!report.current || !verdict) return false;
    if (!verdict.ok) return PUSH_FOR.has(verdict.code);
    const exp = report.current.config?.exp;
    const nowS = this.deps.clock.now() / 1000;
    return typeof exp === 'number' && exp - nowS < this.deps.config.renew_before;
  }
}
