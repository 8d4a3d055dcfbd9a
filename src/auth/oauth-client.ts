import type * as oidc from 'openid-client';
import { type Clock, SystemClock } from '../core/clock.js';
import type { OAuthFetch } from './oauth-fetch.js';
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
  private readonly fetch: OAuthFetch | undefined;
  private cached: { skewSeconds: number; config: oidc.Configuration } | undefined;

  /**
   * `fetch` carries openid-client's requests (the global fetch when absent); `machine` is the clock
   * openid-client itself reads, which only tests replace.
   */
  constructor(settings: OAuthClientSettings, clock: Pick<Clock, 'now'>, options: { fetch?: OAuthFetch; machine?: Pick<Clock, 'now'> } = {}) {
    this.settings = settings;
    this.clock = clock;
    this.machine = options.machine ?? new SystemClock();
    this.fetch = options.fetch;
  }

  /** Seconds to add to the machine's clock to get the daemon's (openid-client works in whole seconds). */
  get skewSeconds(): number {
    return Math.round((this.clock.now() - this.machine.now()) / 1000);
  }

  /** The configuration to hand to one openid-client call made now. */
  configuration(): oidc.Configuration {
    const skewSeconds = this.skewSeconds;
    if (this.cached?.skewSeconds !== skewSeconds) this.cached = { skewSeconds, config: oauthConfiguration(this.settings, skewSeconds, this.fetch) };
    return this.cached.config;
  }
}
