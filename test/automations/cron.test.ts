import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCron, type CronSchedule, nextFire } from '../../src/automations/cron.js';
import { localParts } from '../../src/automations/time-zone.js';
import { Harness } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function schedule(expression: string, timeZone: string): CronSchedule {
  const check = checkCron(expression);
  assert.ok(check.ok, `${expression} should be valid`);
  return { expression, timeZone, fields: check.fields };
}

function fires(expression: string, timeZone: string, from: number, count: number): number[] {
  const s = schedule(expression, timeZone);
  const out: number[] = [];
  let t = from;
  for (let i = 0; i < count; i++) {
    const next = nextFire(s, t);
    assert.ok(next !== undefined);
    out.push(next);
    t = next;
  }
  return out;
}

const local = (t: number, zone: string): string => {
  const p = localParts(t, zone);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
};

describe('cron: checking expressions', () => {
  it('says which field is wrong and what it may hold', () => {
    assert.deepEqual(checkCron('61 * * * *'), { ok: false, problem: 'invalid expression "61 * * * *"', fix: 'minute is 0-59' });
    const hour = checkCron('0 24 * * *');
    assert.equal(hour.ok, false);
    assert.equal(!hour.ok && hour.fix, 'hour is 0-23');
    const fields = checkCron('0 22 * *');
    assert.equal(fields.ok, false);
    assert.match(!fields.ok ? fields.fix : '', /5 fields .*6 with seconds first/);
    const never = checkCron('0 0 30 2 *');
    assert.equal(never.ok, false);
  });

  it('accepts node-cron syntax: names, ranges, steps, seconds, L and #', () => {
    for (const expression of ['0 22 * * *', '*/15 6-20 * * mon-fri', '30 0 7 * * *', '0 0 L * *', '0 9 * * 1#2', '0 0 1 jan *', '@daily']) {
      assert.equal(checkCron(expression).ok, true, expression);
    }
  });
});

describe('cron: local times across daylight saving', () => {
  it('fires at 22:00 Berlin time every day across the spring-forward (UTC instants move an hour)', () => {
    const times = fires('0 22 * * *', 'Europe/Berlin', Date.UTC(2026, 2, 27, 12), 4);
    assert.deepEqual(
      times.map((t) => local(t, 'Europe/Berlin')),
      ['2026-03-27 22:00', '2026-03-28 22:00', '2026-03-29 22:00', '2026-03-30 22:00'],
    );
    assert.deepEqual(
      times.map((t) => new Date(t).getUTCHours()),
      [21, 21, 20, 20],
    );
  });

  it('fires at 07:30 New York time across the fall-back', () => {
    const times = fires('30 7 * * *', 'America/New_York', Date.UTC(2026, 9, 30, 12), 3);
    assert.deepEqual(
      times.map((t) => local(t, 'America/New_York')),
      ['2026-10-31 07:30', '2026-11-01 07:30', '2026-11-02 07:30'],
    );
    assert.deepEqual(
      times.map((t) => new Date(t).toISOString().slice(11, 16)),
      ['11:30', '12:30', '12:30'],
    );
    assert.equal(times[1]! - times[0]!, DAY + HOUR, 'the night of the change is an hour longer');
  });

  it('a time the spring-forward skips fires once, right after the gap; the repeated hour fires once', () => {
    const spring = fires('30 2 * * *', 'Europe/Berlin', Date.UTC(2026, 2, 28, 12), 2);
    assert.deepEqual(
      spring.map((t) => local(t, 'Europe/Berlin')),
      ['2026-03-29 03:00', '2026-03-30 02:30'],
    );
    const fall = fires('30 2 * * *', 'Europe/Berlin', Date.UTC(2026, 9, 24, 12), 2);
    assert.deepEqual(
      fall.map((t) => new Date(t).toISOString()),
      ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    );
  });

  it('an every-hour schedule follows the clock: no extra run in the gap, both runs in the repeated hour', () => {
    const spring = fires('15 * * * *', 'Europe/Berlin', Date.UTC(2026, 2, 28, 23, 30), 3);
    assert.deepEqual(
      spring.map((t) => local(t, 'Europe/Berlin')),
      ['2026-03-29 01:15', '2026-03-29 03:15', '2026-03-29 04:15'],
    );
    const fall = fires('15 * * * *', 'Europe/Berlin', Date.UTC(2026, 9, 24, 23, 30), 3);
    assert.deepEqual(
      fall.map((t) => new Date(t).toISOString()),
      ['2026-10-25T00:15:00.000Z', '2026-10-25T01:15:00.000Z', '2026-10-25T02:15:00.000Z'],
    );
    assert.deepEqual(
      fall.map((t) => local(t, 'Europe/Berlin')),
      ['2026-10-25 02:15', '2026-10-25 02:15', '2026-10-25 03:15'],
    );
  });

  it('the engine on the fake clock runs a cron automation at local 22:00 through the change, and at no other time', async () => {
    const h = new Harness(Date.UTC(2026, 2, 27, 12));
    await h.start(`
- id: nightly
  triggers:
    - trigger: cron
      cron: "0 22 * * *"
      timezone: Europe/Berlin
  actions:
    - action: publish
      topic: home/nightly
      payload: "{{ 21 + 1 }}"
`);
    await h.clock.advance(4 * DAY);
    assert.deepEqual(
      h.published.map((p) => local(p.at, 'Europe/Berlin')),
      ['2026-03-27 22:00', '2026-03-28 22:00', '2026-03-29 22:00', '2026-03-30 22:00'],
    );
    assert.deepEqual(
      h.published.map((p) => p.payload),
      ['22', '22', '22', '22'],
    );
    const runs = h.runs('nightly');
    assert.equal(runs.length, 4);
    assert.deepEqual(runs[0]?.trigger, { platform: 'cron', at: 'triggers[0]' });
    await h.stop();
    await h.clock.advance(DAY);
    assert.equal(h.published.length, 4, 'nothing fires after stop');
    assert.equal(h.clock.pendingCount, 0, 'no timer left behind');
  });

  it('after the clock jumps over several scheduled times (host suspended), fires once, then keeps its schedule', async () => {
    const h = new Harness(Date.UTC(2026, 5, 1, 10));
    await h.start(`
- id: hourly
  triggers:
    - trigger: cron
      cron: "0 * * * *"
      timezone: UTC
  actions:
    - action: publish
      topic: home/hourly
      payload: tick
`);
    await h.clock.advance(HOUR);
    assert.equal(h.published.length, 1, '11:00');
    // Asleep from 11:00 to 15:30: 12:00, 13:00, 14:00 and 15:00 were missed.
    h.clock.set(Date.UTC(2026, 5, 1, 15, 30));
    await h.clock.advance(0);
    await h.clock.advance(HOUR);
    const times = h.published.map((p) => new Date(p.at).toISOString().slice(11, 16));
    assert.deepEqual(times, ['11:00', '15:30', '16:00'], 'one catch-up run at the jump, not one per missed hour, then back on schedule');
    await h.stop();
  });
});
