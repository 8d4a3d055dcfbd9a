import type { Clock } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { HealthCheck } from '../core/health.js';
import type { Logger } from '../core/logger.js';
import { pairingLink } from '../signing/keys.js';

/**
 * Which cars told us our key is not on their keychain. Such a car is not asked again for a while: a command in that time is answered from
 * here, without a billed request, so an automation cannot hammer the car. The log says it once per
 * car; /healthz and bridge/info say it (health check `vehicle_keys`) until the car accepts a command.
 */
export interface PairingStatusDeps {
  clock: Pick<Clock, 'now'>;
  log: Logger;
  /** tesla.domain: the pairing link is https://tesla.com/_ak/<domain>. */
  domain: string | undefined;
  /** Told when a car's pairing changes (bridge/info is republished). */
  bus?: EventBus<DaemonEvents>;
  /** How long a car that said "not paired" is not asked again. Default 60 s. */
  retryAfterMs?: number;
}

export class PairingStatus {
  private readonly unpaired = new Map<string, { since: number; lastAsked: number; domain: string }>();
  /** Cars that accepted a signed command, and when last. */
  private readonly accepted = new Map<string, number>();
  private readonly deps: PairingStatusDeps;

  constructor(deps: PairingStatusDeps) {
    this.deps = deps;
  }

  /** https://tesla.com/_ak/<domain>, or where to set the domain. */
  get link(): string {
    return this.deps.domain ? pairingLink(this.deps.domain) : 'https://tesla.com/_ak/<your domain> (set tesla.domain in config.yaml)';
  }

  /** The line every "not paired" answer carries. */
  fix(vin: string): string {
    return `pair teslahub's key with ${vin}: open ${this.link} on the phone that has the Tesla app, approve the key for this car, and tap a key card on the console if the car asks`;
  }

  noteUnpaired(vin: string, domain: string): void {
    const now = this.deps.clock.now();
    const known = this.unpaired.get(vin);
    this.unpaired.set(vin, { since: known?.since ?? now, lastAsked: now, domain });
    this.accepted.delete(vin);
    if (known) return;
    this.deps.log.warn(`${vin} does not know teslahub's key (not paired, ${domain}); fix: ${this.fix(vin)}`);
    this.deps.bus?.emit('vehicle.pairing', { vin, paired: false });
  }

  notePaired(vin: string): void {
    this.accepted.set(vin, this.deps.clock.now());
    if (!this.unpaired.delete(vin)) return;
    this.deps.log.info(`${vin} now accepts teslahub's signed commands`);
    this.deps.bus?.emit('vehicle.pairing', { vin, paired: true });
  }

  /** When the car said "not paired" moments ago: how long until it is asked again (ms), else undefined. */
  waitBeforeAsking(vin: string): number | undefined {
    const known = this.unpaired.get(vin);
    if (!known) return undefined;
    const left = known.lastAsked + (this.deps.retryAfterMs ?? 60_000) - this.deps.clock.now();
    return left > 0 ? left : undefined;
  }

  /** true: the car accepted a signed command; false: it refused the key; undefined: not asked yet. */
  state(vin: string): { paired: boolean | undefined; checkedAt?: number } {
    const refused = this.unpaired.get(vin);
    if (refused) return { paired: false, checkedAt: refused.lastAsked };
    const at = this.accepted.get(vin);
    return at === undefined ? { paired: undefined } : { paired: true, checkedAt: at };
  }

  isUnpaired(vin: string): boolean {
    return this.unpaired.has(vin);
  }

  /** Never fails /healthz (its contract is MQTT and the account); says which cars need pairing, with the link. */
  health(): HealthCheck {
    if (this.unpaired.size === 0) return { ok: true, reason: "no car has refused teslahub's key" };
    const vins = [...this.unpaired.keys()];
    return {
      ok: true,
      reason: `not paired: ${vins.join(', ')} refused teslahub's key for signed commands`,
      fix: `open ${this.link} on the phone that has the Tesla app and approve the key for each car`,
    };
  }
}
