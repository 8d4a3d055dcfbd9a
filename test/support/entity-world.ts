import { SystemClock } from '../../src/core/clock.js';
import type { MqttConnect } from '../../src/mqtt/connection.js';
import { startBroker, type TestBroker } from './broker.js';
import { MqttProbe } from './mqtt-probe.js';
import { connectAccount } from './oauth.js';
import { startTeslaWorld, type TeslaWorld } from './tesla-world.js';

export interface EntityWorld {
  world: TeslaWorld;
  broker: TestBroker;
  probe: MqttProbe;
  close(): Promise<void>;
}

/**
 * The daemon with the simulator behind it and a real Mosquitto in front, logged in, with a probe
 * that has seen everything published under the test's base topic and discovery prefix.
 */
export async function startEntityWorld(
  options: { teslaLines?: string[]; configLines?: string[]; polling?: boolean; mqttConnect?: MqttConnect } = {},
): Promise<EntityWorld> {
  const broker = await startBroker();
  const probe = await MqttProbe.connect(broker.url, ['teslahub/#', 'homeassistant/#']);
  const world = await startTeslaWorld({
    clock: new SystemClock(),
    polling: options.polling ?? true,
    ...(options.teslaLines ? { teslaLines: options.teslaLines } : {}),
    mqttLines: [`  url: ${broker.url}`, `  client_id: teslahub-${Math.random().toString(16).slice(2)}`],
    ...(options.configLines ? { configLines: options.configLines } : {}),
    ...(options.mqttConnect ? { mqttConnect: options.mqttConnect } : {}),
  });
  await connectAccount(world.baseUrl);
  return {
    world,
    broker,
    probe,
    close: async () => {
      await world.close();
      await probe.close();
      await broker.close();
    },
  };
}
