import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LoadResult, loadConfig } from '../../src/config/load.js';
import { parseListen } from '../../src/telemetry/config-schema.js';
import { freshFolderEachTest, printedIssues, writeConfigFile } from '../config/support.js';

let dir: string;
const load = async (text: string): Promise<LoadResult> => loadConfig({ file: await writeConfigFile(dir, 'config.yaml', text), cwd: dir, env: {} });

describe('telemetry.source and telemetry.receiver in config.yaml', () => {
  freshFolderEachTest((made) => (dir = made));

  it('defaults: the receiver listens on every interface, port 4443, with bounded limits', async () => {
    const result = await load('telemetry:\n  enabled: false\n');
    assert.ok(result.ok);
    const { receiver } = result.loaded.config.telemetry;
    assert.equal(receiver.listen, '0.0.0.0:4443');
    assert.equal(receiver.client_ca, undefined);
    assert.equal(receiver.limits.frame_bytes, 1_000_000);
    assert.equal(receiver.limits.handshake_timeout, 10);
  });

  it('the built-in receiver needs a certificate and key; the error is located and says how to fix it', async () => {
    const result = await load(['telemetry:', '  enabled: true', '  source: builtin', '  receiver:', '    listen: ":4443"'].join('\n'));
    const issues = printedIssues(result, dir);
    assert.equal(issues.length, 2, issues.join('\n'));
    assert.match(
      issues[0] ?? '',
      /^telemetry\.receiver\.cert: is needed by the built-in receiver \(fix: .*fullchain\.pem.*telemetry\.source: mqtt.*\) \[config\.yaml line \d\]$/,
    );
    assert.match(issues[1] ?? '', /^telemetry\.receiver\.key: /);
  });

  it('a bad listen address, source or limit is refused with its line', async () => {
    const result = await load(
      ['telemetry:', '  source: tesla', '  receiver:', '    listen: "https://x:99"', '    limits:', '      frame_bytes: 10'].join('\n'),
    );
    const issues = printedIssues(result, dir).map((m) => m.replace(/ \(fix: .*\)/, ''));
    assert.deepEqual(issues, [
      'telemetry.source: "tesla" is not allowed [config.yaml line 2]',
      'telemetry.receiver.listen: is not "host:port" [config.yaml line 4]',
      'telemetry.receiver.limits.frame_bytes: must be at least 1024 [config.yaml line 6]',
    ]);
  });

  it('parses listen addresses', () => {
    assert.deepEqual(parseListen('0.0.0.0:4443'), { host: '0.0.0.0', port: 4443 });
    assert.deepEqual(parseListen(':443'), { host: '0.0.0.0', port: 443 });
    assert.deepEqual(parseListen('[::]:4443'), { host: '::', port: 4443 });
    assert.deepEqual(parseListen('localhost:0'), { host: 'localhost', port: 0 });
    assert.equal(parseListen('4443'), undefined);
    assert.equal(parseListen('host:70000'), undefined);
  });
});
