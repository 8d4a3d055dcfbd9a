import { pairingLink } from '../signing/keys.js';
import type { CarTelemetryConfig } from './endpoints.js';
import type { TelemetryError } from './partner-errors.js';
import { sameRequest, type VehicleTelemetryConfig } from './vehicle-config.js';

/** What a car's streaming set-up looks like, in words a car owner can act on. */
export type Verdict = { ok: true; message: string } | { ok: false; code: VerdictCode; message: string; fix: string };

export type VerdictCode =
  | 'missing_key'
  | 'unsupported_hardware'
  | 'unsupported_firmware'
  | 'max_configs'
  | 'no_config'
  | 'not_synced'
  | 'other_request'
  | 'expired'
  | 'car_errors'
  | 'unknown_skip';

export interface ExplainContext {
  domain: string;
  /** Unix seconds. */
  nowS: number;
}

/** Why Tesla skipped a car when the configuration was pushed, and what to do. */
export function explainSkip(reason: string, context: ExplainContext): Verdict & { ok: false } {
  switch (reason) {
    case 'missing_key':
      return {
        ok: false,
        code: 'missing_key',
        message: "the car does not have teslahub's virtual key, and Tesla only lets paired apps stream",
        fix: `open ${pairingLink(context.domain)} on the phone with the Tesla app, approve the key for this car, then run "teslahub telemetry configure" again`,
      };
    case 'unsupported_hardware':
      return {
        ok: false,
        code: 'unsupported_hardware',
        message:
          "this car's computer cannot stream to apps (Model S and X built before 2021 need the 2025.20 software or newer, and the in-car setting Safety > Allow Third-Party App Data Streaming)",
        fix: 'nothing to change in teslahub: it keeps reading this car by polling. If the car has 2025.20 or newer, turn on that setting and configure again',
      };
    case 'unsupported_firmware':
      return {
        ok: false,
        code: 'unsupported_firmware',
        message: "the car's software is older than 2024.26, the first that accepts a signed streaming configuration",
        fix: 'install the waiting software update in the car (Controls > Software), then run "teslahub telemetry configure" again; until then teslahub polls it',
      };
    case 'max_configs':
      return maxConfigs();
    default:
      return {
        ok: false,
        code: 'unknown_skip',
        message: `Tesla skipped the car (${reason})`,
        fix: 'run "teslahub telemetry configure" again later; if it persists, check the car in the Tesla app',
      };
  }
}

function maxConfigs(): Verdict & { ok: false } {
  return {
    ok: false,
    code: 'max_configs',
    message: 'the car already streams to as many apps as Tesla allows (only a few at a time), so it ignores this one',
    fix: 'stop streaming in an app you no longer use (or remove its access in the Tesla app under Security > Third-Party Apps), then run "teslahub telemetry configure" again: Tesla does not retry on its own',
  };
}

/**
 * The car's configuration as GET shows it, against what teslahub wants. Streaming counts as set
 * up only when the car has adopted (`synced`) a configuration (`config` not null) from a paired
 * key; anything else is a reason to keep polling.
 */
export function explainConfig(answer: CarTelemetryConfig, wanted: VehicleTelemetryConfig | undefined, context: ExplainContext): Verdict {
  if (answer.key_paired === false) return explainSkip('missing_key', context);
  if (answer.config === null) {
    if (answer.limit_reached === true) return maxConfigs();
    return {
      ok: false,
      code: 'no_config',
      message: 'the car has no streaming configuration from teslahub',
      fix: 'run "teslahub telemetry configure" (with telemetry.enabled, the daemon does it by itself)',
    };
  }
  const exp = answer.config.exp;
  if (typeof exp === 'number' && exp <= context.nowS) {
    return {
      ok: false,
      code: 'expired',
      message: `the car's streaming configuration expired on ${new Date(exp * 1000).toISOString().slice(0, 10)}`,
      fix: 'run "teslahub telemetry configure"; the daemon renews it before it ends while it runs',
    };
  }
  if (wanted && !sameRequest(answer.config, wanted)) {
    const target = `${String(answer.config.hostname)}:${String(answer.config.port)}`;
    return {
      ok: false,
      code: 'other_request',
      message: `the car holds an older streaming configuration (to ${target}) than the one in config.yaml`,
      fix: 'run "teslahub telemetry configure" to send the current one (the daemon does so at its next check)',
    };
  }
  if (!answer.synced) {
    return {
      ok: false,
      code: 'not_synced',
      message:
        'the car has not picked up the configuration yet; it does so the next time it is awake and connected (no wake is needed, and it may take a few minutes)',
      fix: 'wait, or use the car; "teslahub telemetry status" shows when it is synced',
    };
  }
  return {
    ok: true,
    message: `streams to ${String(answer.config.hostname)}:${String(answer.config.port)}${typeof exp === 'number' ? `, configuration valid until ${new Date(exp * 1000).toISOString().slice(0, 10)}` : ''}`,
  };
}

/** Errors the car reported after taking the configuration; the usual causes come with their fix. */
export function explainErrors(errors: readonly TelemetryError[]): Verdict & { ok: false } {
  const text = errors.map((e) => e.error).join('; ');
  const lower = text.toLowerCase();
  let fix =
    'check that the fleet-telemetry server runs, is reachable from the internet on telemetry.hostname and telemetry.port, and that telemetry.ca is the chain of its certificate';
  if (/no such host|lookup|resolve|dns/.test(lower))
    fix = 'telemetry.hostname does not resolve on the internet: fix its DNS record, then wait for the car to retry';
  else if (/certificate|x509|tls|handshake/.test(lower))
    fix =
      'the car does not trust the server: telemetry.ca must be the CA chain that issued the server certificate (a bare self-signed certificate is refused); fix it and configure again';
  else if (/refused|timeout|unreachable|connect/.test(lower))
    fix = 'the car cannot reach the server: check port forwarding to the fleet-telemetry server on telemetry.port and that it runs';
  return { ok: false, code: 'car_errors', message: `the car reports streaming errors: ${text}`, fix };
}
