import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { SystemClock } from '../../src/core/clock.js';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { startBroker, type TestBroker } from '../support/broker.js';
import { MqttProbe } from '../support/mqtt-probe.js';
import { waitUntil } from '../support/net.js';
import { connectAccount } from '../support/oauth.js';
import { startTeslaWorld, type TeslaWorld } from '../support/tesla-world.js';

const SET = `teslahub/vehicle/${DEMO_VIN}/charge_limit/set`;
const CLIENT_ID = `teslahub-retained-${process.pid}`;

/** What a daemon did with commands: results announced, writes that reached Tesla, warnings logged. */
function observe(world: TeslaWorld, probe: MqttProbe) {
  return {
    results: (since: number) =>
      probe.messages
        .slice(since)
        .filter((m) => m.topic === 'teslahub/bridge/event')
        .map((m) => JSON.parse(m.payload) as { type: string; entity?: string; ok?: boolean })
        .filter((e) => e.type === 'command_result' && e.entity === 'charge_limit'),
    teslaWrites: () => world.sim.requests().filter((r) => r.method === 'POST' && !r.path.startsWith('/oauth2')).length,
    warnings: () => world.sink.text.split('\n').filter((line) => / WARN .*ignored a retained message on .*charge_limit\/set/.test(line)).length,
  };
}

/** Kicks the daemon off the broker by connecting with its client id, so it reconnects and subscribes again. */
async function takeOver(url: string): Promise<void> {
  const intruder = await mqtt.connectAsync(url, { clientId: CLIENT_ID, reconnectPeriod: 0, protocolVersion: 4 });
  await intruder.endAsync(true);
}

async function carPublished(probe: MqttProbe): Promise<void> {
  assert.ok(await waitUntil(() => probe.messages.some((m) => m.topic === `teslahub/vehicle/${DEMO_VIN}/charge_limit`), 20_000), 'the car is published');
}

for (const kind of ['embedded broker (aedes, MQTT 3.1.1)', 'Mosquitto (MQTT 5)'] as const) {
  describe(`a retained /set is never carried out: ${kind}`, () => {
    let broker: TestBroker | undefined;
    let world: TeslaWorld;
    let probe: MqttProbe;
    let url: string;

    before(async () => {
      const embedded = kind.startsWith('embedded');
      if (!embedded) {
        broker = await startBroker();
        // Waiting on the broker before teslahub starts: replayed on its first subscribe.
        const early = await mqtt.connectAsync(broker.url, { clientId: `early-${process.pid}`, reconnectPeriod: 0 });
        await early.publishAsync(SET, '61', { retain: true, qos: 1 });
        await early.endAsync();
      }
      world = await startTeslaWorld({
        clock: new SystemClock(),
        polling: true,
        mqttLines: [...(broker ? [`  url: ${broker.url}`] : ['  embedded:', '    port: 0']), `  client_id: ${CLIENT_ID}`],
      });
      url = broker?.url ?? world.daemon.broker?.url ?? '';
      probe = await MqttProbe.connect(url, ['teslahub/#']);
      await connectAccount(world.baseUrl);
      await carPublished(probe);
    });
    after(async () => {
      await probe.close();
      await world.close();
      await broker?.close();
    });

    it('ignores one published live with the retain flag, and the copy the broker replays on subscribe', async () => {
      const seen = observe(world, probe);
      const mark = probe.mark;
      const writes = seen.teslaWrites();
      const warningsBefore = seen.warnings();
      if (broker) assert.ok(warningsBefore >= 1, 'the retained command waiting on the broker at start was ignored');
      const sender = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: `sender-${process.pid}`, reconnectPeriod: 0 });
      await sender.publishAsync(SET, '77', { retain: true, qos: 1 });
      assert.ok(await waitUntil(() => seen.warnings() > warningsBefore, 10_000), 'the live retained command is logged as ignored');

      await takeOver(url);
      assert.ok(await waitUntil(() => seen.warnings() > warningsBefore + 1, 15_000), 'the replayed copy is logged as ignored');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(seen.results(mark), [], 'no command result: nothing was run');
      assert.equal(seen.teslaWrites(), writes, 'nothing reached Tesla');

      await sender.publishAsync(SET, '', { retain: true, qos: 1 });
      await sender.endAsync(true);
      const good = probe.mark;
      await probe.publish(SET, '66');
      assert.ok(await waitUntil(() => seen.results(good).some((r) => r.ok === true), 20_000), 'a command without the retain flag still runs');
    });
  });
}
