import { EventBus } from '../../core/events.js';
import type { DaemonEvents } from '../../core/daemon-events.js';
import { DeviceRegistry } from '../../model/device-registry.js';
import type { VehicleStream } from '../../model/sources.js';
import { UserError } from '../../core/errors.js';
import { VIN_PATTERN } from '../../config/schema-helpers.js';
import { LOGIN_HINT } from '../../auth/setup.js';
import { FleetClient } from '../../fleet/client.js';
import { describeFleetError } from '../../fleet/errors.js';
import { BillingMeter } from '../../fleet/meter.js';
import { listProducts } from '../../fleet/products.js';
import { createHttpTransport } from '../../fleet/transport.js';
import { DeviceNaming } from '../../model/naming.js';
import { type CarReport, TelemetryConfigurator } from '../../telemetry/configurator.js';
import { PartnerErrors } from '../../telemetry/partner-errors.js';
import { openTelemetryStore } from '../../telemetry/store.js';
import { VERSION } from '../../version.js';
import { openAccount } from '../account-context.js';
import type { Command } from '../args.js';
import { stringOption } from '../args.js';
import { loadCliConfig } from '../config-context.js';
import { type CliIO, EXIT_OK, EXIT_USER_ERROR, println } from '../io.js';

const ACTIONS = ['configure', 'status', 'remove'] as const;
type Action = (typeof ACTIONS)[number];

export const telemetryCommand: Command = {
  name: 'telemetry',
  summary: 'set cars up to stream (Fleet Telemetry) instead of being polled: configure, status, remove',
  usage: `Usage: teslahub telemetry configure|status|remove [VIN...] [--config FILE]

configure  builds the streaming configuration from the telemetry: section of config.yaml,
           signs it with the app's key (keys/private-key.pem) and sends it to Tesla for the
           cars named (default: every car in use), then shows how each car took it.
status     shows each car's streaming configuration (synced, key paired, valid until), the
           errors cars reported, with what to do about each problem, and from what the daemon
           last saved whether the car is connected now and when its last message came.
remove     deletes the configuration from the cars; teslahub polls them again and the
           daemon does not send it again until "telemetry configure".

A car picks up a new configuration the next time it is awake; nothing is woken for it.
Exit code 1 when a car could not be set up (the message says why and what to do).`,
  options: {},
  async run(args, io) {
    const [action, ...rest] = args.positionals;
    if (!ACTIONS.includes(action as Action))
      throw new UserError(`unknown or missing action "${action ?? ''}"`, 'use "teslahub telemetry configure", "status" or "remove"');
    const vins = rest.map((vin) => vin.toUpperCase());
    const bad = vins.filter((vin) => !VIN_PATTERN.test(vin));
    if (bad.length > 0) throw new UserError(`not a VIN: ${bad.join(', ')}`, 'give the 17-character VINs from the Tesla app, or none for every car');
    const { loaded } = loadCliConfig(io, stringOption(args, 'config'), { requireFile: false });
    const { config } = loaded;
    const account = await openAccount(config, io, loaded.secrets);
    if (account.auth.tokens.state().kind !== 'ok') throw new UserError('no Tesla account is connected', LOGIN_HINT);
    const { transport, close } = createHttpTransport();
    try {
      const fleet = new FleetClient({
        transport,
        tokens: account.auth.tokens,
        region: account.region,
        // None of these calls is billed; the daemon's ledger is left to the daemon.
        meter: new BillingMeter({ sink: { record: () => undefined } }),
        clock: account.clock,
        log: account.log,
        userAgent: `teslahub/${VERSION}`,
      });
      const store = await openTelemetryStore(config.data_dir, account.log, account.clock);
      const domain = config.tesla.domain;
      const configurator = new TelemetryConfigurator({
        fleet,
        config: config.telemetry,
        domain,
        configDir: loaded.dir,
        privateKeyPath: config.tesla.private_key,
        store,
        errors:
          account.auth.oauth && domain
            ? new PartnerErrors({ oauth: account.auth.oauth, transport, baseUrl: () => account.region.baseUrl(), domain, clock: account.clock })
            : undefined,
        clock: account.clock,
      });
      const targets = vins.length > 0 ? vins : await carsInUse(fleet, new DeviceNaming(config));
      if (targets.length === 0) {
        println(io.stdout, 'no cars on the account are in use (see vehicles: in config.yaml)');
        return EXIT_OK;
      }
      const reports =
        action === 'configure'
          ? await configurator.configure(targets)
          : action === 'remove'
            ? await configurator.remove(targets)
            : await configurator.status(targets);
      // What the daemon last saved about each car's stream (connected, last message).
      const registry =
        action === 'status' ? await DeviceRegistry.open(config.data_dir, new EventBus<DaemonEvents>(() => undefined), account.log, account.clock) : undefined;
      printReports(io, reports, registry ? (vin) => streamLine(registry.vehicle(vin)?.stream, account.clock.now()) : undefined);
      if (action === 'configure') {
        if (!config.telemetry.enabled)
          println(io.stdout, '\nnote: telemetry.enabled is false, so the daemon does not listen to the stream yet; set it to true in config.yaml');
        println(io.stdout, '\nA car takes the configuration the next time it is awake; "teslahub telemetry status" shows when.');
      }
      const failed = reports.some((r) => !r.verdict.ok && !(action === 'configure' && r.pushed && r.verdict.code === 'not_synced'));
      return action !== 'status' && failed ? EXIT_USER_ERROR : EXIT_OK;
    } finally {
      await close();
    }
  },
};

