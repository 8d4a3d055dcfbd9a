import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ownValue, setOwn } from '../../core/own.js';
import { BodyError, readBody } from '../body.js';
import { type Handler, sendJson } from '../server.js';

export const CSRF_COOKIE = 'teslahub_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/** The cookies of a request by name (the first value wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !Object.hasOwn(cookies, name)) setOwn(cookies, name, part.slice(eq + 1).trim());
  }
  return cookies;
}

export interface CsrfDeps {
  /** The HMAC key, random per daemon start: tokens from an earlier run stop working. */
  secret: Uint8Array;
  /** A fresh random cookie value (base64url). */
  nonce: () => string;
}

export type CsrfVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Double-submit tokens bound to a cookie: the page gets a random nonce in an HttpOnly,
 * SameSite=Strict cookie and, embedded in its HTML, the token HMAC(secret, nonce). A
 * state-changing request must carry the token (header or form field) that matches its cookie,
 * and must not come from another origin. Another site can neither read the page nor set the cookie.
 */
export class CsrfGuard {
  private readonly deps: CsrfDeps;

  constructor(deps: CsrfDeps) {
    this.deps = deps;
  }

  /** The token for this browser, setting its cookie when it has none yet. */
  issue(req: IncomingMessage, res: ServerResponse): string {
    let nonce = ownValue(parseCookies(req.headers.cookie), CSRF_COOKIE);
    if (!nonce || !NONCE.test(nonce)) {
      nonce = this.deps.nonce();
      res.appendHeader('set-cookie', `${CSRF_COOKIE}=${nonce}; Path=/; HttpOnly; SameSite=Strict`);
    }
    return this.tokenFor(nonce);
  }

  tokenFor(nonce: string): string {
    return createHmac('sha256', this.deps.secret).update(nonce).digest('base64url');
  }

  /** Pure check of one request's facts. */
  verify(facts: {
    method: string;
    cookie: string | undefined;
    token: string | undefined;
    origin: string | undefined;
    host: string | undefined;
    fetchSite: string | undefined;
  }): CsrfVerdict {
    if (SAFE_METHODS.has(facts.method)) return { ok: true };
    if (facts.fetchSite === 'cross-site') return { ok: false, reason: 'the request came from another site' };
    if (facts.origin !== undefined && facts.origin !== 'null') {
      let originHost: string;
      try {
        originHost = new URL(facts.origin).host;
      } catch {
        return { ok: false, reason: 'the Origin header is not a URL' };
      }
      if (originHost !== facts.host) return { ok: false, reason: `the request came from ${facts.origin}, not from this server` };
    }
    const nonce = ownValue(parseCookies(facts.cookie), CSRF_COOKIE);
    if (!nonce || !NONCE.test(nonce)) return { ok: false, reason: 'the CSRF cookie is missing (reload the page)' };
    if (!facts.token) return { ok: false, reason: 'the CSRF token is missing (reload the page)' };
    const expected = Buffer.from(this.tokenFor(nonce));
    const given = Buffer.from(facts.token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'the CSRF token does not match (reload the page)' };
    return { ok: true };
  }

  /** Guards every state-changing request in the chain; safe methods pass untouched. */
  handler(): Handler {
    return async (ctx, next) => {
      const { req, res } = ctx;
      const method = req.method ?? 'GET';
      if (SAFE_METHODS.has(method)) return next();
      let token = header(req, CSRF_HEADER);
      if (token === undefined) {
        try {
          token = ownValue((await readBody(req)).fields, CSRF_FIELD);
        } catch (error) {
          if (!(error instanceof BodyError)) throw error;
          sendJson(res, error.status, { error: 'bad_request', message: error.message });
          return;
        }
      }
      const verdict = this.verify({
        method,
        cookie: req.headers.cookie,
        token,
        origin: header(req, 'origin'),
        host: header(req, 'host'),
        fetchSite: header(req, 'sec-fetch-site'),
      });
      if (!verdict.ok) {
        sendJson(res, 403, { error: 'csrf', message: `refused: ${verdict.reason}` });
        return;
      }
      await next();
    };
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
