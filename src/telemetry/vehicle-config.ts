import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { errorMessage, UserError } from '../core/errors.js';
import type { TelemetryConfig } from './config-schema.js';
import { DEFAULT_FIELDS, type FieldOptions, HEARTBEAT_FIELDS } from './default-fields.js';

/**
 * The configuration a car receives: where to connect, which chain to
 * trust, which fields how often, which alerts, until when. It is signed as it is; the VINs travel
 * beside the token, not in it.
 */
export interface VehicleTelemetryConfig {
  hostname: string;
  /** An integer: a port sent as text silently broke streaming (fleet-telemetry issue #119). */
  port: number;
  ca: string;
  fields: Record<string, FieldOptions>;
  alert_types: string[];
  /** Unix seconds. */
  exp: number;
  prefer_typed: boolean;
}

/** The default set, the heartbeat on its fields, then the user's changes (false removes a field). */
export function configuredFields(config: TelemetryConfig): Record<string, FieldOptions> {
  const fields: Record<string, FieldOptions> = {};
  for (const [name, options] of Object.entries(DEFAULT_FIELDS)) fields[name] = { ...options };
  for (const name of HEARTBEAT_FIELDS) {
    const current = fields[name] ?? { interval_seconds: 60 };
    fields[name] = { ...current, resend_interval_seconds: config.heartbeat };
  }
  for (const [name, options] of Object.entries(config.fields)) {
    if (options === false) delete fields[name];
    else fields[name] = compact(options);
  }
  return fields;
}

function compact(options: { interval_seconds: number; minimum_delta?: number | undefined; resend_interval_seconds?: number | undefined }): FieldOptions {
  return {
    interval_seconds: options.interval_seconds,
    ...(options.minimum_delta !== undefined ? { minimum_delta: options.minimum_delta } : {}),
    ...(options.resend_interval_seconds !== undefined ? { resend_interval_seconds: options.resend_interval_seconds } : {}),
  };
}

/** The heartbeat the configuration promises: the shortest resend interval of any field, if one has one. */
export function heartbeatSeconds(fields: Record<string, FieldOptions>): number | undefined {
  const resends = Object.values(fields)
    .map((options) => options.resend_interval_seconds ?? 0)
    .filter((seconds) => seconds > 0);
  return resends.length > 0 ? Math.min(...resends) : undefined;
}

/** What is missing before a configuration can be built, in words with the fix. */
export function setupProblems(config: TelemetryConfig, domain: string | undefined): string[] {
  const problems: string[] = [];
  if (!config.hostname) problems.push('telemetry.hostname is not set (fix: the public host name of your fleet-telemetry server, e.g. telemetry.example.com)');
  if (!config.ca && config.source !== 'builtin')
    problems.push('telemetry.ca is not set (fix: the PEM file with the certificate chain of that server, so the car can trust it)');
  if (!domain) problems.push('tesla.domain is not set (fix: the domain registered for your app; it names the virtual key cars must have)');
  return problems;
}

/**
 * Reads the CA chain: PEM with at least one certificate. A bare leaf is refused by cars (they want
 * a CA → leaf chain), which no file check can see; check_server_cert.sh in fleet-telemetry can.
 */
export async function readCaChain(path: string, configDir: string): Promise<string> {
  const file = isAbsolute(path) ? path : resolve(configDir, path);
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(
      `cannot read telemetry.ca ${file}: ${errorMessage(error)}`,
      "point telemetry.ca at the PEM file with your telemetry server's certificate chain",
    );
  }
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certificates.length === 0) {
    throw new UserError(
      `${file} holds no PEM certificate`,
      'use the CA chain (the "-----BEGIN CERTIFICATE-----" blocks) that issued your telemetry server\'s certificate',
    );
  }
  return `${certificates.join('\n')}\n`;
}

/**
 * The chain that issued the built-in receiver's certificate: every certificate after the leaf in
 * its full-chain file (Let's Encrypt's fullchain.pem: the intermediate). A file with only the leaf
 * cannot tell the car whom to trust.
 */
export async function issuerChain(certPath: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(certPath, 'utf8');
  } catch (error) {
    throw new UserError(
      `cannot read telemetry.receiver.cert ${certPath}: ${errorMessage(error)}`,
      'point it at the full chain of the certificate for telemetry.hostname (e.g. fullchain.pem)',
    );
  }
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certificates.length < 2) {
    throw new UserError(
      `telemetry.receiver.cert ${certPath} holds only the server certificate, not the chain that issued it`,
      "use the full chain file (Let's Encrypt: fullchain.pem, not cert.pem), or set telemetry.ca to a PEM file with the issuing CA chain",
    );
  }
  return `${certificates.slice(1).join('\n')}\n`;
}

export function buildVehicleConfig(config: TelemetryConfig, ca: string, nowMs: number): VehicleTelemetryConfig {
  if (!config.hostname) throw new UserError('telemetry.hostname is not set', 'set it to the public host name of your fleet-telemetry server');
  return {
    hostname: config.hostname,
    port: config.port,
    ca,
    fields: configuredFields(config),
    alert_types: [...config.alert_types],
    exp: Math.floor(nowMs / 1000) + Math.round(config.valid_for),
    prefer_typed: config.prefer_typed,
  };
}

/**
 * Whether a car's current configuration already asks for what this one asks (expiry, issuer and
 * audience aside): then there is nothing to push.
 */
export function sameRequest(current: Record<string, unknown>, wanted: VehicleTelemetryConfig): boolean {
  if (current.hostname !== wanted.hostname || Number(current.port) !== wanted.port || current.prefer_typed !== wanted.prefer_typed) return false;
  if (typeof current.ca !== 'string' || current.ca.trim() !== wanted.ca.trim()) return false;
  const alerts = Array.isArray(current.alert_types) ? [...(current.alert_types as unknown[])].map(String).sort() : [];
  if (alerts.join(',') !== [...wanted.alert_types].sort().join(',')) return false;
  const fields = current.fields;
  if (typeof fields !== 'object' || fields === null) return false;
  const have = fields as Record<string, unknown>;
  if (Object.keys(have).length !== Object.keys(wanted.fields).length) return false;
  return Object.entries(wanted.fields).every(([name, options]) => {
    const other = have[name];
    if (typeof other !== 'object' || other === null) return false;
    const o = other as Record<string, unknown>;
    return (
      Number(o.interval_seconds) === options.interval_seconds &&
      Number(o.minimum_delta ?? 0) === (options.minimum_delta ?? 0) &&
      Number(o.resend_interval_seconds ?? 0) === (options.resend_interval_seconds ?? 0)
    );
  });
}
