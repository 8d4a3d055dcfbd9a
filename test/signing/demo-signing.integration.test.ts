import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { CliProcess } from '../support/cli.js';
import { MqttProbe } from '../support/mqtt-probe.js';
import { waitUntil } from '../support/net.js';
import { tempDir } from '../support/tmp.js';

/** `npm start` without a config: the demo car requires signed commands, and the demo pairs its key, so commands work. */
describe('demo mode with signed commands', () => {
  const closers: (() => Promise<unknown> | unknown)[] = [];
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('makes and pairs a demo key; an MQTT /set reaches the car as a signed command', async () => {
    const { dir, cleanup } = await tempDir();
    closers.push(cleanup);
    const child = new CliProcess([], { cwd: dir, env: { TESLAHUB_MQTT__EMBEDDED__PORT: '0', TESLAHUB_HTTP__PORT: '0' } });
    closers.push(async () => {
      child.child.kill('SIGINT');
      await child.wait();
    });
    const [, port] = await child.waitForOutput(/embedded MQTT broker on mqtt:\/\/127\.0\.0\.1:(\d+)/);
    const probe = await MqttProbe.connect(`mqtt://127.0.0.1:${port}`, ['teslahub/#']);
    closers.push(() => probe.close());
    const V = `teslahub/vehicle/${DEMO_VIN}`;
    assert.ok(await waitUntil(() => probe.last(`${V}/charge_limit`) !== undefined, 15_000), `the demo car appears\n${child.output}`);
    const mark = probe.mark;
    await probe.publish(`${V}/charge_limit/set`, '90');
    const result = (): { ok: boolean; error?: string } | undefined =>
      probe.messages
        .slice(mark)
        .filter((m) => m.topic === 'teslahub/bridge/event')
        .map((m) => JSON.parse(m.payload) as { type: string; ok: boolean; error?: string })
        .find((e) => e.type === 'command_result');
    assert.ok(await waitUntil(() => result() !== undefined, 15_000), `no command_result\n${child.output}`);
    assert.equal(result()?.ok, true, `${result()?.error}\n${child.output}`);
    assert.ok(await waitUntil(() => probe.last(`${V}/charge_limit`)?.payload === '90', 10_000), 'the new limit is published');
    assert.match(child.output, /sending signed commands \(Vehicle Command Protocol\) from now on/);
    assert.ok(existsSync(join(dir, 'data', 'demo', 'demo-keys', 'private-key.pem')), 'the demo key pair was made in the data folder');
  });
});
