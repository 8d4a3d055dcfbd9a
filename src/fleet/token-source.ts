/** Why no access token can be had right now. */
export class NoAccessToken extends Error {
  override readonly name = 'NoAccessToken';
  readonly reason: 'logged_out' | 'login_required' | 'refresh_failed';
  readonly fix: string | undefined;

  constructor(reason: 'logged_out' | 'login_required' | 'refresh_failed', message: string, fix?: string) {
    super(message);
    this.reason = reason;
    this.fix = fix;
  }
}

/** Where the Fleet client gets its bearer token; the token manager implements it. */
export interface AccessTokenSource {
  /** A valid access token, refreshed when needed. Throws NoAccessToken. */
  accessToken(): Promise<string>;
  /** Tesla answered 401 to this token: the next accessToken() must not return it again. */
  rejected(token: string): void;
}
