import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TelemetryConfig } from '../config-schema.js';

/** Tesla's production CA bundle shipped with teslahub (certs/ beside src/ and dist/; this file is src/telemetry/receiver/). */
export const TESLA_CLIENT_CA = fileURLToPath(new URL('../../../certs/tesla-prod-ca.pem', import.meta.url));

/** The receiver's files, relative paths against the config file's folder. */
export function receiverPaths(telemetry: TelemetryConfig, configDir: string): { cert: string; key: string; clientCa: string } {
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(configDir, path));
  return {
    cert: at(telemetry.receiver.cert ?? 'telemetry-cert.pem'),
    key: at(telemetry.receiver.key ?? 'telemetry-key.pem'),
    clientCa: telemetry.receiver.client_ca === undefined ? TESLA_CLIENT_CA : at(telemetry.receiver.client_ca),
  };
}
