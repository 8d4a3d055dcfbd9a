import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { parse } from 'yaml';
import { findMosquitto } from '../support/broker.js';
import { freePort, waitUntil } from '../support/net.js';
import { tempDir } from '../support/tmp.js';

const DOCKER = fileURLToPath(new URL('../../docker/', import.meta.url));
const mosquitto = findMosquitto();
const asRoot = process.getuid?.() === 0;
// The script chowns for the container's users, as root does there.
const skip = !mosquitto || !asRoot ? 'needs mosquitto and root (the credentials script runs as root in its container)' : false;

interface Service {
  ports?: string[];
  environment?: Record<string, string>;
  entrypoint?: string[];
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

describe('docker/compose.yaml: the shipped broker is authenticated by default', () => {
  const compose = parse(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8')) as { services: Record<string, Service> };

  it('publishes Mosquitto and the web page on the host loopback only (the telemetry receiver, mutual TLS, to all), and runs the credentials step first', () => {
    const { mosquitto: broker, teslahub } = compose.services;
    assert.deepEqual(broker?.ports, ['127.0.0.1:1883:1883']);
    // Cars reach the receiver from the internet; it refuses every client without a Tesla certificate.
    assert.deepEqual(teslahub?.ports, ['127.0.0.1:8080:8080', '4443:4443']);
    assert.equal(broker?.depends_on?.['mqtt-credentials']?.condition, 'service_completed_successfully');
    assert.equal(teslahub?.depends_on?.['mqtt-credentials']?.condition, 'service_completed_successfully');
    assert.equal(teslahub?.environment?.TESLAHUB_MQTT__USERNAME, 'teslahub');
    assert.match(
      teslahub?.entrypoint?.join(' ') ?? '',
      /TESLAHUB_MQTT__PASSWORD="\$\$\(cat \/credentials\/teslahub\.password\)" exec node bin\/teslahub\.js "\$\$@"/,
    );
    const conf = readFileSync(join(DOCKER, 'mosquitto.conf'), 'utf8');
    assert.match(conf, /^allow_anonymous false$/m);
    assert.match(conf, /^password_file \/mosquitto\/credentials\/passwords$/m);
  });

  describe('the credentials script and mosquitto.conf, run for real', { skip }, () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    let port: number;
    let stop: () => Promise<void> = async () => undefined;

    before(async () => {
      ({ dir, cleanup } = await tempDir('teslahub-shipped-broker-'));
      const first = spawnSync('sh', [join(DOCKER, 'mqtt-credentials.sh'), dir], { encoding: 'utf8' });
      assert.equal(first.status, 0, first.stderr);
      port = await freePort();
      // The shipped file, with the container's paths and port swapped for this machine's.
      const conf = (await readFile(join(DOCKER, 'mosquitto.conf'), 'utf8'))
        .replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
        .replaceAll('/mosquitto/credentials/', `${dir}/`)
        .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`)
        .replace(/^log_dest stdout$/m, 'log_dest stderr');
      await writeFile(join(dir, 'mosquitto.conf'), `${conf}\n# tests run as root; in the container it is user mosquitto\nuser root\n`);
      const child = spawn(mosquitto as string, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      stop = () =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      assert.ok(await waitUntil(() => /running/.test(output), 5000), output);
    });
    after(async () => {
      await stop();
      await cleanup();
    });

    const attempt = async (options: { username?: string; password?: string }): Promise<string> => {
      try {
        const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
          ...options,
          reconnectPeriod: 0,
          connectTimeout: 5000,
          clientId: `c-${Math.random()}`,
        });
        await client.endAsync(true);
        return 'connected';
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    };

    it('refuses anonymous clients and wrong passwords, and lets teslahub in with its generated one', async () => {
      const password = (await readFile(join(dir, 'teslahub.password'), 'utf8')).trim();
      assert.match(password, /^[0-9a-f]{48}$/);
      assert.match(await attempt({}), /Not authorized|Bad username or password/i);
      assert.match(await attempt({ username: 'teslahub', password: 'guess' }), /Not authorized|Bad username or password/i);
      assert.equal(await attempt({ username: 'teslahub', password }), 'connected');
      const telemetry = (await readFile(join(dir, 'fleet-telemetry.password'), 'utf8')).trim();
      assert.equal(await attempt({ username: 'fleet-telemetry', password: telemetry }), 'connected');
    });

    it('leaves the files to the containers’ users only, and keeps passwords on the next start', async () => {
      const mode = (file: string): number => statSync(join(dir, file)).mode & 0o777;
      assert.equal(statSync(join(dir, 'passwords')).uid, 1883);
      assert.equal(mode('passwords'), 0o600);
      assert.equal(statSync(join(dir, 'teslahub.password')).uid, 1000);
      assert.equal(mode('teslahub.password'), 0o400);
      const before = await readFile(join(dir, 'teslahub.password'), 'utf8');
      const file = await readFile(join(dir, 'passwords'), 'utf8');
      const again = spawnSync('sh', [join(DOCKER, 'mqtt-credentials.sh'), dir], { encoding: 'utf8' });
      assert.equal(again.status, 0, again.stderr);
      assert.equal(await readFile(join(dir, 'teslahub.password'), 'utf8'), before);
      assert.equal(await readFile(join(dir, 'passwords'), 'utf8'), file);
    });
  });
});
