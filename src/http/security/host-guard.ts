import { isIP } from 'node:net';
import { html, page } from '../html.js';
import { type Handler, sendHtml } from '../server.js';
import { OPEN_PATHS } from './basic-auth.js';

/** The host name of a Host header, lower case, without port or IPv6 brackets. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const text = header.trim().toLowerCase();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    return end > 0 ? text.slice(1, end) : undefined;
  }
  const colon = text.lastIndexOf(':');
  return colon >= 0 ? text.slice(0, colon) : text;
}

/**
 * Whether a request's Host is one this server answers to. Addresses are always fine; names only
 * when they are loopback names or listed. This stops DNS rebinding: a web page on evil.example
 * whose name is made to point at 127.0.0.1 reaches the daemon with "Host: evil.example".
 */
export function hostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  const name = hostName(header);
  if (name === undefined || name === '') return false;
  if (isIP(name) !== 0) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return allowed.some((entry) => entry.toLowerCase() === name);
}

/**
 * Refuses requests for unknown host names. Used when the web page has no password: with
 * http.username/password set, a rebinding page cannot log in, so any name is fine.
 */
export function hostGuardHandler(allowed: readonly string[]): Handler {
  return (ctx, next) => {
    const host = ctx.req.headers.host;
    if (OPEN_PATHS.includes(ctx.url.pathname) || hostAllowed(host, allowed)) return next();
    const name = hostName(host) ?? '(none)';
    sendHtml(
      ctx.res,
      421,
      page(
        'teslahub: unknown host name',
        html`<h1>teslahub does not answer to “${name}”</h1>
<p>Without a password, teslahub only answers to IP addresses, <code>localhost</code> and the names it knows, so that other web sites cannot reach it through your browser.</p>
<p class="note">Add <code>${name}</code> to <code>http.allowed_hosts</code> in config.yaml, or set <code>http.username</code> and <code>http.password</code>; then restart teslahub.</p>`,
      ),
    );
    return undefined;
  };
}

/** Headers that keep the page from being framed, sniffed or made to load foreign scripts. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

export function securityHeadersHandler(): Handler {
  return (ctx, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) ctx.res.setHeader(name, value);
    return next();
  };
}
