import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff, backoffDelay } from '../../src/core/backoff.js';

describe('backoff', () => {
  const fixed = { initialMs: 1_000, maxMs: 30_000, jitter: 0 };

  it('doubles from the initial delay up to the cap', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, fixed)),
      [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000],
    );
  });

  it('spreads delays by the jitter fraction, never past the cap or below zero', () => {
    const options = { initialMs: 1_000, maxMs: 5_000, jitter: 0.5 };
    assert.equal(backoffDelay(0, { ...options, random: () => 0 }), 500);
    assert.equal(backoffDelay(0, { ...options, random: () => 0.999999 }), 1_500);
    assert.equal(backoffDelay(10, { ...options, random: () => 0.999999 }), 5_000);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff(fixed);
    backoff.next();
    backoff.next();
    assert.equal(backoff.next(), 4_000);
    backoff.reset();
    assert.equal(backoff.next(), 1_000);
  });
});
