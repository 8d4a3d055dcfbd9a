import { generateKeyPairSync } from 'node:crypto';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import type { FleetResult } from '../../src/fleet/errors.js';
import { decodeRoutableMessage, encodeRoutableMessage, type RoutableMessage } from '../../src/signing/routable-message.js';
import { VehicleSessionStore } from '../../src/signing/session-store.js';
import { VcpClient } from '../../src/signing/vcp-client.js';
import { EcdhKey } from '../../src/signing/vcp-crypto.js';
import type { ActResult, Exchange } from '../../src/simulator/vcp/vehicle-vcp.js';
import { VehicleVcp } from '../../src/simulator/vcp/vehicle-vcp.js';
import { tempDir } from '../support/tmp.js';

export const VIN = '5YJ3E1EA0PF0SIGN1';

/** A deterministic PRNG (mulberry32) for property tests: the seed is printed with every failure. */
export function prng(seed: number): { next(): number; int(min: number, max: number): number; bytes(n: number): Buffer } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return { next, int, bytes: (n) => Buffer.from(Array.from({ length: n }, () => int(0, 255))) };
}

export interface Bench {
  clock: FakeClock;
  car: VehicleVcp;
  key: EcdhKey;
  client: VcpClient;
  store: VehicleSessionStore;
  sink: MemorySink;
  dir: string;
  /** Payloads the car carried out, as "domain:hex". */
  acted: string[];
  /** Every request the client sent, decoded. */
  sent: RoutableMessage[];
  /** Added to the client's clock to give the car's clock (a skew or a drift). */
  carSkewMs: number;
  /** Changes a reply before the client sees it (fault injection). */
  tamper: ((reply: RoutableMessage, exchange: Exchange) => RoutableMessage) | undefined;
  /** Replaces the Fleet answer entirely (HTTP-level failures). */
  intercept: (() => FleetResult<unknown> | undefined) | undefined;
  /** A second client with its own store on the same key, or the same store after a restart. */
  newClient(options?: { sameStore?: boolean }): Promise<{ client: VcpClient; store: VehicleSessionStore }>;
  close(): Promise<void>;
}

export async function startBench(
  options: { paired?: boolean; encryptResponses?: boolean; act?: (domain: number, payload: Uint8Array) => ActResult } = {},
): Promise<Bench> {
  const { dir, cleanup } = await tempDir('teslahub-vcp-');
  const clock = new FakeClock(Date.UTC(2026, 2, 1, 12));
  const sink = new MemorySink();
  const log = new Logger({ level: 'debug', format: 'pretty', sink, clock });
  const key = EcdhKey.fromKeyObject(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
  const car = new VehicleVcp({
    vin: VIN,
    encryptResponses: options.encryptResponses ?? true,
    ...(options.paired === false ? {} : { pairedKeys: [Buffer.from(key.publicKey).toString('hex')] }),
  });
  let counter = 0;
  const random = (size: number): Uint8Array => {
    counter += 1;
    const bytes = Buffer.alloc(size);
    bytes.writeUInt32BE(counter, 0);
    return bytes;
  };
  const bench = {} as Bench;
  const post = async (vin: string, message: Uint8Array): Promise<FleetResult<unknown>> => {
    const request = decodeRoutableMessage(message);
    bench.sent.push(request);
    const intercepted = bench.intercept?.();
    if (intercepted) return intercepted;
    const exchange = car.handle(request, clock.now() + bench.carSkewMs, (domain, payload) => {
      bench.acted.push(`${domain}:${Buffer.from(payload).toString('hex')}`);
      return options.act ? options.act(domain, payload) : { kind: 'done', ok: true, reason: '' };
    });
    assertVin(vin);
    const reply = bench.tamper ? encodeRoutableMessage(bench.tamper(decodeRoutableMessage(exchange.reply), exchange)) : exchange.reply;
    return { ok: true, value: Buffer.from(reply).toString('base64'), status: 200 };
  };
  const makeClient = (store: VehicleSessionStore): VcpClient => new VcpClient({ post, store, clock, random, log, busyRetryMs: 1000 });
  const store = await VehicleSessionStore.open(dir, log, clock);
  const stores = [store];
  Object.assign(bench, {
    clock,
    car,
    key,
    store,
    client: makeClient(store),
    sink,
    dir,
    acted: [],
    sent: [],
    carSkewMs: 0,
    tamper: undefined,
    intercept: undefined,
    newClient: async (o: { sameStore?: boolean } = {}) => {
      await store.flush();
      const other = await VehicleSessionStore.open(o.sameStore ? dir : `${dir}/other`, log, clock);
      stores.push(other);
      return { client: makeClient(other), store: other };
    },
    close: async () => {
      await Promise.all(stores.map((s) => s.flush()));
      await cleanup();
    },
  });
  return bench;
}

function assertVin(vin: string): void {
  if (vin !== VIN) throw new Error(`posted for ${vin}, expected ${VIN}`);
}
