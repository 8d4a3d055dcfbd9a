import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import type { Clock, Timer } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ReceiverConnection } from '../../http/web/providers.js';
import { CarConnection, type ConnectionSink } from './connection.js';
import { carIdentity } from './identity.js';
import { certificateCause, ConnectionCounts } from './limits.js';
import { Refusals } from './refusals.js';
import { readTlsFiles, type TlsFiles, type TlsPaths } from './tls-files.js';

export interface ReceiverLimits {
  connections: number;
  per_vehicle: number;
  frame_bytes: number;
  /** Seconds. */
  handshake_timeout: number;
  /** Seconds. */
  idle_timeout: number;
  messages_per_minute: number;
}

export interface ReceiverSink extends ConnectionSink {
  /** Only cars in use may connect. */
  accepts(vin: string): boolean;
  connected(vin: string, connectionId: string): void;
  disconnected(vin: string, connectionId: string): void;
}

export interface ReceiverOptions {
  host: string;
  port: number;
  files: TlsPaths;
  limits: ReceiverLimits;
  sink: ReceiverSink;
  clock: Clock;
  log: Logger;
  /** How often the certificate files are checked for a renewal (ms; default one minute). */
  reloadCheckMs?: number;
}

export type ReceiverListener = (up: boolean, problem: string | undefined) => void;

interface Pending {
  vin: string;
  timer: Timer;
}

/** A frame this much over the limit is not even read: ws closes the connection (1009). */
const HARD_FRAME_FACTOR = 4;

/**
 * teslahub's own Fleet Telemetry server: a node:tls server that asks every client for a
 * certificate and verifies it against `client_ca`; a client that is not a car in use, or has no
 * valid certificate, is dropped before a byte of it is read, and never reaches the WebSocket layer
 * (`ws`, without a server of its own). The VIN is the verified certificate's CN, and its issuer
 * must be one Tesla issues car certificates from (identity.ts). The server certificate and key
 * are re-read when they change (certbot renews them) and swapped in with setSecureContext: open
 * connections keep going, new ones get the new certificate.
 */
export class TelemetryReceiver {
  readonly refusals: Refusals;
  private tls: TlsServer | undefined;
  private readonly http: HttpServer;
  private readonly wss: WebSocketServer;
  private readonly counts: ConnectionCounts;
  private readonly pending = new WeakMap<Duplex, Pending>();
  private readonly open = new Set<CarConnection>();
  private readonly sockets = new Set<TLSSocket>();
  private readonly listeners = new Set<ReceiverListener>();
  private files: TlsFiles | undefined;
  private reloadTimer: Timer | undefined;
  private boundPort: number | undefined;
  private problemText: string | undefined;
  private stopped = false;
  private lastReloadProblem: string | undefined;
  private readonly options: ReceiverOptions;

  constructor(options: ReceiverOptions) {
    this.options = options;
    this.refusals = new Refusals(options.log);
    this.counts = new ConnectionCounts(options.limits.connections, options.limits.per_vehicle);
    this.http = createHttpServer({
      requestTimeout: options.limits.handshake_timeout * 1000,
      headersTimeout: options.limits.handshake_timeout * 1000,
      maxHeaderSize: 8192,
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.limits.frame_bytes * HARD_FRAME_FACTOR, perMessageDeflate: false });
    this.http.on('request', (req, res) => this.plainRequest(req, res));
    this.http.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    this.http.on('clientError', (_error, socket) => socket.destroy());
  }

  /** `host:port` while listening. */
  get url(): string {
    return `wss://${this.options.host}:${this.boundPort ?? this.options.port}/`;
  }

  get port(): number | undefined {
    return this.boundPort;
  }

  get listening(): boolean {
    return this.tls?.listening === true;
  }

  get problem(): string | undefined {
    return this.problemText;
  }

  /** The server certificate chain and client CA in use (for the web page's checks). */
  get material(): TlsFiles | undefined {
    return this.files;
  }

  onChange(listener: ReceiverListener): void {
    this.listeners.add(listener);
  }

  /** The cars connected right now. */
  connections(): ReceiverConnection[] {
    return [...this.open].map((c) => c.summary());
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.openServer();
    this.scheduleReloadCheck();
  }

