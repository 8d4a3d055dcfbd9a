import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { startBroker, type TestBroker } from '../support/broker.js';
import { CliProcess } from '../support/cli.js';
import { MqttProbe } from '../support/mqtt-probe.js';
import { freePort } from '../support/net.js';
import { tempDir } from '../support/tmp.js';

const STATE = 'teslahub/bridge/state';

describe('the daemon as a process, against real Mosquitto', () => {
  const closers: (() => Promise<void>)[] = [];
  const processes: CliProcess[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.dispose()));
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  async function setup(brokerOptions: { port?: number; autostart?: boolean } = {}): Promise<{ dir: string; broker: TestBroker }> {
    const broker = await startBroker(brokerOptions);
    closers.push(() => broker.close());
    const { dir, cleanup } = await tempDir();
    closers.push(cleanup);
    await writeFile(
      join(dir, 'config.yaml'),
      [`mqtt:`, `  url: ${broker.url}`, `  client_id: teslahub-${Math.random().toString(16).slice(2)}`, 'http:', '  port: 0', ''].join('\n'),
    );
    return { dir, broker };
  }

  function daemon(dir: string, env: Record<string, string> = {}): CliProcess {
    const child = new CliProcess(['run'], { cwd: dir, env });
    processes.push(child);
    return child;
  }

  async function probe(url: string): Promise<MqttProbe> {
    const p = await MqttProbe.connect(url, [STATE]);
    closers.push(() => p.close());
    return p;
  }

  it('is online (retained) after start; SIGTERM makes it offline and exits 0 within 5 s', async () => {
    const { dir, broker } = await setup();
    const child = daemon(dir);
    await child.waitForOutput(/connected to MQTT broker/);
    const watcher = await probe(broker.url);
    const online = await watcher.waitFor(STATE, (m) => m.payload === 'online');
    assert.equal(online.retain, true);
    const mark = watcher.mark;
    const sent = Date.now();
    child.kill('SIGTERM');
    const exit = await child.wait();
    const took = Date.now() - sent;
    assert.equal(exit.code, 0, child.output);
    assert.ok(took < 5_000, `took ${took} ms`);
    await watcher.waitFor(STATE, (m) => m.payload === 'offline', 2_000, mark);
    assert.match(child.output, /stopping \(SIGTERM\)/);
  });

  it('narrows a data folder open to other users to mode 700 at start, and says so', async () => {
    const { dir } = await setup();
    await mkdir(join(dir, 'data'), { mode: 0o755 });
    await chmod(join(dir, 'data'), 0o755);
    const child = daemon(dir);
    await child.waitForOutput(/connected to MQTT broker/);
    assert.equal((await stat(join(dir, 'data'))).mode & 0o777, 0o700);
    assert.match(child.output, /the data folder was open to other users \(mode 755\); restricted it to mode 700/);
  });

  it('has the broker publish the will (offline) when killed with SIGKILL', async () => {
    const { dir, broker } = await setup();
    const child = daemon(dir);
    await child.waitForOutput(/connected to MQTT broker/);
    const watcher = await probe(broker.url);
    await watcher.waitFor(STATE, (m) => m.payload === 'online');
    const mark = watcher.mark;
    child.kill('SIGKILL');
    await child.wait();
    const offline = await watcher.waitFor(STATE, (m) => m.payload === 'offline', 5_000, mark);
    assert.equal(offline.payload, 'offline');
  });

  it('is online again within 15 s after the broker restarts', async () => {
    const { dir, broker } = await setup();
    const child = daemon(dir);
    await child.waitForOutput(/connected to MQTT broker/);
    await broker.restart();
    const restarted = Date.now();
    const watcher = await probe(broker.url);
    await watcher.waitFor(STATE, (m) => m.payload === 'online', 15_000);
    assert.ok(Date.now() - restarted < 15_000);
    await child.waitForOutput(/reconnected to MQTT broker/);
  });

  it('connects once the broker comes up when started before it', async () => {
    const port = await freePort();
    const { dir, broker } = await setup({ port, autostart: false });
    const child = daemon(dir);
    await child.waitForOutput(/not accepting connections/);
    await broker.start();
    const watcher = await probe(broker.url);
    await watcher.waitFor(STATE, (m) => m.payload === 'online', 15_000);
    await child.waitForOutput(/connected to MQTT broker/);
  });

  it('without a config runs the demo: says so, and a car, a site and a Wall Connector appear in MQTT within 10 s', async () => {
    // npm start is exactly this command; run in an empty folder so no config.yaml is found.
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
    assert.equal(pkg.scripts.start, 'node bin/teslahub.js');
    const { dir, cleanup } = await tempDir();
    closers.push(cleanup);
    const started = Date.now();
    const child = daemon(dir, { TESLAHUB_MQTT__EMBEDDED__PORT: '0', TESLAHUB_HTTP__PORT: '0' });
    const [, port] = await child.waitForOutput(/embedded MQTT broker on mqtt:\/\/127\.0\.0\.1:(\d+)/);
    assert.match(child.output, /No config\.yaml in .*, so teslahub runs in DEMO MODE/);
    assert.match(child.output, /cp config\.example\.yaml config\.yaml/);
    assert.match(child.output, /keys generate/);
    const watcher = await MqttProbe.connect(`mqtt://127.0.0.1:${port}`, ['teslahub/#', 'homeassistant/#']);
    closers.push(() => watcher.close());
    await watcher.waitFor(STATE, (m) => m.payload === 'online');
    const seen = (pattern: RegExp): boolean => watcher.messages.some((m) => pattern.test(m.topic) && m.payload !== 'None');
    const all = (): boolean =>
      seen(/^teslahub\/vehicle\/[^/]+\/battery_level$/) &&
      seen(/^teslahub\/energy_site\/[^/]+\/percentage_charged$/) &&
      seen(/^teslahub\/wall_connector\/[^/]+\/power$/);
    for (let i = 0; i < 200 && !all(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(all(), `not all devices appeared: ${[...new Set(watcher.messages.map((m) => m.topic))].slice(0, 20).join(', ')}\n${child.output}`);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.ok(
      watcher.messages.some((m) => /^homeassistant\/device\/teslahub_[^/]+\/config$/.test(m.topic)),
      'with discovery',
    );
    child.kill('SIGINT');
    assert.equal((await child.wait()).code, 0, child.output);
  });

  it('exits 1 with the fix when the HTTP port is taken', async () => {
    const { dir, broker } = await setup();
    const first = daemon(dir, { TESLAHUB_HTTP__PORT: String(await freePort()) });
    const [, port] = await first.waitForOutput(/web interface on http:\/\/127\.0\.0\.1:(\d+)/);
    const second = daemon(dir, { TESLAHUB_HTTP__PORT: port ?? '0', TESLAHUB_MQTT__CLIENT_ID: 'second' });
    const exit = await second.wait();
    assert.equal(exit.code, 1, second.output);
    assert.match(second.output, /HTTP port \d+ on 127\.0\.0\.1 is already in use/);
    assert.match(second.output, /fix: .*http\.port/);
    void broker;
  });
});
