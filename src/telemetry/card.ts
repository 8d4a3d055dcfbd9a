import type { ReceiverStatus } from '../http/web/providers.js';
import type { TelemetryConfig } from './config-schema.js';
import { parseListen } from './config-schema.js';
import type { CertificateFacts } from './receiver/certificate-check.js';

/** One car on the streaming card, the same facts as `teslahub telemetry status`. */
export interface StreamingCarRow {
  vin: string;
  /** The configuration check's word (ok, or what is wrong). */
  configured: string;
  configOk: boolean;
  synced: boolean | undefined;
  connected: boolean;
  lastMessageAt: number | undefined;
  /** Built-in receiver: when the connected car was last heard (a message or an answered ping). */
  heardAt: number | undefined;
  mode: 'stream' | 'poll';
  reason: string;
}

export interface StreamingCard {
  source: 'builtin' | 'mqtt';
  hostname: string | undefined;
  port: number;
  receiver: ReceiverStatus | undefined;
  certificate: CertificateFacts | undefined;
  cars: StreamingCarRow[];
  /** What to do next, in words. */
  next: string;
}

/** The next step for someone setting streaming up, from what is known (pure). */
export function nextStep(
  config: TelemetryConfig,
  receiver: ReceiverStatus | undefined,
  certificate: CertificateFacts | undefined,
  cars: readonly StreamingCarRow[],
): string {
  if (config.source === 'mqtt') return "Tesla's fleet-telemetry server receives the cars (telemetry.source: mqtt); see README, Fleet Telemetry.";
  if (!config.hostname) return 'Set telemetry.hostname to the public host name cars will dial (e.g. telemetry.example.com).';
  if (!receiver?.listening) return `Fix the receiver so it can listen: ${receiver?.problem ?? 'it has not started'}.`;
  if (!certificate) return 'telemetry.receiver.cert holds no certificate: point it at fullchain.pem of your host name.';
  if (certificate.expired) return `The certificate expired: renew it (certbot renew); teslahub picks the new files up by itself.`;
  if (!certificate.coversHostname)
    return `The certificate is for ${certificate.names.join(', ') || 'no name'}, not ${config.hostname}: get one for ${config.hostname}.`;
  if (!certificate.chainComplete && config.ca === undefined)
    return 'receiver.cert holds only the server certificate: use the full chain (fullchain.pem), or set telemetry.ca.';
  const unconfigured = cars.filter((car) => !car.configOk);
  if (unconfigured.length > 0 && unconfigured.every((car) => car.synced === undefined))
    return 'Run "teslahub telemetry configure" to send the streaming configuration to the cars.';
  if (cars.length > 0 && cars.every((car) => car.lastMessageAt === undefined)) {
    const listen = parseListen(config.receiver.listen);
    return `Forward TCP ${config.port} on your router to this machine's port ${receiver.listen.split(':').pop() ?? listen?.port ?? ''}; a car connects the next time it is awake.`;
  }
  if (unconfigured.length > 0) return `${unconfigured.map((car) => car.vin).join(', ')}: ${unconfigured[0]?.configured ?? ''}`;
  return 'Nothing to do: the cars stream.';
}
