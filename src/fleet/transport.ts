import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Time allowed for the response headers and, separately, its body. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}

/** Raised when no HTTP response arrived at all; `sent` tells whether the request may have left. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code: string | undefined;
  readonly sent: boolean;

  constructor(message: string, code: string | undefined, sent: boolean, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.sent = sent;
  }
}

/** The daemon's only way out to HTTP servers; tests may pass another. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

// Errors raised before a single byte of the request could have left the machine.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CONNECT_TIMEOUT']);

/** The largest answer read; Fleet answers are kilobytes, so more is a fault, not data. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;

/** A failure of our own making (a timeout, an oversized answer), with a code like the system's. */
function failure(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * Requests under way at once. A burst (500 commands from an automation gone wild) waits here as
 * a queue of small closures rather than as hundreds of open requests with their buffers, so memory
 * stays flat; 16 keeps every connection of the pool busy.
 */
const IN_FLIGHT = 16;

class Turns {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
}

/**
 * Node's own http/https with keep-alive connections (unless `keepAlive` is false: then none stays
 * open and `close` is not needed), a bounded pool per origin, a connect timeout and per-request
 * timeouts (one for the answer's headers, one for its body). Nothing is retried
 * here: a 421 goes back to the Fleet client, which moves to the region Tesla names.
 */
export function createHttpTransport(options: { connectionsPerOrigin?: number; inFlight?: number; keepAlive?: boolean } = {}): {
  transport: HttpTransport;
  close: () => Promise<void>;
} {
  const pool = {
    keepAlive: options.keepAlive ?? true,
    keepAliveMsecs: 30_000,
    maxSockets: options.connectionsPerOrigin ?? 8,
    maxFreeSockets: 4,
    timeout: 120_000,
  };
  const agents: Agents = { http: new HttpAgent(pool), https: new HttpsAgent(pool) };
  const open = new Set<Promise<unknown>>();
  const turns = new Turns(options.inFlight ?? IN_FLIGHT);
  const transport: HttpTransport = (req) => {
    const pending = turns.run(() => send(req, agents));
    open.add(pending);
    const done = (): void => void open.delete(pending);
    pending.then(done, done);
    return pending;
  };
  // Like closing a connection pool: the requests under way finish, then no connection stays open.
  return {
    transport,
    close: async () => {
      await Promise.allSettled([...open]);
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function flatten(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

// Timeouts measure the network in real time, as a socket's own do, not the daemon's clock.
function send(req: HttpRequest, agents: Agents): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url);
    const https = url.protocol === 'https:';
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const headers = { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    const options = { method: req.method, headers, agent: https ? agents.https : agents.http, ...(req.signal ? { signal: req.signal } : {}) };
    const request = https ? httpsRequest(url, options) : httpRequest(url, options);
    let timer = setTimeout(() => request.destroy(failure('UND_ERR_HEADERS_TIMEOUT', `no answer within ${req.timeoutMs} ms`)), req.timeoutMs);
    let settled = false;
    const fail = (error: unknown): void => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      const code = (error as { code?: unknown }).code;
      const text = typeof code === 'string' ? code : undefined;
      reject(
        new TransportError(`${req.method} ${url.host}: ${error instanceof Error ? error.message : String(error)}`, text, !NOT_SENT.has(text ?? ''), {
          cause: error,
        }),
      );
    };
    request.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connectTimer = setTimeout(() => request.destroy(failure('CONNECT_TIMEOUT', `no connection within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      socket.once(https ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      socket.once('close', () => clearTimeout(connectTimer));
    });
    request.on('error', fail);
    request.on('response', (res) => {
      clearTimeout(timer);
      timer = setTimeout(() => res.destroy(failure('UND_ERR_BODY_TIMEOUT', `no complete answer within ${req.timeoutMs} ms`)), req.timeoutMs);
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_RESPONSE_BYTES) res.destroy(failure('RESPONSE_TOO_LARGE', `the answer is larger than ${MAX_RESPONSE_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(failure('ECONNRESET', 'the connection closed before the answer was complete'));
      });
      res.on('end', () => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: flatten(res.headers), text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end(body);
  });
}
