import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventBus } from '../../src/core/events.js';

interface TestEvents {
  ping: { n: number };
  pong: string;
}

describe('EventBus', () => {
  it('delivers typed payloads to listeners of that event only', () => {
    const bus = new EventBus<TestEvents>(() => undefined);
    const pings: number[] = [];
    const pongs: string[] = [];
    const owner = {};
    bus.on(owner, 'ping', (p) => void pings.push(p.n));
    bus.on(owner, 'pong', (p) => void pongs.push(p));
    bus.emit('ping', { n: 1 });
    bus.emit('pong', 'x');
    assert.deepEqual(pings, [1]);
    assert.deepEqual(pongs, ['x']);
  });

  it('removes every listener of an owner at once and leaves the others', () => {
    const bus = new EventBus<TestEvents>(() => undefined);
    const a = {};
    const b = {};
    const seen: string[] = [];
    bus.on(a, 'ping', () => void seen.push('a1'));
    bus.on(a, 'pong', () => void seen.push('a2'));
    bus.on(b, 'ping', () => void seen.push('b'));
    bus.removeOwner(a);
    bus.emit('ping', { n: 1 });
    bus.emit('pong', '');
    assert.deepEqual(seen, ['b']);
    assert.equal(bus.listenerCount(), 1);
  });

  it('isolates a throwing or rejecting listener and reports it', async () => {
    const errors: string[] = [];
    const bus = new EventBus<TestEvents>((error, type) => errors.push(`${String(type)}:${(error as Error).message}`));
    const seen: number[] = [];
    bus.on({}, 'ping', () => {
      throw new Error('sync');
    });
    bus.on({}, 'ping', async () => {
      throw new Error('async');
    });
    bus.on({}, 'ping', (p) => void seen.push(p.n));
    bus.emit('ping', { n: 7 });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, [7]);
    assert.deepEqual(errors.sort(), ['ping:async', 'ping:sync']);
  });
});
