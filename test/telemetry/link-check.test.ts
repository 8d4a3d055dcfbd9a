import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import { LINK_LOST_MS, LinkCheck, PING_INTERVAL_MS } from '../../src/telemetry/receiver/link-check.js';

function rig() {
  const clock = new FakeClock(Date.UTC(2026, 5, 10, 12));
  const pings: number[] = [];
  let lost = 0;
  const link = new LinkCheck({ clock, ping: () => pings.push(clock.now()), lost: () => (lost += 1) });
  return { clock, pings, link, lost: () => lost, start: clock.now() };
}

describe('link check: when a connected car was last heard', () => {
  it('an answered ping counts from when it was sent, not when the pong came back', async () => {
    const { clock, pings, link, start } = rig();
    assert.equal(link.heardAt, start);
    await clock.advance(PING_INTERVAL_MS);
    assert.deepEqual(pings, [start + PING_INTERVAL_MS]);
    assert.equal(link.awaitingPong, true);
    await clock.advance(400);
    link.pong();
    assert.equal(link.heardAt, start + PING_INTERVAL_MS);
    assert.equal(link.awaitingPong, false);
  });

  it('a pong with no ping out proves nothing; a message counts at its arrival', async () => {
    const { clock, link, start } = rig();
    await clock.advance(3_000);
    link.pong();
    assert.equal(link.heardAt, start);
    link.message(clock.now());
    assert.equal(link.heardAt, start + 3_000);
  });

  it('one ping out at a time: a slow pong delays the next ping', async () => {
    const { clock, pings, link } = rig();
    await clock.advance(PING_INTERVAL_MS * 3);
    assert.equal(pings.length, 1);
    link.pong();
    await clock.advance(PING_INTERVAL_MS);
    assert.equal(pings.length, 2);
  });

  it('a car that answered and then went silent is lost after LINK_LOST_MS; one that never answered is not', async () => {
    const answered = rig();
    await answered.clock.advance(PING_INTERVAL_MS);
    answered.link.pong();
    const heard = answered.link.heardAt;
    await answered.clock.advance(LINK_LOST_MS - PING_INTERVAL_MS);
    assert.equal(answered.lost(), 0, 'silent for less than LINK_LOST_MS');
    await answered.clock.advance(PING_INTERVAL_MS);
    assert.equal(answered.lost(), 1);
    assert.equal(answered.clock.now() - heard, LINK_LOST_MS);
    await answered.clock.advance(LINK_LOST_MS);
    assert.equal(answered.lost(), 1, 'reported once; the checks stop');

    const mute = rig();
    await mute.clock.advance(LINK_LOST_MS * 3);
    assert.equal(mute.lost(), 0);
    assert.ok(mute.pings.length >= 3, 'a ping nobody answered is sent again');
  });

  it('messages keep an answering car heard, so it is never lost while it sends', async () => {
    const { clock, link, lost } = rig();
    await clock.advance(PING_INTERVAL_MS);
    link.pong();
    for (let i = 0; i < 30; i++) {
      await clock.advance(PING_INTERVAL_MS);
      link.message(clock.now());
    }
    assert.equal(lost(), 0);
  });

  it('stops pinging once stopped', async () => {
    const { clock, pings, link } = rig();
    link.stop();
    await clock.advance(PING_INTERVAL_MS * 5);
    assert.equal(pings.length, 0);
    assert.equal(clock.pendingCount, 0);
  });
});
