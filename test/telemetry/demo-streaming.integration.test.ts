import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { CliProcess } from '../support/cli.js';
import { MqttProbe } from '../support/mqtt-probe.js';
import { tempDir } from '../support/tmp.js';

describe('demo mode streams: the simulated cars connect to the built-in receiver on loopback', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });

  it('a demo car is configured, connects with its client certificate and its data source turns to stream', { timeout: 120_000 }, async () => {
    const { dir, cleanup } = await tempDir('teslahub-demo-stream-');
    closers.push(cleanup);
    const child = new CliProcess(['run'], { cwd: dir, env: { TESLAHUB_MQTT__EMBEDDED__PORT: '0', TESLAHUB_HTTP__PORT: '0' } });
    closers.unshift(() => child.dispose());
    const [, port] = await child.waitForOutput(/embedded MQTT broker on mqtt:\/\/127\.0\.0\.1:(\d+)/, 45_000);
    await child.waitForOutput(/demo: the cars stream to the built-in receiver on 127\.0\.0\.1:\d+/, 45_000);
    const watcher = await MqttProbe.connect(`mqtt://127.0.0.1:${port}`, ['teslahub/#']);
    closers.unshift(() => watcher.close());
    // The car adopts the configuration a little after it is sent (as a real car does), then connects.
    await watcher.waitFor(`teslahub/vehicle/${DEMO_VIN}/data_source`, (m) => m.payload === 'stream', 90_000);
    // Connected to the receiver, with values stamped with the car's own time.
    const attributes = await watcher.waitFor(
      `teslahub/vehicle/${DEMO_VIN}/data_source/attributes`,
      (m) => {
        const body = JSON.parse(m.payload) as { link?: string; last_value_at?: string };
        return body.link === 'connected' && typeof body.last_value_at === 'string';
      },
      20_000,
    );
    assert.ok(attributes);
    child.kill('SIGINT');
    assert.equal((await child.wait()).code, 0, child.output.slice(-3000));
  });
});