async function carsInUse(fleet: FleetClient, naming: DeviceNaming): Promise<string[]> {
  const products = await listProducts(fleet);
  if (!products.ok)
    throw new UserError(`could not list the account's cars: ${describeFleetError(products.error)}`, 'name the VINs, or check the account and the network');
  return products.value.vehicles.map((v) => v.vin).filter((vin) => naming.usesVehicle(vin));
}

/** A car's stream as the daemon last saved it: connected now or not, and the last message with its age. */
export function streamLine(stream: VehicleStream | undefined, now: number): string {
  if (!stream || stream.lastAt === undefined) return 'stream: nothing received yet';
  const at = `${new Date(stream.lastAt).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  const link = stream.link === 'connected' ? 'connected now' : stream.link === 'disconnected' ? 'not connected (asleep or offline)' : 'connection unknown';
  return `stream: ${link}, last message ${at} (${age(now - stream.lastAt)} ago)`;
}

function age(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

function printReports(io: CliIO, reports: readonly CarReport[], stream?: (vin: string) => string): void {
  for (const report of reports) {
    const { verdict } = report;
    if (verdict.ok) {
      println(io.stdout, `${report.vin}  ok       ${verdict.message}`);
    } else {
      const word = verdict.code === 'not_synced' ? 'pending' : 'PROBLEM';
      println(io.stdout, `${report.vin}  ${word.padEnd(7)}  ${verdict.message}`);
      println(io.stdout, `${' '.repeat(report.vin.length)}  fix:     ${verdict.fix}`);
    }
    const current = report.current;
    if (current) {
      const exp = current.config?.exp;
      const details = [
        `synced: ${current.synced ? 'yes' : 'no'}`,
        `key paired: ${current.key_paired === false ? 'no' : current.key_paired === true ? 'yes' : 'unknown'}`,
      ];
      if (typeof exp === 'number') details.push(`valid until ${new Date(exp * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
      if (current.limit_reached) details.push('app limit reached');
      println(io.stdout, `${' '.repeat(report.vin.length)}  ${details.join(', ')}`);
    }
    if (stream) println(io.stdout, `${' '.repeat(report.vin.length)}  ${stream(report.vin)}`);
    for (const error of report.errors) println(io.stdout, `${' '.repeat(report.vin.length)}  car reports: ${error.error}`);
    if (report.errorsProblem) println(io.stdout, `${' '.repeat(report.vin.length)}  (errors not checked: ${report.errorsProblem})`);
  }
}
