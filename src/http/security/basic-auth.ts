import { createHash, timingSafeEqual } from 'node:crypto';
import { PUBLIC_KEY_URL_PATH } from '../../signing/keys.js';
import { type Handler, sendJson } from '../server.js';

export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * Paths served without a password: Tesla fetches the public key anonymously, and container
 * health checks and uptime monitors call /healthz (whose body holds no secret).
 */
export const OPEN_PATHS: readonly string[] = [PUBLIC_KEY_URL_PATH, '/healthz'];

/** The user and password of an `Authorization: Basic …` header, or undefined when there is none or it is malformed. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Compares in time independent of where the strings differ (digests have equal length). */
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function credentialsMatch(header: string | undefined, expected: BasicCredentials): boolean {
  const given = parseBasicAuth(header);
  if (!given) return false;
  // Both compared every time, so a wrong user name takes as long as a wrong password.
  const user = sameText(given.username, expected.username);
  const password = sameText(given.password, expected.password);
  return user && password;
}

/** http.username/http.password: every request but OPEN_PATHS needs them. */
export function basicAuthHandler(expected: BasicCredentials): Handler {
  return (ctx, next) => {
    if (OPEN_PATHS.includes(ctx.url.pathname) || credentialsMatch(ctx.req.headers.authorization, expected)) return next();
    ctx.res.setHeader('www-authenticate', 'Basic realm="teslahub", charset="UTF-8"');
    sendJson(ctx.res, 401, { error: 'unauthorized', message: 'this teslahub asks for the user name and password set in http.username and http.password' });
    return undefined;
  };
}
