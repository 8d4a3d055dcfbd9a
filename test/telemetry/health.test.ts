import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type StreamFacts, streamHealth } from '../../src/telemetry/health.js';

const HB = 300_000;
const T0 = Date.UTC(2026, 5, 1, 12);

function facts(change: Partial<StreamFacts> = {}): StreamFacts {
  return {
    config: { ok: true, message: 'streams to telemetry.example.com:443' },
    errors: [],
    feedUp: true,
    feedUpSince: T0,
    feedProblem: undefined,
    link: 'connected',
    connectedAt: T0,
    lastLiveAt: T0,
    heartbeatMs: HB,
    ...change,
  };
}

describe('whether a car streams well enough to go unpolled', () => {
  const cases: [string, Partial<StreamFacts>, number, boolean, RegExp][] = [
    ['values arrive', {}, T0 + 60_000, true, /values arrive/],
    ['a connected car within two heartbeats of its last value', {}, T0 + 2 * HB, true, /values arrive/],
    ['a connected car silent for longer than two heartbeats', {}, T0 + 2 * HB + 1, false, /no heartbeat for 600 s although the car is connected/],
    ['an asleep car (DISCONNECTED) long after its last value', { link: 'disconnected' }, T0 + 10 * HB, true, /asleep or offline/],
    ['the configuration is not checked yet', { config: undefined }, T0, false, /checking/],
    [
      'no configuration on the car',
      { config: { ok: false, code: 'no_config', message: 'the car has no streaming configuration from teslahub', fix: 'configure' } },
      T0,
      false,
      /no streaming configuration/,
    ],
    ['the key is not paired', { config: { ok: false, code: 'missing_key', message: 'no key', fix: 'pair' } }, T0, false, /no key \(fix: pair\)/],
    ['the broker is down', { feedUp: false, feedProblem: 'connection refused' }, T0 + 1000, false, /telemetry broker cannot be reached \(connection refused\)/],
    [
      'errors listed and nothing live',
      { link: 'disconnected', lastLiveAt: undefined, errors: [{ vin: 'V', name: 'app', error: 'dial tcp: lookup x: no such host' }] },
      T0,
      false,
      /no such host.*DNS/,
    ],
    [
      'errors listed, but values arrive now (the list is of recent errors)',
      { errors: [{ vin: 'V', name: 'app', error: 'tls: bad certificate' }] },
      T0 + 1000,
      true,
      /values arrive/,
    ],
    [
      'not synced yet, but values arrive: the car adopted it',
      { config: { ok: false, code: 'not_synced', message: 'not yet', fix: 'wait' } },
      T0 + 1000,
      true,
      /values arrive/,
    ],
    [
      'not synced and nothing live',
      { config: { ok: false, code: 'not_synced', message: 'not yet', fix: 'wait' }, lastLiveAt: undefined },
      T0 + 1000,
      false,
      /not yet/,
    ],
    ['a value from before the broker came back is no evidence', { feedUpSince: T0 + 1000, lastLiveAt: T0 }, T0 + 1000 + 2 * HB + 1, false, /no heartbeat/],
    [
      'right after the broker came back: the heartbeat clock starts then',
      { feedUpSince: T0 + 1000, lastLiveAt: T0 },
      T0 + 1000 + 60_000,
      true,
      /waiting for the car's next values/,
    ],
    ['a car never seen on the stream', { link: 'unknown', lastLiveAt: undefined, connectedAt: undefined }, T0 + 1000, false, /waiting for the first values/],
    ['link unknown after values, silent for two heartbeats', { link: 'unknown', connectedAt: undefined }, T0 + 2 * HB + 1, false, /link state is unknown/],
    [
      'the configuration just became usable: the heartbeat clock starts then',
      { configOkAt: T0 + 10 * HB, feedUpSince: T0, lastLiveAt: undefined },
      T0 + 11 * HB,
      true,
      /heartbeat/,
    ],
  ];
  for (const [name, change, now, streaming, reason] of cases) {
    it(name, () => {
      const health = streamHealth(facts(change), now);
      assert.equal(health.streaming, streaming, health.reason);
      assert.match(health.reason, reason);
    });
  }

  it('asks to be looked at again exactly when the heartbeat deadline passes', () => {
    assert.equal(streamHealth(facts({ lastLiveAt: T0 + 5000 }), T0 + 6000).recheckAt, T0 + 5000 + 2 * HB);
  });
});
