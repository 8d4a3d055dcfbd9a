/**
 * Every event that travels on the daemon's bus, by name. Features add their events here so that
 * emitters and listeners agree on payloads at compile time.
 */
export interface DaemonEvents {
  /** The MQTT client finished a (re)connect; retained state must be republished. */
  'mqtt.connected': { url: string; reconnect: boolean };
  'mqtt.disconnected': { url: string; reason: string };
  /** New tokens are saved (after a login or a refresh). */
  'auth.tokens': { sub: string | null; expiresAt: number; scopes: string[]; via: 'login' | 'refresh' };
  /** Tesla refused the refresh token: nothing works until the user logs in again. */
  'auth.login_required': { reason: string };
}
