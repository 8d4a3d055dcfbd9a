import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_SITE_ID, DEMO_VIN } from '../../src/simulator/index.js';
import { startEntityWorld, type EntityWorld } from '../support/entity-world.js';
import { waitUntil } from '../support/net.js';

const V = `teslahub/vehicle/${DEMO_VIN}`;
const S = `teslahub/energy_site/${DEMO_SITE_ID}`;
const COUNT = 1000;

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

type Bad = Buffer | string;

/** Bad payloads per kind of control: wrong type, out of range, unknown option, empty, huge, not UTF-8, JSON where a value belongs. */
function badPayloads(next: () => number): { topic: string; payload: Bad; why: string }[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const garbage = (): string => Array.from({ length: 1 + Math.floor(next() * 20) }, () => String.fromCharCode(33 + Math.floor(next() * 90))).join('');
  const generators: (() => { topic: string; payload: Bad; why: string })[] = [
    () => ({ topic: `${V}/charge_limit`, payload: String(101 + Math.floor(next() * 1000)), why: 'above the maximum' }),
    () => ({ topic: `${V}/charge_limit`, payload: String(-Math.floor(next() * 1000) - 1), why: 'below the minimum' }),
    () => ({ topic: `${V}/charge_limit`, payload: `${50 + Math.floor(next() * 49)}.${1 + Math.floor(next() * 9)}`, why: 'off the step' }),
    () => ({
      topic: `${V}/charge_current`,
      payload: pick(['ten', 'NaN', 'Infinity', '1e3', '0x10', '12A', '[16]', '{"value": 16}', 'true', 'null']),
      why: 'not a number',
    }),
    () => ({ topic: `${V}/charge_limit`, payload: JSON.stringify({ percent: 80 }), why: 'JSON where a number belongs' }),
    () => ({ topic: `${V}/seat_heater_front_left`, payload: pick(['LOW', 'hot', 'max', '3', 'on', garbage()]), why: 'unknown option' }),
    () => ({ topic: `${V}/sentry_mode`, payload: pick(['1', 'yes', 'true', 'enable', garbage()]), why: 'not ON/OFF' }),
    () => ({ topic: `${V}/lock`, payload: pick(['OPEN', 'unlocked', 'locked', '0', garbage()]), why: 'not LOCK/UNLOCK' }),
    () => ({ topic: `${V}/frunk`, payload: pick(['CLOSE', 'STOP', 'shut', garbage()]), why: 'unsupported cover command' }),
    () => ({
      topic: `${V}/climate`,
      payload: pick(['{"temperature": 99}', '{"mode": "cool"}', '{"preset": "none"}', '{"mode": "off", "temperature": 20}', '{}', '[1]', garbage()]),
      why: 'bad climate command',
    }),
    () => ({ topic: `${V}/flash_lights`, payload: pick(['click', 'PRESSED', '1', garbage()]), why: 'not PRESS' }),
    () => ({ topic: `${V}/battery_level`, payload: '50', why: 'a read-only entity' }),
    () => ({ topic: `${V}/no_such_entity`, payload: 'ON', why: 'an unknown entity' }),
    () => ({ topic: 'teslahub/vehicle/NOTACAR/charge_limit', payload: '80', why: 'an unknown device' }),
    () => ({ topic: `${S}/backup_reserve`, payload: pick(['101', '-5', 'half', '50.5']), why: 'bad reserve' }),
    () => ({ topic: `${S}/operation_mode`, payload: pick(['eco', 'AUTONOMOUS', '1', garbage()]), why: 'unknown mode' }),
    () => ({
      topic: `${S}/battery_control`,
      payload: pick(['{"option": "charge", "duration": "forever"}', '{"option": "boost"}', '{"option": "charge", "duration": 0}']),
      why: 'bad battery control',
    }),
    () => ({ topic: `${S}/storm_watch`, payload: pick(['maybe', '2', garbage()]), why: 'not ON/OFF' }),
    () => ({ topic: pick([`${V}/charge_limit`, `${S}/backup_reserve`, `${V}/lock`]), payload: pick(['', ' ', '\t\n']), why: 'empty' }),
    () => ({ topic: pick([`${V}/charge_limit`, `${V}/sentry_mode`]), payload: Buffer.alloc(100_000, 0x37), why: '100 kB' }),
    () => ({ topic: pick([`${V}/charge_limit`, `${V}/lock`]), payload: Buffer.from([0x38, 0xc3, 0x28, 0xff, 0xfe]), why: 'invalid UTF-8' }),
  ];
  return Array.from({ length: COUNT }, () => pick(generators)());
}

describe('command fuzzing (real Mosquitto, simulator)', () => {
  let w: EntityWorld;
  before(async () => {
    w = await startEntityWorld();
    assert.ok(
      await waitUntil(
        () => w.probe.messages.some((m) => m.topic === `${V}/charge_limit`) && w.probe.messages.some((m) => m.topic === `${S}/backup_reserve`),
        15_000,
      ),
    );
  });
  after(() => w.close());

  it(`answers ${COUNT} bad payloads with one ok:false result each, sends nothing to Tesla, and keeps running`, async () => {
    const cases = badPayloads(random(20261122));
    const posts = (): number => w.world.sim.requests().filter((r) => r.method === 'POST' && !r.path.startsWith('/oauth2')).length;
    const before = posts();
    const mark = w.probe.mark;
    for (const { topic, payload } of cases) await w.probe.publish(`${topic}/set`, payload as string);
    const results = (): { ok: boolean; error?: string }[] =>
      w.probe.messages
        .slice(mark)
        .filter((m) => m.topic === 'teslahub/bridge/event')
        .map((m) => JSON.parse(m.payload) as { type: string; ok: boolean; error?: string })
        .filter((e) => e.type === 'command_result');
    assert.ok(await waitUntil(() => results().length >= COUNT, 60_000), `only ${results().length} results`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const all = results();
    assert.equal(all.length, COUNT, 'exactly one result per command');
    assert.deepEqual(
      all.filter((r) => r.ok),
      [],
      'every bad payload was refused',
    );
    for (const result of all) assert.ok((result.error ?? '').length > 10, `a reason for every refusal: ${JSON.stringify(result)}`);
    assert.equal(posts(), before, 'no command, wake or setting reached the Fleet API');
    const health = await fetch(`${w.world.baseUrl}/healthz`);
    assert.equal(health.status, 200);
    const good = w.probe.mark;
    await w.probe.publish(`${V}/charge_limit/set`, '77');
    assert.ok(
      await waitUntil(
        () => w.probe.messages.slice(good).some((m) => m.topic === 'teslahub/bridge/event' && (JSON.parse(m.payload) as { ok: boolean }).ok),
        15_000,
      ),
      'still carries out a good command',
    );
  });
});
