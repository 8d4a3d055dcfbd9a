import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendText } from '../../http/server.js';
import type { BillingCategory, Region } from '../types.js';
import { randomHex } from '../util/random.js';

/** One request as the simulator's handlers see it. */
export interface SimContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: Record<string, string>;
  rawBody: string;
  /** What the request log records about it (filled in as the request is understood). */
  record: {
    region?: Region;
    vin?: string;
    siteId?: string;
    grantType?: string;
    category: BillingCategory | null;
  };
}

const MAX_BODY_BYTES = 1_000_000;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge('request body over 1 MB');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends JSON (or plain text for a string body) with an `x-txid` header, as every Tesla answer has. */
export function reply(ctx: SimContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const { res } = ctx;
  if (res.headersSent) return;
  res.setHeader('x-txid', randomHex(16));
  for (const [name, value] of Object.entries(headers)) {
    if (value !== '') res.setHeader(name, value);
  }
  if (typeof body === 'string') sendText(res, status, body);
  else sendJson(res, status, body);
}

export function redirect(ctx: SimContext, location: string): void {
  ctx.res.writeHead(302, { location, 'x-txid': randomHex(16), 'content-length': 0 });
  ctx.res.end();
}

/** The JSON body as an object, or undefined when it is empty or not an object. */
export function jsonBody(ctx: SimContext): Record<string, unknown> | undefined {
  if (ctx.rawBody.trim() === '') return {};
  try {
    const parsed = JSON.parse(ctx.rawBody) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function formBody(ctx: SimContext): Record<string, string> {
  const type = ctx.req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    const json = jsonBody(ctx) ?? {};
    return Object.fromEntries(
      Object.entries(json)
        .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
        .map(([k, v]) => [k, String(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(ctx.rawBody));
}

export function bearerToken(ctx: SimContext): string | undefined {
  const header = ctx.req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}

export function basicAuth(ctx: SimContext): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(ctx.req.headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 section 2.3.1: both parts are form-urlencoded before base64.
  const formDecode = (text: string): string => decodeURIComponent(text.replace(/\+/g, ' '));
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}
