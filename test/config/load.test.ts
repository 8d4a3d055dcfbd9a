import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type LoadResult, loadConfig } from '../../src/config/load.js';
import { freshFolderEachTest, printedIssues, writeConfigFile } from './support.js';

let dir: string;

const write = (name: string, text: string): Promise<string> => writeConfigFile(dir, name, text);

function load(file: string | undefined, env: Record<string, string> = {}): LoadResult {
  return loadConfig({ file, cwd: dir, env });
}

const messages = (result: LoadResult): string[] => printedIssues(result, dir);

describe('loadConfig', () => {
  freshFolderEachTest((made) => (dir = made));

  it('applies defaults and resolves paths against the config folder', async () => {
    const file = await write('conf/config.yaml', 'tesla:\n  client_id: abc\n');
    const result = load(file);
    assert.ok(result.ok);
    const { config } = result.loaded;
    assert.equal(config.tesla.client_id, 'abc');
    assert.equal(config.data_dir, join(dir, 'conf', 'data'));
    assert.equal(config.tesla.private_key, join(dir, 'conf', 'keys', 'private-key.pem'));
    assert.equal(config.mqtt.base_topic, 'teslahub');
    assert.equal(config.polling.energy.live, 60);
  });

  it('reads !secret from secrets.yaml beside the config and reports the values for redaction', async () => {
    await write('secrets.yaml', 'tesla_secret: very-secret-1\nbroker_pw: pw-2345\n');
    const file = await write('config.yaml', 'tesla:\n  client_secret: !secret tesla_secret\nmqtt:\n  password: !secret broker_pw\n');
    const result = load(file);
    assert.ok(result.ok);
    assert.equal(result.loaded.config.tesla.client_secret, 'very-secret-1');
    assert.ok(result.loaded.secrets.includes('very-secret-1'));
    assert.ok(result.loaded.secrets.includes('pw-2345'));
  });

  it('names the secret and the file it looked in when a secret is missing', async () => {
    await write('secrets.yaml', 'other: x\n');
    const file = await write('config.yaml', 'tesla:\n  client_secret: !secret tesla_secret\n');
    const [message] = messages(load(file));
    assert.match(message ?? '', /^tesla\.client_secret: secret "tesla_secret" is not defined in .*secrets\.yaml \(fix: add a line "tesla_secret: <value>"/);
    assert.match(message ?? '', /\[config\.yaml line 2\]$/);
  });

  it('says when secrets.yaml does not exist at all', async () => {
    const file = await write('config.yaml', 'mqtt:\n  password: !secret pw\n');
    const [message] = messages(load(file));
    assert.match(message ?? '', /secret "pw" cannot be read: .*secrets\.yaml does not exist \(fix: create .*secrets\.yaml/);
  });

  it('inserts !include files relative to the including file, with their own line numbers', async () => {
    await write('parts/mqtt.yaml', 'base_topic: home/tesla\nurl: mqtt://broker:1883\n');
    await write('parts/http.yaml', 'port: "eighty"\n');
    const file = await write('config.yaml', 'mqtt: !include parts/mqtt.yaml\nhttp: !include parts/http.yaml\n');
    const [message] = messages(load(file));
    assert.equal(message, 'http.port: expected a number, got "eighty" (fix: write a number here) [parts/http.yaml line 1]');
    await write('parts/http.yaml', 'port: 8081\n');
    const result = load(file);
    assert.ok(result.ok);
    assert.equal(result.loaded.config.mqtt.base_topic, 'home/tesla');
    assert.equal(result.loaded.config.http.port, 8081);
  });

  it('refuses an !include loop instead of recursing forever', async () => {
    await write('a.yaml', 'x: !include b.yaml\n');
    await write('b.yaml', 'y: !include a.yaml\n');
    const file = await write('config.yaml', 'automations: !include a.yaml\n');
    const all = messages(load(file)).join('\n');
    assert.match(all, /includes itself/);
  });

  it('applies TESLAHUB_ environment overrides with types, over the file, and names them in errors', async () => {
    const file = await write('config.yaml', 'http:\n  port: 8080\nmqtt:\n  client_id: from-file\n');
    const result = load(file, {
      TESLAHUB_HTTP__PORT: '9090',
      TESLAHUB_TESLA__CLIENT_SECRET: 'env-secret-xyz',
      TESLAHUB_MQTT__DISCOVERY__ENABLED: 'false',
      TESLAHUB_MQTT__CLIENT_ID: '',
      TESLAHUB_TESLA__SCOPES: '[openid, offline_access, energy_device_data]',
      TESLAHUB_CONFIG: 'ignored.yaml',
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
    const { config, secrets } = result.loaded;
    assert.equal(config.http.port, 9090);
    assert.equal(config.tesla.client_secret, 'env-secret-xyz');
    assert.equal(config.mqtt.discovery.enabled, false);
    assert.equal(config.mqtt.client_id, 'teslahub', 'an empty variable restores the default');
    assert.deepEqual(config.tesla.scopes, ['openid', 'offline_access', 'energy_device_data']);
    assert.ok(secrets.includes('env-secret-xyz'));

    const bad = messages(load(file, { TESLAHUB_HTTP__PROT: '1', TESLAHUB_BUDGET__MONTHLY_USD: 'lots' }));
    assert.deepEqual(bad.sort(), [
      'budget.monthly_usd: expected a number, got "lots" (fix: write a number here) [environment variable TESLAHUB_BUDGET__MONTHLY_USD]',
      'http.prot: unknown key (fix: did you mean "port"? Otherwise remove it) [environment variable TESLAHUB_HTTP__PROT]',
    ]);
  });

  it('reports every problem at once, each with path, problem, fix and line, in reading order', async () => {
    const file = await write(
      'config.yaml',
      [
        'log_level: loud', // 1
        'tesla:', // 2
        '  region: us', // 3
        '  domain: https://Example.com/', // 4
        'mqtt:', // 5
        '  base_topic: a/#', // 6
        'http:', // 7
        '  port: 70000', // 8
        '  username: admin', // 9
        'polling:', // 10
        '  vehicle:', // 11
        '    driving: soon', // 12
        'vehicles:', // 13
        '  - vin: NOTAVIN', // 14
        '  - name: no vin', // 15
        'unknown_section: 1', // 16
      ].join('\n'),
    );
    const all = messages(load(file));
    assert.deepEqual(
      all.map((m) => m.replace(/ \(fix: .*\)/, '')),
      [
        'log_level: "loud" is not allowed [config.yaml line 1]',
        'tesla.region: "us" is not allowed [config.yaml line 3]',
        'tesla.domain: is not a lower-case host name [config.yaml line 4]',
        'mqtt.base_topic: must be topic levels separated by "/", without "+", "#", empty levels or a leading/trailing "/" [config.yaml line 6]',
        'http.port: a port is 0 to 65535 [config.yaml line 8]',
        'http: username and password go together [config.yaml line 7]',
        'polling.vehicle.driving: "soon" is not a duration [config.yaml line 12]',
        'vehicles[0].vin: is not a VIN [config.yaml line 14]',
        'vehicles[1].vin: is required [config.yaml line 15]',
        'unknown_section: unknown key [config.yaml line 16]',
      ].sort(byLine),
    );
    for (const message of all) assert.match(message, /\(fix: .+\)/, `no fix in: ${message}`);
  });

  it('points at the line of a YAML syntax error', async () => {
    const file = await write('config.yaml', 'tesla:\n  client_id: abc\nmqtt:\n  url: mqtt://a\n  url: mqtt://b\n');
    const [message] = messages(load(file));
    assert.match(message ?? '', /^\(config\): YAML syntax error: Map keys must be unique.*\(fix: correct the YAML at that line: .*\) \[config\.yaml line 5\]$/);
  });

  it('keeps the exact digits of energy site ids beyond 2^53', async () => {
    const file = await write('config.yaml', 'energy_sites:\n  - id: 12345678901234567891\n  - id: 1234567890\n');
    const result = load(file);
    assert.ok(result.ok);
    assert.deepEqual(
      result.loaded.config.energy_sites.map((s) => s.id),
      ['12345678901234567891', '1234567890'],
    );
  });

  it('rejects two devices on one topic id', async () => {
    const file = await write('config.yaml', 'vehicles:\n  - vin: 5YJ3E1EA0PF000001\n    topic: car\n  - vin: 5YJ3E1EA0PF000002\n    topic: car\n');
    const [message] = messages(load(file));
    assert.match(message ?? '', /^vehicles\[1\]\.topic: topic id "car" is already used by vehicles\[0\]\.topic/);
  });

  it('treats a section with every key commented out as empty', async () => {
    const file = await write('config.yaml', 'http:\n  # port: 8080\nmqtt:\n  discovery:\n');
    const result = load(file);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
    assert.equal(result.loaded.config.http.port, 8080);
    assert.equal(result.loaded.config.mqtt.discovery.enabled, true);
  });

  it('accepts durations in every documented form', async () => {
    const file = await write('config.yaml', 'polling:\n  vehicle:\n    driving: 90\n    charging: 1m30s\n    asleep_check: 2h\n');
    const result = load(file);
    assert.ok(result.ok);
    assert.equal(result.loaded.config.polling.vehicle.driving, 90);
    assert.equal(result.loaded.config.polling.vehicle.charging, 90);
    assert.equal(result.loaded.config.polling.vehicle.asleep_check, 7200);
  });
});

function byLine(a: string, b: string): number {
  const line = (text: string): number => Number(/line (\d+)\]$/.exec(text)?.[1] ?? 0);
  return line(a) - line(b);
}
