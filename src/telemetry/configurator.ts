import type { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import type { FleetClient } from '../fleet/client.js';
import { describeFleetError } from '../fleet/errors.js';
import { loadPrivateKey } from '../signing/keys.js';
import type { JsonStore } from '../storage/json-store.js';
import type { TelemetryConfig } from './config-schema.js';
import { type CarTelemetryConfig, deleteConfig, pushConfig, readConfig } from './endpoints.js';
import { explainConfig, explainErrors, explainSkip, type Verdict } from './explain.js';
import { signTeslaJws } from './jws.js';
import type { PartnerErrors, TelemetryError } from './partner-errors.js';
import type { TelemetryFile } from './store.js';
import { receiverPaths } from './receiver/paths.js';
import { buildVehicleConfig, issuerChain, readCaChain, setupProblems, type VehicleTelemetryConfig } from './vehicle-config.js';

export interface ConfiguratorDeps {
  fleet: FleetClient;
  config: TelemetryConfig;
  /** tesla.domain: names the virtual key in the pairing link. */
  domain: string | undefined;
  /** The config file's folder, for a relative telemetry.ca. */
  configDir: string;
  privateKeyPath: string;
  store: JsonStore<TelemetryFile>;
  /** Undefined when the app's client credentials are not configured. */
  errors: PartnerErrors | undefined;
  clock: Pick<Clock, 'now'>;
}

/** One car after configure, status or remove. */
export interface CarReport {
  vin: string;
  /** The configuration was sent to Tesla for this car (and not skipped). */
  pushed: boolean;
  verdict: Verdict;
  /** The verdict on the configuration alone, errors aside (a live stream outweighs old errors). */
  configVerdict?: Verdict;
  /** What the car reported after taking the configuration. */
  errors: TelemetryError[];
  /** The car's configuration as GET showed it. */
  current?: CarTelemetryConfig;
  /** Why the error list could not be read (it then says nothing about this car). */
  errorsProblem?: string;
}

/**
 * Sets cars up for streaming and reads back how that went: builds the configuration from
 * `telemetry:`, signs it with the fleet key (Tesla.SS256), pushes it with
 * fleet_telemetry_config_jws, and checks each car with GET (synced, config, key_paired) and the
 * partner error list. The CLI and the daemon's upkeep both use it.
 */
export class TelemetryConfigurator {
  private readonly deps: ConfiguratorDeps;

  constructor(deps: ConfiguratorDeps) {
    this.deps = deps;
  }

  private get context(): { domain: string; nowS: number } {
    return { domain: this.deps.domain ?? '<your domain>', nowS: Math.floor(this.deps.clock.now() / 1000) };
  }

  /** The configuration config.yaml asks for, valid from now. Throws UserError when set-up is missing. */
  async wanted(): Promise<VehicleTelemetryConfig> {
    const problems = setupProblems(this.deps.config, this.deps.domain);
    if (problems.length > 0) {
      const [first, ...rest] = problems;
      throw new UserError(
        `streaming is not set up: ${[first, ...rest].join('; ')}`,
        'fill in the telemetry: section of config.yaml (see config.example.yaml and the README)',
      );
    }
    const { config, configDir } = this.deps;
    // With the built-in receiver the chain that issued its certificate is known: the full chain file.
    const ca =
      config.ca === undefined && config.source === 'builtin'
        ? await issuerChain(receiverPaths(config, configDir).cert)
        : await readCaChain(config.ca ?? '', configDir);
    return buildVehicleConfig(this.deps.config, ca, this.deps.clock.now());
  }

  /** Signs and pushes the configuration to `vins`, then checks each car. */
  async configure(vins: readonly string[]): Promise<CarReport[]> {
    const wanted = await this.wanted();
    const key = await loadPrivateKey(this.deps.privateKeyPath);
    const token = signTeslaJws(key, wanted as unknown as Record<string, unknown>);
    const pushed = await pushConfig(this.deps.fleet, vins, token);
    if (!pushed.ok)
      throw new UserError(
        `Tesla did not take the streaming configuration: ${describeFleetError(pushed.error)}`,
        'check the account and the network, then try again',
      );
    const now = this.deps.clock.now();
    await this.deps.store.update((data) => {
      data.removed = data.removed.filter((vin) => !vins.includes(vin));
      for (const vin of vins) if (!pushed.value.skipped.has(vin)) data.pushed[vin] = { at: now, exp: wanted.exp };
    });
    const errors = await this.errorList();
    const reports: CarReport[] = [];
    for (const vin of vins) {
      const reason = pushed.value.skipped.get(vin);
      if (reason !== undefined) {
        reports.push({ vin, pushed: false, verdict: explainSkip(reason, this.context), errors: [] });
        continue;
      }
      reports.push({ ...(await this.check(vin, wanted, errors)), pushed: true });
    }
    return reports;
  }

  /** Reads each car's configuration and errors; changes nothing. */
  async status(vins: readonly string[]): Promise<CarReport[]> {
    let wanted: VehicleTelemetryConfig | undefined;
    try {
      wanted = await this.wanted();
    } catch {
      wanted = undefined;
    }
    const errors = await this.errorList();
    const reports: CarReport[] = [];
    for (const vin of vins) reports.push(await this.check(vin, wanted, errors));
    return reports;
  }

  /** Deletes each car's configuration and remembers that the owner did, so the daemon does not push it again. */
  async remove(vins: readonly string[]): Promise<CarReport[]> {
    const reports: CarReport[] = [];
    for (const vin of vins) {
      const result = await deleteConfig(this.deps.fleet, vin);
      if (!result.ok) {
        reports.push({
          vin,
          pushed: false,
          errors: [],
          verdict: { ok: false, code: 'no_config', message: `Tesla did not remove it: ${describeFleetError(result.error)}`, fix: 'try again' },
        });
        continue;
      }
      await this.deps.store.update((data) => {
        if (!data.removed.includes(vin)) data.removed.push(vin);
        delete data.pushed[vin];
      });
      reports.push({ vin, pushed: false, errors: [], verdict: { ok: true, message: 'streaming configuration removed; teslahub polls this car again' } });
    }
    return reports;
  }

  /** The partner error list, or why it could not be read. */
  async errorList(): Promise<{ errors: TelemetryError[] } | { problem: string }> {
    if (!this.deps.errors) return { problem: 'the app credentials are not configured, so the error list cannot be read' };
    const result = await this.deps.errors.list();
    return result.ok ? { errors: result.errors } : { problem: result.message };
  }

  /** One car: GET its configuration, and its reported errors; the verdict says whether it can stream. */
  async check(vin: string, wanted: VehicleTelemetryConfig | undefined, errorList: { errors: TelemetryError[] } | { problem: string }): Promise<CarReport> {
    const errors = 'errors' in errorList ? errorList.errors.filter((e) => e.vin === vin) : [];
    const extra = 'problem' in errorList ? { errorsProblem: errorList.problem } : {};
    const answer = await readConfig(this.deps.fleet, vin);
    if (!answer.ok) {
      return {
        vin,
        pushed: false,
        errors,
        ...extra,
        verdict: {
          ok: false,
          code: 'no_config',
          message: `could not read the car's streaming configuration: ${describeFleetError(answer.error)}`,
          fix: 'check the account and the network',
        },
      };
    }
    const configVerdict = explainConfig(answer.value, wanted, this.context);
    const verdict = configVerdict.ok && errors.length > 0 ? explainErrors(errors) : configVerdict;
    return { vin, pushed: false, errors, current: answer.value, verdict, configVerdict, ...extra };
  }
}
