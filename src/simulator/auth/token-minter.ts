import type { Clock } from '../../core/clock.js';
import { REGIONS, type Region } from '../types.js';
import { randomToken } from '../util/random.js';
import type { Account } from '../world/world.js';
import type { JwtSigner } from './jwt.js';

/**
 * Signs the JWTs Tesla's server hands out, with the claims clients read:
 * user access tokens (`sub`, `scp`, `ou_code`, `aud` = every region's base URL), ID tokens, and
 * partner tokens (no user `sub`, `aud` = the one requested region).
 */
export class TokenMinter {
  private readonly clock: Pick<Clock, 'now'>;
  private readonly signer: JwtSigner;
  private readonly issuer: () => string;
  private readonly regionBaseUrl: (region: Region) => string;
  readonly lifetimeSeconds: number;

  constructor(options: {
    clock: Pick<Clock, 'now'>;
    signer: JwtSigner;
    issuer: () => string;
    regionBaseUrl: (region: Region) => string;
    lifetimeSeconds: number;
  }) {
    this.clock = options.clock;
    this.signer = options.signer;
    this.issuer = options.issuer;
    this.regionBaseUrl = options.regionBaseUrl;
    this.lifetimeSeconds = options.lifetimeSeconds;
  }

  private get nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** A user's access token and ID token; `jti` identifies the access token for revocation. */
  user(account: Account, clientId: string, scopes: string[], nonce: string | undefined): { accessToken: string; idToken: string; jti: string } {
    const now = this.nowSeconds;
    const jti = randomToken(12);
    const accessToken = this.signer.sign({
      iss: this.issuer(),
      azp: clientId,
      sub: account.id,
      aud: REGIONS.map((region) => this.regionBaseUrl(region)),
      scp: scopes,
      amr: ['pwd', 'mfa'],
      auth_time: now,
      ou_code: account.region.toUpperCase(),
      locale: 'en-US',
      iat: now,
      exp: now + this.lifetimeSeconds,
      jti,
    });
    const idToken = this.signer.sign({
      iss: this.issuer(),
      aud: clientId,
      sub: account.id,
      email: account.email,
      email_verified: true,
      auth_time: now,
      iat: now,
      exp: now + this.lifetimeSeconds,
      ...(nonce !== undefined ? { nonce } : {}),
    });
    return { accessToken, idToken, jti };
  }

  partner(clientId: string, region: Region, scopes: string[]): string {
    const now = this.nowSeconds;
    return this.signer.sign({
      iss: this.issuer(),
      azp: clientId,
      aud: [this.regionBaseUrl(region)],
      scp: scopes,
      ou_code: region.toUpperCase(),
      iat: now,
      exp: now + this.lifetimeSeconds,
      jti: randomToken(12),
    });
  }
}
