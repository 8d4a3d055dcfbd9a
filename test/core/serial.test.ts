import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedSerial } from '../../src/core/serial.js';

/** A promise and the hands that settle it. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('KeyedSerial', () => {
  it('starts work for a key only after the previous work for that key settled', async () => {
    const serial = new KeyedSerial();
    const log: string[] = [];
    const first = deferred<string>();
    const a = serial.run('car', async () => {
      log.push('a start');
      return first.promise;
    });
    const b = serial.run('car', async () => {
      log.push('b start');
      return 'b';
    });
    await tick();
    assert.deepEqual(log, ['a start']);
    first.resolve('a');
    assert.equal(await a, 'a');
    assert.equal(await b, 'b');
    assert.deepEqual(log, ['a start', 'b start']);
  });

  it('runs work for different keys alongside', async () => {
    const serial = new KeyedSerial();
    const blocked = deferred<void>();
    const slow = serial.run('car-1', () => blocked.promise);
    assert.equal(await serial.run('car-2', async () => 'other car'), 'other car');
    blocked.resolve();
    await slow;
  });

  it('goes on after a failure, and the failure reaches only its own caller', async () => {
    const serial = new KeyedSerial();
    const failing = serial.run('car', async () => {
      throw new Error('refused');
    });
    const next = serial.run('car', async () => 'next');
    await assert.rejects(failing, /refused/);
    assert.equal(await next, 'next');
  });

  it('forgets a key once its queue is empty', async () => {
    const serial = new KeyedSerial();
    const work = Array.from({ length: 50 }, (_, i) => serial.run(`car-${i % 5}`, async () => i));
    assert.equal(serial.size, 5);
    await Promise.allSettled(work);
    await tick();
    assert.equal(serial.size, 0);
  });
});
