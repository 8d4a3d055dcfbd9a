/**
 * Admission and pacing for a port open to the internet, as pure bookkeeping (no sockets): how many
 * connections in total and per car, and how fast one connection may send.
 */

export type RefusalCause =
  | 'no_certificate'
  | 'untrusted_certificate'
  | 'expired_certificate'
  | 'unknown_issuer'
  | 'not_a_vehicle'
  | 'tls_failed'
  | 'handshake_timeout'
  | 'unknown_vehicle'
  | 'too_many_connections'
  | 'too_many_for_vehicle'
  | 'not_websocket'
  | 'malformed_frame'
  | 'oversize_frame'
  | 'rate_limited'
  | 'vin_mismatch'
  | 'idle_timeout'
  | 'link_lost';

export type Admission = { ok: true } | { ok: false; cause: 'too_many_connections' | 'too_many_for_vehicle' };

export class ConnectionCounts {
  private total = 0;
  private readonly perVin = new Map<string, number>();
  private readonly maxTotal: number;
  private readonly maxPerVin: number;

  constructor(maxTotal: number, maxPerVin: number) {
    this.maxTotal = maxTotal;
    this.maxPerVin = maxPerVin;
  }

  /** Takes a slot for `vin` when one is free; release it with `release`. */
  admit(vin: string): Admission {
    if (this.total >= this.maxTotal) return { ok: false, cause: 'too_many_connections' };
    const current = this.perVin.get(vin) ?? 0;
    if (current >= this.maxPerVin) return { ok: false, cause: 'too_many_for_vehicle' };
    this.total += 1;
    this.perVin.set(vin, current + 1);
    return { ok: true };
  }

  release(vin: string): void {
    const current = this.perVin.get(vin) ?? 0;
    if (current <= 0) return;
    this.total -= 1;
    if (current === 1) this.perVin.delete(vin);
    else this.perVin.set(vin, current - 1);
  }

  count(vin?: string): number {
    return vin === undefined ? this.total : (this.perVin.get(vin) ?? 0);
  }
}

/**
 * A token bucket: `perMinute` messages a minute on average, with bursts of up to a tenth of a
 * minute's worth (a car that reconnects sends its buffered messages in a burst, then slows down;
 * what is refused is not acked, so the car sends it again later).
 */
export class RateWindow {
  private tokens: number;
  private at: number;
  private readonly perMs: number;
  private readonly burst: number;

  constructor(perMinute: number, now: number) {
    this.perMs = perMinute / 60_000;
    this.burst = Math.max(10, Math.ceil(perMinute / 10));
    this.tokens = this.burst;
    this.at = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + Math.max(0, now - this.at) * this.perMs);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The refusal behind a client certificate that did not verify (node's authorizationError codes). */
export function certificateCause(hasCertificate: boolean, authorizationError: string | undefined): RefusalCause {
  if (!hasCertificate) return 'no_certificate';
  if (authorizationError === 'CERT_HAS_EXPIRED' || authorizationError === 'CERT_NOT_YET_VALID') return 'expired_certificate';
  return 'untrusted_certificate';
}

/** The VIN a verified client certificate names: its subject CN, with "." turned into "-" as Tesla's server does. */
export function vinFromCommonName(commonName: unknown): string | undefined {
  if (typeof commonName !== 'string') return undefined;
  const vin = commonName.trim().replaceAll('.', '-');
  return /^[A-Za-z0-9-]{1,64}$/.test(vin) ? vin : undefined;
}
