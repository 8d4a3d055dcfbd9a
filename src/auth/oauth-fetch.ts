import type { CustomFetch, CustomFetchOptions } from 'openid-client';
import { createHttpTransport, type HttpTransport } from '../fleet/transport.js';

/** What openid-client calls instead of the global fetch (its `customFetch`). */
export type OAuthFetch = CustomFetch;

/** Token requests are small; this is the time allowed for the answer's headers and, separately, its body. */
const TIMEOUT_MS = 30_000;

function bodyText(body: CustomFetchOptions['body']): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError('an OAuth request body must be a string or URLSearchParams');
}

/**
 * openid-client's requests (the token grants) over an HttpTransport, Node's own http/https, like
 * every Fleet request. The global fetch would load a second HTTP engine (undici, with its
 * WebAssembly parser) at the first login and keep it for the process's life: about 10 MiB.
 * Redirects are not followed, as openid-client asks.
 */
export function oauthFetch(transport: HttpTransport): OAuthFetch {
  return async (url, init) => {
    const method = init.method.toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new TypeError(`OAuth requests are GET or POST, not ${method}`);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(init.headers)) headers[name.toLowerCase()] = value;
    const body = bodyText(init.body);
    if (init.body instanceof URLSearchParams && headers['content-type'] === undefined)
      headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    const answer = await transport({
      method,
      url,
      headers,
      timeoutMs: TIMEOUT_MS,
      ...(body !== undefined ? { body } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined) responseHeaders.set(name, value);
    const empty = answer.status === 204 || answer.status === 205 || answer.status === 304;
    return new Response(empty ? null : answer.text, { status: answer.status, headers: responseHeaders });
  };
}

/** HTTP for token requests: Node's http/https, no connection kept open between these rare requests. */
export function tokenRequests(): OAuthFetch {
  return oauthFetch(createHttpTransport({ keepAlive: false, inFlight: 2 }).transport);
}
