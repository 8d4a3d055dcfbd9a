import type { IncomingMessage } from 'node:http';
import { setOwn } from '../core/own.js';

export const MAX_BODY_BYTES = 16 * 1024;

/** A request body read once: its form fields or JSON object, flattened to strings. */
export interface ParsedBody {
  kind: 'json' | 'form' | 'empty';
  fields: Record<string, string>;
}

export class BodyError extends Error {
  override readonly name = 'BodyError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const cache = new WeakMap<IncomingMessage, Promise<ParsedBody>>();

/**
 * Reads and parses the body of a state-changing request (JSON object or urlencoded form), at most
 * MAX_BODY_BYTES. Cached per request, so the CSRF guard and the route read it once between them.
 */
export function readBody(req: IncomingMessage): Promise<ParsedBody> {
  let pending = cache.get(req);
  if (!pending) {
    pending = read(req);
    cache.set(req, pending);
  }
  return pending;
}

async function read(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new BodyError(413, `the request body is larger than ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof BodyError) throw error;
    // The client went away mid-body: its business, not a fault of the daemon (nobody reads the answer).
    throw new BodyError(400, 'the connection closed before the whole request body arrived');
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return parseBody(req.headers['content-type'] ?? '', text);
}

/** Parses a body by its content type; pure, for tests. */
export function parseBody(contentType: string, text: string): ParsedBody {
  if (text.trim() === '') return { kind: 'empty', fields: {} };
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new BodyError(400, 'the request body is not valid JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BodyError(400, 'the request body must be a JSON object');
    const fields: Record<string, string> = {};
    for (const [key, field] of Object.entries(value)) {
      if (field === null || field === undefined) continue;
      setOwn(fields, key, typeof field === 'object' ? JSON.stringify(field) : String(field));
    }
    return { kind: 'json', fields };
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { kind: 'form', fields: Object.fromEntries(new URLSearchParams(text)) };
  }
  throw new BodyError(415, 'send the request body as application/json or application/x-www-form-urlencoded');
}
