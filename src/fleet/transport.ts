import { Agent, request } from 'undici';

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
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** undici with keep-alive connections, per-request timeouts and a bounded connection pool. */
export function createUndiciTransport(options: { connectionsPerOrigin?: number } = {}): { transport: HttpTransport; close: () => Promise<void> } {
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connections: options.connectionsPerOrigin ?? 8,
    connect: { timeout: 10_000 },
  });
  const transport: HttpTransport = async (req) => {
    try {
      const response = await request(req.url, {
        dispatcher: agent,
        method: req.method,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
        ...(req.signal ? { signal: req.signal } : {}),
      });
      const text = await response.body.text();
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: response.statusCode, headers, text };
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new TransportError(
        `${req.method} ${new URL(req.url).host}: ${(error as Error).message}`,
        code,
        !NOT_SENT.has(code ?? ''),
        { cause: error },
      );
    }
  };
  return { transport, close: () => agent.close() };
}
