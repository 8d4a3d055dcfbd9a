import { isFieldName } from '../../telemetry/field-names.js';

/** Checks the simulated Tesla makes on a pushed configuration's claims. */

/** `2025.44.25.1 6b0f0e2dc93a` is at least `wanted` (year, major[, minor]). */
export function firmwareAtLeast(carVersion: string, ...wanted: number[]): boolean {
  const parts = carVersion.trim().split(/[ .]/).map(Number);
  for (let i = 0; i < wanted.length; i++) {
    const have = parts[i];
    const want = wanted[i] ?? 0;
    if (have === undefined || !Number.isInteger(have)) return false;
    if (have !== want) return have > want;
  }
  return true;
}

/** What is wrong with a configuration, or undefined when a car could use it. */
export function validateClaims(claims: Record<string, unknown>): string | undefined {
  const { hostname, port, ca, fields, alert_types: alerts, prefer_typed: preferTyped } = claims;
  if (typeof hostname !== 'string' || hostname === '') return 'hostname must be a host name';
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) return 'port must be an integer from 1 to 65535';
  if (typeof ca !== 'string' || !ca.includes('-----BEGIN CERTIFICATE-----')) return 'ca must be a PEM certificate chain';
  if (preferTyped !== undefined && typeof preferTyped !== 'boolean') return 'prefer_typed must be true or false';
  if (alerts !== undefined && (!Array.isArray(alerts) || !alerts.every((a) => a === 'customer' || a === 'service' || a === 'service-fix'))) {
    return 'alert_types must be a list of customer, service and service-fix';
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields) || Object.keys(fields).length === 0) return 'fields must name at least one field';
  for (const [name, options] of Object.entries(fields as Record<string, unknown>)) {
    if (!isFieldName(name)) return `unknown field ${name}`;
    if (typeof options !== 'object' || options === null) return `${name} needs options`;
    const { interval_seconds: interval, minimum_delta: delta, resend_interval_seconds: resend } = options as Record<string, unknown>;
    if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1) return `${name}.interval_seconds must be a whole number of at least 1`;
    if (delta !== undefined && (typeof delta !== 'number' || delta < 0)) return `${name}.minimum_delta must be a number of at least 0`;
    if (resend !== undefined && (typeof resend !== 'number' || !Number.isInteger(resend) || resend < 0))
      return `${name}.resend_interval_seconds must be a whole number`;
  }
  return undefined;
}
