import type * as oidc from 'openid-client';
import { type Clock, SystemClock } from '../core/clock.js';
import { type OAuthClientSettings, oauthConfiguration } from './oauth-server.js';

/**
 * openid-client checks the `iat` and `exp` of the ID tokens Tesla returns against the machine's
 * clock, while the daemon's notion of now is its injected Clock (simulated days in benchmarks,
 * a fake clock in tests, the system clock in production). openid-client takes a fixed clock skew
 * per configuration, so each request gets a configuration whose skew is the distance between the
 * two clocks at that moment: every time check it makes is then a check against `clock.now()`.
 */
export class OAuthClient {
  readonly settings: OAuthClientSettings;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly machine: Pick<Clock, 'now'>;
  private cached: { skewSeconds: number; config: oidc.Configuration } | undefined;

  /** `machine` is the clock openid-client itself reads; only tests pass another. */
  constructor(settings: OAuthClientSettings, clock: Pick<Clock, 'now'>, machine: Pick<Clock, 'now'> = new SystemClock()) {
    this.settings = settings;
    this.clock = clock;
    this.machine = machine;
  }

  /** Seconds to add to the machine's clock to get the daemon's (openid-client works in whole seconds). */
  get skewSeconds(): number {
    return Math.round((this.clock.now() - this.machine.now()) / 1000);
  }

  /** The configuration to hand to one openid-client call made now. */
  configuration(): oidc.Configuration {
    const skewSeconds = this.skewSeconds;
    if (this.cached?.skewSeconds !== skewSeconds) this.cached = { skewSeconds, config: oauthConfiguration(this.settings, skewSeconds) };
    return this.cached.config;
  }
}
