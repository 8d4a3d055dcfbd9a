import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import type { DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { LiveUpdates, type LiveDeps } from '../../src/http/web/live.js';
import { SseChannel } from '../../src/http/sse.js';
import { DeviceRegistry } from '../../src/model/device-registry.js';
import { DeviceNaming } from '../../src/model/naming.js';
import { Topics } from '../../src/mqtt/topics.js';
import { tempDir } from '../support/tmp.js';

const SITES = 40;
const CARS = 10;

/** A browser's end of the event stream: what was written to it. */
function fakeBrowser(): { res: ServerResponse; text: () => string; close: () => void } {
  let written = '';
  const handlers: (() => void)[] = [];
  const res = {
    writableEnded: false,
    destroyed: false,
    writeHead: () => res,
    write: (chunk: string) => {
      written += chunk;
      return true;
    },
    end: () => void (res.writableEnded = true),
    on: (event: string, handler: () => void) => void (event === 'close' && handlers.push(handler)),
  };
  return {
    res: res as unknown as ServerResponse,
    text: () => written,
    close: () => {
      for (const h of handlers) h();
    },
  };
}

/** Counts every registry and poller read, by method and id, to see whose data an update touched. */
function counting<T extends object>(target: T, calls: string[]): T {
  return new Proxy(target, {
    get(object, name, receiver) {
      const value = Reflect.get(object, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(`${String(name)}(${args.filter((a) => typeof a === 'string').join(',')})`);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

describe('the web page live updates', () => {
  const clock = new FakeClock(Date.UTC(2026, 5, 22, 19, 0));
  const bus = new EventBus<DaemonEvents>((error) => {
    throw error;
  });
  const calls: string[] = [];
  const log = new Logger({ level: 'error', format: 'pretty', sink: new MemorySink(), clock });
  let registry: DeviceRegistry;
  let cleanup: () => Promise<void>;
  let live: LiveUpdates;
  let channel: SseChannel;

  before(async () => {
    const dir = await tempDir('teslahub-live-');
    cleanup = dir.cleanup;
    registry = await DeviceRegistry.open(dir.dir, bus, log, clock);
    for (let i = 1; i <= SITES; i += 1)
      registry.updateSite(`10000000000000${String(i).padStart(2, '0')}`, (s) => void (s.live = { solar_power: i * 100, percentage_charged: 50 }));
    for (let i = 1; i <= CARS; i += 1) registry.updateVehicle(`5YJ3E1EA0PF0000${String(i).padStart(2, '0')}`, (v) => void (v.connection = 'asleep'));
    channel = new SseChannel(clock);
    const deps = {
      clock,
      registry: counting(registry, calls),
      naming: new DeviceNaming({ vehicles: [], energy_sites: [] } as never),
      topics: new Topics('teslahub', 'homeassistant'),
      poller: counting({ vehicleDecision: (_vin: string) => undefined }, calls),
      polling: { enabled: true, energy: { live: 60, info: 3600, history: 900 } },
      events: { onEvent: () => () => undefined },
      bus,
      channel,
      log,
    } as unknown as LiveDeps;
    live = new LiveUpdates(deps);
    await live.start();
  });

  after(async () => {
    await live.stop();
    await registry.stop();
    await cleanup();
  });

  it('does no work at all for an update while no browser listens', () => {
    calls.length = 0;
    registry.updateSite('1000000000000003', (s) => void (s.live = { solar_power: 1, percentage_charged: 51 }));
    registry.updateVehicle('5YJ3E1EA0PF000004', (v) => void (v.connection = 'online'));
    assert.deepEqual(calls, []);
  });

  it("reads only the updated device's data on its update, and sends only its changed values", () => {
    const browser = fakeBrowser();
    channel.open(browser.res, live.initial());
    assert.match(browser.text(), /energy_site\.1000000000000040/, 'a new browser gets every device');
    const sentBefore = browser.text().length;
    calls.length = 0;
    registry.updateSite('1000000000000007', (s) => void (s.live = { solar_power: 4321, percentage_charged: 50 }));
    assert.deepEqual(calls, ['site(1000000000000007)'], 'one site updated: only that site is read');
    calls.length = 0;
    registry.updateVehicle('5YJ3E1EA0PF000002', (v) => void (v.connection = 'online'));
    assert.deepEqual(
      calls.filter((c) => !c.endsWith('(5YJ3E1EA0PF000002)')),
      [],
      'one car updated: only that car is read',
    );
    const sent = browser.text().slice(sentBefore);
    const devices = [...sent.matchAll(/"device":"([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(devices)].sort(), ['energy_site.1000000000000007', 'vehicle.5YJ3E1EA0PF000002']);
    assert.match(sent, /4321|4\.3/);
    browser.close();
  });

  it('forgets what it sent once the last browser left, and goes idle again', () => {
    calls.length = 0;
    registry.updateSite('1000000000000009', (s) => void (s.live = { solar_power: 9, percentage_charged: 52 }));
    assert.deepEqual(calls, []);
  });
});
