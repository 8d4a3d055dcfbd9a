import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errnoCode, errorMessage, UserError } from '../core/errors.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { Html } from './html.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
}

/** One link of the chain: answer the request, or call `next()` to pass it on. */
export type Handler = (ctx: RequestContext, next: () => Promise<void>) => Promise<void> | void;

export interface HttpServerOptions {
  host: string;
  port: number;
  log: Logger;
  /** The chain so far; more can be mounted before start. */
  handlers?: Handler[];
}

/** node:http with an ordered handler chain; unmatched requests get a JSON 404, thrown errors a JSON 500. */
export class HttpServer implements Service {
  readonly name = 'http';
  private server: Server | undefined;
  private readonly options: HttpServerOptions;
  private readonly chain: Handler[];

  constructor(options: HttpServerOptions) {
    this.options = options;
    this.chain = [...(options.handlers ?? [])];
  }

  /** Appends handlers to the chain; the server is built before the rooms whose routes it serves. */
  mount(handlers: readonly Handler[]): void {
    if (this.server) throw new Error('handlers are mounted before the HTTP server starts');
    this.chain.push(...handlers);
  }

  async start(): Promise<void> {
    const { host, port, log } = this.options;
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // Last resort: the answer itself failed; the socket must not stay open without one.
        log.error('could not answer a request', { error: errorMessage(error) });
        res.destroy();
      });
    });
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => {
        const code = errnoCode(error);
        if (code === 'EADDRINUSE') {
          reject(
            new UserError(
              `HTTP port ${port} on ${host} is already in use by another program`,
              'stop that program, or choose another port with http.port in config.yaml (or TESLAHUB_HTTP__PORT)',
            ),
          );
        } else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
          reject(
            new UserError(`cannot listen on ${host}: no such address on this machine`, 'set http.host to 127.0.0.1, 0.0.0.0 or an address of this machine'),
          );
        } else if (code === 'EACCES') {
          reject(new UserError(`not allowed to listen on port ${port}`, 'use a port above 1023 in http.port'));
        } else {
          reject(error);
        }
      });
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    log.info(`web interface on http://${formatHost(host)}:${this.port}`);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive and SSE connections would otherwise hold close() open.
      server.closeAllConnections();
    });
  }

  /** The bound port (differs from the configured one when that was 0). */
  get port(): number {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address?.port ?? this.options.port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req.url);
    if (!url) {
      // Anyone on the network can send a request line; a broken one is answered, never left open.
      this.options.log.debug('refused a request whose target is not a valid path', { target: (req.url ?? '').slice(0, 200) });
      res.setHeader('connection', 'close');
      sendJson(res, 400, { error: 'bad_request', message: 'the request target is not a valid path (fix: request a path such as /api/status)' });
      return;
    }
    const ctx: RequestContext = { req, res, url };
    const chain = this.chain;
    const run = async (index: number): Promise<void> => {
      const handler = chain[index];
      if (!handler) {
        sendJson(res, 404, { error: 'not_found', message: `nothing at ${ctx.url.pathname}` });
        return;
      }
      await handler(ctx, () => run(index + 1));
    };
    try {
      await run(0);
    } catch (error) {
      this.options.log.error('request failed', { method: req.method, path: ctx.url.pathname, error });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: errorMessage(error) });
      else res.end();
    }
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendHtml(res: ServerResponse, status: number, body: Html): void {
  sendText(res, status, body.text, 'text/html; charset=utf-8');
}

/** A handler for one method and exact path. */
export function route(method: string, path: string, handle: (ctx: RequestContext) => Promise<void> | void): Handler {
  return async (ctx, next) => {
    if (ctx.url.pathname !== path) return next();
    if (ctx.req.method !== method && !(method === 'GET' && ctx.req.method === 'HEAD')) {
      ctx.res.setHeader('allow', method);
      sendJson(ctx.res, 405, { error: 'method_not_allowed', message: `use ${method} for ${path}` });
      return undefined;
    }
    return handle(ctx);
  };
}

/** The request target as a URL on this server, or undefined when it is not a valid one. */
function requestUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