  private async openServer(): Promise<void> {
    try {
      this.files = await readTlsFiles(this.options.files);
      await this.listen(this.files);
      this.problemText = undefined;
      this.options.log.info(`telemetry receiver listening on ${this.options.host}:${this.boundPort ?? this.options.port}`);
      this.tell(true, undefined);
    } catch (error) {
      // Logged and shown; the cars fall back to polling, the daemon keeps running.
      this.problemText = errorMessage(error);
      this.options.log.error(
        `the telemetry receiver cannot start: ${'describe' in (error as object) ? (error as { describe(): string }).describe() : this.problemText}`,
      );
      this.tell(false, this.problemText);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reloadTimer?.cancel();
    this.reloadTimer = undefined;
    for (const connection of this.open) connection.close(1001, 'server stopping');
    for (const socket of this.sockets) socket.destroy();
    const tls = this.tls;
    this.tls = undefined;
    if (tls) await new Promise<void>((resolve) => tls.close(() => resolve()));
    this.wss.close();
    this.listeners.clear();
  }

  /** Re-reads the certificate and key; swaps them in when they changed and load. True when swapped. */
  async reload(): Promise<boolean> {
    let next: TlsFiles;
    try {
      next = await readTlsFiles(this.options.files);
    } catch (error) {
      const text = 'describe' in (error as object) ? (error as { describe(): string }).describe() : errorMessage(error);
      // Only when it changed: the files are checked every minute.
      if (text !== this.lastReloadProblem)
        this.options.log.warn(this.tls ? `telemetry receiver: kept the current certificate: ${text}` : `the telemetry receiver still cannot start: ${text}`);
      this.lastReloadProblem = text;
      if (!this.tls) this.problemText = errorMessage(error);
      return false;
    }
    this.lastReloadProblem = undefined;
    const current = this.files;
    if (current && current.cert === next.cert && current.key === next.key && current.clientCa === next.clientCa) return false;
    this.files = next;
    if (!this.tls) {
      await this.openServer();
      return this.listening;
    }
    this.tls.setSecureContext(this.contextOptions(next));
    this.options.log.info('telemetry receiver: the certificate files changed; new connections get the new certificate, connected cars stay connected');
    return true;
  }

  private contextOptions(files: TlsFiles): { cert: string; key: string; ca: string } {
    return { cert: files.cert, key: files.key, ca: files.clientCa };
  }

  private listen(files: TlsFiles): Promise<void> {
    const tls = createTlsServer({
      ...this.contextOptions(files),
      requestCert: true,
      // Verified against client_ca in the handshake; a failed verification is refused in
      // secureConnection before anything is read, so the cause (none, other CA, expired) is known.
      rejectUnauthorized: false,
      handshakeTimeout: this.options.limits.handshake_timeout * 1000,
      minVersion: 'TLSv1.2',
    });
    tls.on('secureConnection', (socket) => this.secured(socket));
    tls.on('tlsClientError', (error: NodeJS.ErrnoException) =>
      this.refusals.count(error.code === 'ERR_TLS_HANDSHAKE_TIMEOUT' ? 'handshake_timeout' : 'tls_failed', error.code),
    );
    tls.on('error', (error) => this.options.log.error(`telemetry receiver: ${errorMessage(error)}`));
    this.tls = tls;
    return new Promise<void>((resolve, reject) => {
      tls.once('error', reject);
      tls.listen(this.options.port, this.options.host, () => {
        tls.off('error', reject);
        const address = tls.address();
        this.boundPort = typeof address === 'object' && address ? address.port : this.options.port;
        resolve();
      });
    });
  }

  private secured(socket: TLSSocket): void {
    const peer = socket.getPeerCertificate();
    const hasCertificate = peer !== null && typeof peer === 'object' && Object.keys(peer).length > 0;
    if (!socket.authorized) {
      this.refusals.count(certificateCause(hasCertificate, socket.authorizationError?.toString()), socket.authorizationError?.toString());
      socket.destroy();
      return;
    }
    const identity = carIdentity(peer);
    if (!identity.ok) {
      this.refusals.count(identity.cause, identity.detail);
      socket.destroy();
      return;
    }
    const vin = identity.vin;
    if (!this.options.sink.accepts(vin)) {
      this.refusals.count('unknown_vehicle', vin);
      socket.destroy();
      return;
    }
    const admission = this.counts.admit(vin);
    if (!admission.ok) {
      this.refusals.count(admission.cause, vin);
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    let released = false;
    socket.once('close', () => {
      this.sockets.delete(socket);
      if (!released) this.counts.release(vin);
      released = true;
    });
    socket.on('error', () => socket.destroy());
    // The WebSocket upgrade must follow within the handshake time, or the slot is given back.
    const timer = this.options.clock.setTimeout(() => {
      this.refusals.count('handshake_timeout', vin);
      socket.destroy();
    }, this.options.limits.handshake_timeout * 1000);
    this.pending.set(socket, { vin, timer });
    this.http.emit('connection', socket);
  }

  private plainRequest(req: IncomingMessage, res: import('node:http').ServerResponse): void {
    // A verified car asking over plain HTTPS: Tesla's server answers /status the same way.
    if (req.url === '/status') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('mtls ok');
      return;
    }
    this.refusals.count('not_websocket', req.url?.slice(0, 64));
    res.writeHead(426, { 'content-type': 'text/plain', connection: 'close' }).end('a WebSocket upgrade is expected');
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const pending = this.pending.get(socket);
    if (!pending) {
      socket.destroy();
      return;
    }
    this.pending.delete(socket);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      pending.timer.cancel();
      const id = typeof req.headers['x-txid'] === 'string' && req.headers['x-txid'].length <= 64 ? req.headers['x-txid'] : randomUUID();
      const connection = new CarConnection({
        ws,
        vin: pending.vin,
        id,
        limits: this.options.limits,
        clock: this.options.clock,
        sink: this.options.sink,
        refuse: (cause, detail) => this.refusals.count(cause, detail),
        log: this.options.log,
      });
      this.open.add(connection);
      this.options.sink.connected(pending.vin, id);
      ws.once('close', () => {
        this.open.delete(connection);
        connection.stopped();
        this.options.sink.disconnected(pending.vin, id);
      });
    });
  }

  private scheduleReloadCheck(): void {
    this.reloadTimer?.cancel();
    if (this.stopped) return;
    this.reloadTimer = this.options.clock.setTimeout(() => {
      void this.reload().finally(() => this.scheduleReloadCheck());
    }, this.options.reloadCheckMs ?? 60_000);
  }

  private tell(up: boolean, problem: string | undefined): void {
    for (const listener of this.listeners) listener(up, problem);
  }
}
