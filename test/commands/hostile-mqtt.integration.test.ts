import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import type { CommandResultEvent } from '../../src/commands/router.js';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { startEntityWorld, type EntityWorld } from '../support/entity-world.js';
import { waitUntil } from '../support/net.js';

const V = `teslahub/vehicle/${DEMO_VIN}`;

type Result = CommandResultEvent;

/**
 * Someone else on the broker: an MQTT 5 client that sets response topics, correlation data and
 * user properties as it likes. Real Mosquitto, the real daemon, the simulator behind it.
 */
describe('hostile MQTT clients (real Mosquitto, MQTT 5)', () => {
  let w: EntityWorld;
  let other: MqttClient;
  const replies: { topic: string; payload: string; correlation?: string }[] = [];

  before(async () => {
    w = await startEntityWorld();
    assert.ok(await waitUntil(() => w.probe.messages.some((m) => m.topic === `${V}/charge_limit`), 15_000), 'the car is published');
    other = await mqtt.connectAsync(w.broker.url, { protocolVersion: 5, clientId: `other-${process.pid}`, reconnectPeriod: 0 });
    other.on('message', (topic, payload, packet) => {
      const correlation = packet.properties?.correlationData?.toString();
      replies.push({ topic, payload: payload.toString(), ...(correlation ? { correlation } : {}) });
    });
    await other.subscribeAsync('replies/#', { qos: 1 });
  });
  after(async () => {
    await other.endAsync(true);
    await w.close();
  });
  beforeEach(() => {
    w.world.sim.world.patchVehicle(DEMO_VIN, { asleep: true, wakeDelay: 1 });
  });

  const results = (since: number): Result[] =>
    w.probe.messages
      .slice(since)
      .filter((m) => m.topic === 'teslahub/bridge/event')
      .map((m) => JSON.parse(m.payload) as Result)
      .filter((e) => e.type === 'command_result');
  const wakes = (): number => w.world.sim.requests().filter((r) => r.path.endsWith('/wake_up')).length;
  const teslaWrites = (): number => w.world.sim.requests().filter((r) => r.method === 'POST' && !r.path.startsWith('/oauth2')).length;
  const send = (topic: string, payload: string, properties: Record<string, unknown>): Promise<unknown> =>
    other.publishAsync(topic, payload, { qos: 1, properties });

  it('never publishes on a wildcard response topic, so the broker does not throw the daemon out', async () => {
    const mark = w.probe.mark;
    for (let i = 0; i < 20; i++) await send(`${V}/charge_limit/set`, '101', { responseTopic: i % 2 ? 'x/#' : 'x/+/y', correlationData: Buffer.from(`c${i}`) });
    assert.ok(await waitUntil(() => results(mark).length >= 20, 15_000), `only ${results(mark).length} results on bridge/event`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(results(mark).length, 20, 'still exactly one result each, on bridge/event');
    assert.ok(w.world.daemon.mqtt.connected, 'still connected');
    assert.doesNotMatch(w.world.sink.text, /lost connection to MQTT broker/);
    const refusals = w.world.sink.text.split('\n').filter((line) => / WARN .*response topic "x\/#"/.test(line));
    assert.equal(refusals.length, 1, `the refusal is logged once per topic: ${refusals.join('\n')}`);
  });

  it('does not turn a reply into a wake request, a bridge request or another command', async () => {
    const mark = w.probe.mark;
    const wakesBefore = wakes();
    const writesBefore = teslaWrites();
    const targets = [
      'teslahub/bridge/request/wake',
      'teslahub/bridge/request/refresh',
      `${V}/charge_limit/set`,
      `${V}/lock/set`,
      'teslahub/bridge/state',
      'homeassistant/status',
      `${V}/charge_limit`,
    ];
    for (const responseTopic of targets) await send(`${V}/charge_limit/set`, '101', { responseTopic, correlationData: Buffer.from('x') });
    assert.ok(await waitUntil(() => results(mark).length >= targets.length, 15_000));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(results(mark).length, targets.length, 'one result per command and no result of a reply run as a command');
    for (const topic of targets) {
      // The other client's own commands carry 101; anything else there came from the daemon.
      const published = w.probe.messages.slice(mark).filter((m) => m.topic === topic && m.payload !== '101');
      assert.deepEqual(published, [], `nothing published on ${topic}`);
    }
    assert.ok(!w.probe.messages.slice(mark).some((m) => m.topic.startsWith('teslahub/bridge/response/')), 'no bridge request was answered');
    assert.equal(wakes(), wakesBefore, 'no car was woken');
    assert.equal(teslaWrites(), writesBefore, 'nothing was sent to Tesla');
  });

  it('answers on a response topic of the requester’s own with its correlation data', async () => {
    await send(`${V}/charge_limit/set`, '101', {
      responseTopic: 'replies/me',
      correlationData: Buffer.from('abc-1'),
      userProperties: { a: 'b', constructor: 'x' },
    });
    assert.ok(await waitUntil(() => replies.some((r) => r.correlation === 'abc-1'), 10_000), 'reply arrived');
    const reply = replies.find((r) => r.correlation === 'abc-1');
    assert.equal(reply?.topic, 'replies/me');
    const body = JSON.parse(reply?.payload ?? '{}') as Result;
    assert.equal(body.ok, false);
    assert.equal(body.entity, 'charge_limit');
  });

  it('wakes a sleeping car once however many ask at the same moment (bridge requests and the wake button)', async () => {
    const wakesBefore = wakes();
    const mark = w.probe.mark;
    await Promise.all([
      ...Array.from({ length: 3 }, (_, i) =>
        w.probe.publish('teslahub/bridge/request/wake', JSON.stringify({ transaction: `t${i}`, device: `vehicle.${DEMO_VIN}` })),
      ),
      w.probe.publish(`${V}/wake/set`, 'PRESS'),
    ]);
    const responses = (): { transaction: string; ok: boolean }[] =>
      w.probe.messages
        .slice(mark)
        .filter((m) => m.topic === 'teslahub/bridge/response/wake')
        .map((m) => JSON.parse(m.payload) as { transaction: string; ok: boolean });
    const pressed = (): Result[] => results(mark).filter((r) => r.entity === 'wake');
    assert.ok(await waitUntil(() => responses().length >= 3 && pressed().length >= 1, 60_000), `responses: ${JSON.stringify(responses())}`);
    assert.deepEqual(
      responses().map((r) => r.ok),
      [true, true, true],
    );
    assert.equal(pressed()[0]?.ok, true, JSON.stringify(pressed()[0]));
    assert.equal(wakes() - wakesBefore, 1, 'one billed wake_up');
  });

  it('knows no device or entity named after a built-in JavaScript property', async () => {
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
    const mark = w.probe.mark;
    const requestsBefore = w.world.sim.requests().length;
    for (const name of names) {
      await w.probe.publish(`teslahub/vehicle/${name}/charge_limit/set`, '80');
      await w.probe.publish(`teslahub/energy_site/${name}/backup_reserve/set`, '50');
      await w.probe.publish(`teslahub/wall_connector/${name}/state/set`, 'ON');
      await w.probe.publish(`${V}/${name}/set`, 'ON');
    }
    assert.ok(await waitUntil(() => results(mark).length >= names.length * 4, 15_000), `only ${results(mark).length} results`);
    const all = results(mark);
    assert.deepEqual(
      all.filter((r) => r.ok),
      [],
      'all refused',
    );
    for (const r of all) assert.match(r.error ?? '', /there is no|have no entity/);
    const reached = w.world.sim
      .requests()
      .slice(requestsBefore)
      .filter((r) => names.some((n) => r.path.includes(n)));
    assert.deepEqual(reached, [], 'nothing named so reached Tesla');

    const bridgeMark = w.probe.mark;
    for (const [i, name] of names.entries()) {
      await w.probe.publish('teslahub/bridge/request/refresh', JSON.stringify({ transaction: `r${i}`, device: `vehicle.${name}` }));
      await w.probe.publish('teslahub/bridge/request/wake', JSON.stringify({ transaction: `w${i}`, device: `energy_site.${name}` }));
      await w.probe.publish(`teslahub/bridge/request/${name}`, JSON.stringify({ transaction: `n${i}`, __proto__: { device: 'x' } }));
    }
    const answers = (): { ok: boolean; error?: string }[] =>
      w.probe.messages
        .slice(bridgeMark)
        .filter((m) => m.topic.startsWith('teslahub/bridge/response/'))
        .map((m) => JSON.parse(m.payload) as { ok: boolean });
    assert.ok(await waitUntil(() => answers().length >= names.length * 3, 15_000), `answers: ${answers().length}`);
    assert.deepEqual(
      answers().filter((a) => a.ok),
      [],
      'every bridge request naming a built-in was refused',
    );
  });
});
