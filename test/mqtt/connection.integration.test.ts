import assert from 'node:assert/strict';
import mqttjs, { type IClientOptions } from 'mqtt';
import { after, afterEach, describe, it } from 'node:test';
import { SystemClock } from '../../src/core/clock.js';
import type { DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { type MqttConnect, MqttConnection } from '../../src/mqtt/connection.js';
import { EmbeddedBroker } from '../../src/mqtt/embedded-broker.js';
import { StatePublisher } from '../../src/mqtt/publisher.js';
import { Topics } from '../../src/mqtt/topics.js';
import { startBroker, type TestBroker } from '../support/broker.js';
import { MqttProbe } from '../support/mqtt-probe.js';
import { freePort, waitUntil } from '../support/net.js';

const clock = new SystemClock();

function connection(url: string, sink: MemorySink, protocolVersion: 4 | 5 = 5, connect?: MqttConnect) {
  const log = new Logger({ level: 'debug', format: 'pretty', sink, clock });
  const bus = new EventBus<DaemonEvents>(() => undefined);
  const topics = new Topics('thtest', 'homeassistant');
  const mqtt = new MqttConnection({
    url,
    clientId: `teslahub-test-${Math.random().toString(16).slice(2)}`,
    protocolVersion,
    topics,
    log,
    clock,
    bus,
    reconnect: { initialMs: 100, maxMs: 1_000 },
    ...(connect ? { connect } : {}),
  });
  const publisher = new StatePublisher(mqtt, bus);
  return { mqtt, publisher, topics, bus };
}

describe('MqttConnection against a real broker', () => {
  const toClose: { close(): Promise<void> }[] = [];
  const toStop: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(toStop.splice(0).map((s) => s.stop()));
  });
  after(async () => {
    await Promise.all(toClose.map((c) => c.close()));
  });

  async function broker(options: { port?: number; autostart?: boolean } = {}): Promise<TestBroker> {
    const started = await startBroker(options);
    toClose.push(started);
    return started;
  }

  it('marks the bridge online (retained) on connect and offline on a clean stop', async () => {
    const b = await broker();
    const sink = new MemorySink();
    const { mqtt, publisher, topics } = connection(b.url, sink);
    await publisher.start();
    await mqtt.start();
    toStop.push(mqtt);
    assert.ok(await waitUntil(() => mqtt.connected, 5_000), sink.text);
    const probe = await MqttProbe.connect(b.url, ['thtest/#']);
    toClose.push(probe);
    const online = await probe.waitFor(topics.bridgeState, (m) => m.payload === 'online');
    assert.equal(online.retain, true, 'bridge state is retained');
    await mqtt.stop();
    await probe.waitFor(topics.bridgeState, (m) => m.payload === 'offline');
    const late = await MqttProbe.connect(b.url, ['thtest/bridge/state']);
    toClose.push(late);
    const retained = await late.waitFor(topics.bridgeState, () => true);
    assert.equal(retained.payload, 'offline');
    assert.equal(retained.retain, true);
  });

  it("connects without mqtt.js's number cache (65,536 buffers kept for the process's life)", async () => {
    const b = await broker();
    const sink = new MemorySink();
    const seen: IClientOptions[] = [];
    const { mqtt } = connection(b.url, sink, 5, (url, options) => {
      seen.push(options);
      return mqttjs.connect(url, options);
    });
    await mqtt.start();
    toStop.push(mqtt);
    assert.ok(await waitUntil(() => mqtt.connected, 5_000), sink.text);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.writeCache, false);
  });

  it('delivers subscribed messages with MQTT 5 response properties, and isolates a failing handler', async () => {
    const b = await broker();
    const sink = new MemorySink();
    const { mqtt } = connection(b.url, sink);
    await mqtt.start();
    toStop.push(mqtt);
    const received: string[] = [];
    mqtt.subscribe({}, 'thtest/+/x', () => {
      throw new Error('handler bug');
    });
    mqtt.subscribe({}, 'thtest/+/x', (message) => void received.push(`${message.topic}=${message.payload.toString()}`));
    assert.ok(await waitUntil(() => mqtt.connected, 5_000));
    const probe = await MqttProbe.connect(b.url, ['nothing']);
    toClose.push(probe);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await probe.publish('thtest/a/x', '1');
    await probe.publish('thtest/a/y', '2');
    assert.ok(await waitUntil(() => received.length > 0, 5_000));
    assert.deepEqual(received, ['thtest/a/x=1']);
    assert.match(sink.text, /MQTT message handler failed .*handler bug/);
  });

  it('drops state while the broker is away and republishes the current state when it is back', async () => {
    const b = await broker();
    const sink = new MemorySink();
    const { mqtt, publisher, topics } = connection(b.url, sink);
    await publisher.start();
    await mqtt.start();
    toStop.push(mqtt, publisher);
    assert.ok(await waitUntil(() => mqtt.connected, 5_000));
    publisher.set('thtest/vehicle/car/battery_level', '50');
    await b.stop();
    assert.ok(await waitUntil(() => !mqtt.connected, 5_000));
    // Changes during the outage: only the latest value matters, nothing is queued.
    for (let level = 51; level <= 80; level++) publisher.set('thtest/vehicle/car/battery_level', String(level));
    assert.equal(publisher.size, 1);
    await b.start();
    const started = Date.now();
    assert.ok(await waitUntil(() => mqtt.connected, 15_000), `not reconnected: ${sink.text}`);
    const probe = await MqttProbe.connect(b.url, ['thtest/#']);
    toClose.push(probe);
    const battery = await probe.waitFor('thtest/vehicle/car/battery_level', () => true, 5_000);
    assert.equal(battery.payload, '80');
    assert.equal(battery.retain, true);
    assert.equal((await probe.waitFor(topics.bridgeState, () => true)).payload, 'online');
    assert.deepEqual(
      probe.messages.filter((m) => m.topic.endsWith('battery_level')).map((m) => m.payload),
      ['80'],
      'no replay of the values from the outage',
    );
    assert.ok(Date.now() - started < 15_000);
    assert.match(sink.text, /lost connection to MQTT broker/);
    assert.match(sink.text, /reconnected to MQTT broker/);
  });

  it('keeps trying when the broker is not up yet, and connects once it starts', async () => {
    const port = await freePort();
    const sink = new MemorySink();
    const { mqtt } = connection(`mqtt://127.0.0.1:${port}`, sink);
    await mqtt.start();
    toStop.push(mqtt);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(mqtt.connected, false);
    assert.match(mqtt.problem ?? '', /not accepting connections \(fix: start the broker/);
    await broker({ port });
    assert.ok(await waitUntil(() => mqtt.connected, 10_000), sink.text);
    // One warning for the outage, not one per attempt.
    assert.equal(sink.lines.filter((line) => line.includes('WARN') && line.includes('not accepting')).length, 1);
  });

  it('falls back to MQTT 3.1.1 when the broker cannot speak MQTT 5', async () => {
    const sink = new MemorySink();
    const embedded = new EmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      log: new Logger({ level: 'debug', format: 'pretty', sink, clock }),
      fallbackToFreePort: false,
      ownClientId: 'teslahub',
    });
    await embedded.start();
    toStop.push(embedded);
    const { mqtt } = connection(embedded.url, sink, 5);
    await mqtt.start();
    toStop.unshift(mqtt);
    assert.ok(await waitUntil(() => mqtt.connected, 10_000), sink.text);
    assert.match(sink.text, /does not speak MQTT 5; using MQTT 3\.1\.1/);
  });
});
