import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { type Clock, SystemClock } from '../../src/core/clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { CarClient } from '../../src/simulator/telemetry/car-client.js';
import { type Issued, testPki } from '../../src/simulator/telemetry/pki.js';
import { type ReceiverLimits, type ReceiverSink, TelemetryReceiver } from '../../src/telemetry/receiver/receiver.js';
import type { Record as TelemetryRecord } from '../../src/telemetry/wire/payload.js';

export const LIMITS: ReceiverLimits = {
  connections: 64,
  per_vehicle: 2,
  frame_bytes: 64 * 1024,
  handshake_timeout: 5,
  idle_timeout: 600,
  messages_per_minute: 6000,
};

export interface Received {
  vin: string;
  record: TelemetryRecord;
  carAt: number;
}

/** A receiver on a free loopback port with a test CA, a sink that records what it got, and car factories. */
export async function receiverRig(dir: string, options: { vins: readonly string[]; limits?: Partial<ReceiverLimits>; clock?: Clock; reloadCheckMs?: number }) {
  const clock = options.clock ?? new SystemClock();
  const pki = testPki(clock.now(), ['localhost', '127.0.0.1']);
  const files = { cert: join(dir, 'fullchain.pem'), key: join(dir, 'privkey.pem'), clientCa: join(dir, 'client-ca.pem') };
  await writeFile(files.cert, pki.server.cert + pki.ca.cert);
  await writeFile(files.key, pki.server.key);
  await writeFile(files.clientCa, pki.ca.cert);
  const sink = new MemorySink();
  const log = new Logger({ level: 'debug', format: 'pretty', sink, clock });
  const received: Received[] = [];
  const links: string[] = [];
  const vins = new Set(options.vins);
  const behaviour = { fail: false, delayMs: 0 };
  const receiverSink: ReceiverSink = {
    accepts: (vin) => vins.has(vin),
    connected: (vin) => links.push(`+${vin}`),
    disconnected: (vin) => links.push(`-${vin}`),
    receive: async (vin, record, carAt) => {
      if (behaviour.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      if (behaviour.fail) throw new Error('disk full');
      received.push({ vin, record, carAt });
    },
  };
  const receiver = new TelemetryReceiver({
    host: '127.0.0.1',
    port: 0,
    files,
    limits: { ...LIMITS, ...options.limits },
    sink: receiverSink,
    clock,
    log,
    ...(options.reloadCheckMs ? { reloadCheckMs: options.reloadCheckMs } : {}),
  });
  await receiver.start();
  const url = (): string => `wss://127.0.0.1:${receiver.port ?? 0}/`;
  const cars: CarClient[] = [];
  const car = (vin: string, cert: Issued = pki.car(vin)): CarClient => {
    const client = new CarClient({
      url: url(),
      servername: 'localhost',
      ca: pki.ca.cert,
      cert: cert.cert,
      key: cert.key,
      vin,
      clock,
      backoffStartMs: 50,
      backoffMaxMs: 200,
    });
    cars.push(client);
    return client;
  };
  /** A raw WebSocket with the given client certificate (or none); `autoPong: false` leaves pings unanswered. */
  const raw = (cert?: Issued, options: { autoPong?: boolean } = {}): WebSocket =>
    new WebSocket(url(), {
      ...options,
      ca: pki.ca.cert,
      ...(cert ? { cert: cert.cert, key: cert.key } : {}),
      ...({ servername: 'localhost' } as object),
      perMessageDeflate: false,
    });
  const close = async (): Promise<void> => {
    for (const c of cars) c.stop();
    await receiver.stop();
  };
  return { receiver, pki, files, received, links, log: sink, behaviour, car, raw, url, close, clock };
}

/** Resolves when `check` holds, polling every 10 ms; rejects after `ms`. */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What a raw socket experiences: opened, closed, messages received. */
export function watch(ws: WebSocket): { opened: boolean; closed: boolean; closeCode: number | undefined; error: string | undefined; messages: Buffer[] } {
  const state = { opened: false, closed: false, closeCode: undefined as number | undefined, error: undefined as string | undefined, messages: [] as Buffer[] };
  ws.on('open', () => (state.opened = true));
  ws.on('message', (data: Buffer) => state.messages.push(data));
  ws.on('error', (error) => (state.error = error.message));
  ws.on('close', (code) => {
    state.closed = true;
    state.closeCode = code;
  });
  return state;
}
