import type { Logger } from '../../core/logger.js';
import type { RefusalCause } from './limits.js';

/** What each refusal means for the person reading the log, with what to check. */
const EXPLAIN: Record<RefusalCause, string> = {
  no_certificate: 'a client connected without a certificate (not a car, or a proxy that does not pass mutual TLS through)',
  untrusted_certificate: 'a client certificate not issued by telemetry.receiver.client_ca was refused (not a Tesla car, or client_ca points at the wrong file)',
  expired_certificate: "a client certificate that expired (or is not valid yet) was refused (check this machine's clock)",
  unknown_issuer:
    "a client certificate from client_ca was refused: its issuer is not one of the CAs Tesla issues car certificates from (client_ca trusts more than Tesla's car CAs?)",
  not_a_vehicle: "a Tesla certificate that is not a car's was refused (an energy product, a car's Wi-Fi or board certificate, or a CN that is not a VIN)",
  tls_failed: 'a TLS handshake failed (a scanner, or a client that does not trust the server certificate: check telemetry.ca and the chain in receiver.cert)',
  handshake_timeout: 'a client did not finish the TLS handshake and WebSocket upgrade in time',
  unknown_vehicle: 'a car that is not among the cars in use connected (its VIN is not on the account or is excluded by vehicles:)',
  too_many_connections: 'a connection was refused: telemetry.receiver.limits.connections are open',
  too_many_for_vehicle: 'a car opened more connections than telemetry.receiver.limits.per_vehicle',
  not_websocket: 'a client spoke plain HTTPS instead of a WebSocket upgrade',
  malformed_frame: 'a frame was not a Fleet Telemetry message; answered "incorrect message format"',
  oversize_frame: 'a frame larger than telemetry.receiver.limits.frame_bytes was refused',
  rate_limited: 'a connection sent faster than telemetry.receiver.limits.messages_per_minute; the excess was not acked (the car sends it again)',
  vin_mismatch: 'a message named another VIN than its certificate; it was refused and the connection closed',
  idle_timeout: 'a silent connection was closed after telemetry.receiver.limits.idle_timeout',
  link_lost: 'a car that had answered pings stopped answering for 90 s; its connection was closed (it reconnects and resends what was not acked)',
};

/** Causes that are routine (a car going to sleep, a burst); logged at info, not as a warning. */
const ROUTINE = new Set<RefusalCause>(['idle_timeout', 'rate_limited', 'link_lost']);

/**
 * Counts everything the receiver refuses, by cause, for /metrics; each cause is logged the first
 * time it happens (never per frame: a port on the internet sees scanners all day).
 */
export class Refusals {
  private readonly counts = new Map<RefusalCause, number>();
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  count(cause: RefusalCause, detail?: string): void {
    const before = this.counts.get(cause) ?? 0;
    this.counts.set(cause, before + 1);
    if (before > 0) return;
    const text = `telemetry receiver: ${EXPLAIN[cause]}${detail ? ` (${detail})` : ''}; further ones are only counted (/metrics teslahub_telemetry_refused_total)`;
    if (ROUTINE.has(cause)) this.log.info(text);
    else this.log.warn(text);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
