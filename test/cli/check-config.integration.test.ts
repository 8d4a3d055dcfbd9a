import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

describe('teslahub check-config (spawned CLI)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  after(() => cleanup());

  it('prints every error with path, problem, fix and line, and exits 1', async () => {
    await writeFile(join(dir, 'secrets.yaml'), 'something_else: x\n');
    await writeFile(
      join(dir, 'bad.yaml'),
      [
        'tesla:',
        '  client_secret: !secret tesla_client_secret',
        '  region: mars',
        'mqtt:',
        '  url: ftp://broker',
        'http:',
        '  port: -1',
        'typo_key: 1',
        '',
      ].join('\n'),
    );
    const run = await runCli(['check-config', '--config', 'bad.yaml'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('  '));
    assert.equal(lines.length, 5, run.stderr);
    assert.match(run.stderr, /bad\.yaml has 5 problems:/);
    assert.match(
      run.stderr,
      /tesla\.client_secret: secret "tesla_client_secret" is not defined in .*secrets\.yaml \(fix: add a line "tesla_client_secret: <value>" to .*secrets\.yaml.*\) \[bad\.yaml line 2\]/,
    );
    assert.match(run.stderr, /tesla\.region: "mars" is not allowed \(fix: use one of: auto, na, eu, cn\) \[bad\.yaml line 3\]/);
    assert.match(run.stderr, /mqtt\.url: .*\(fix: .*\) \[bad\.yaml line 5\]/);
    assert.match(run.stderr, /http\.port: .*\(fix: .*\) \[bad\.yaml line 7\]/);
    assert.match(run.stderr, /typo_key: unknown key \(fix: .*\) \[bad\.yaml line 8\]/);
  });

  it('accepts a valid file, exits 0 and notes what is still missing', async () => {
    await writeFile(join(dir, 'good.yaml'), 'mqtt:\n  url: mqtt://127.0.0.1:1883\n');
    const run = await runCli(['check-config', '-c', 'good.yaml'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /good\.yaml is valid\./);
    assert.match(run.stdout, /note: tesla\.client_id and tesla\.client_secret are not set/);
    assert.match(run.stdout, /note: no key pair at keys\/private-key\.pem: run "teslahub keys generate"/);
  });

  it('refuses a data_dir that is a file in check-config, and run exits 1 with the same words (not an internal error)', async () => {
    await writeFile(join(dir, 'a-file'), 'x');
    await writeFile(join(dir, 'data-file.yaml'), 'data_dir: a-file\nmqtt:\n  url: mqtt://127.0.0.1:1\n');
    const check = await runCli(['check-config', '--config', 'data-file.yaml'], { cwd: dir });
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stderr, /data_dir: .*a-file is a file, not a folder \(fix: point data_dir at a folder, or remove the file\) \[data-file\.yaml line 1\]/);
    const run = await runCli(['run', '--config', 'good.yaml', '--data-dir', 'a-file'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /--data-dir: .*a-file is a file, not a folder/);
    assert.doesNotMatch(run.stderr, /internal error|EEXIST| {4}at /);
  });

  it('applies environment overrides when checking, and names the variable in errors', async () => {
    const run = await runCli(['check-config', '--config', 'good.yaml'], { cwd: dir, env: { TESLAHUB_HTTP__PORT: 'eighty' } });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /http\.port: expected a number, got "eighty" .*\[environment variable TESLAHUB_HTTP__PORT\]/);
  });

  it('under npm start, resolves --config from where the user typed it, not the package root', async () => {
    const packageRoot = new URL('../..', import.meta.url).pathname;
    const run = await runCli(['check-config', '--config', 'good.yaml'], {
      cwd: packageRoot,
      env: { npm_lifecycle_event: 'start', INIT_CWD: dir },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /good\.yaml is valid/);
  });

  it('says how to create a config when there is none', async () => {
    const run = await runCli(['check-config'], { cwd: dir });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no config file at .*config\.yaml/);
    assert.match(run.stderr, /fix: create one with "cp config\.example\.yaml config\.yaml"/);
  });

  it('rejects unknown commands and options with usage, exit 1; --help exits 0', async () => {
    const unknown = await runCli(['frobnicate'], { cwd: dir });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const badOption = await runCli(['check-config', '--bogus'], { cwd: dir });
    assert.equal(badOption.code, 1);
    assert.match(badOption.stderr, /Unknown option '--bogus'/);
    const help = await runCli(['check-config', '--help'], { cwd: dir });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: teslahub check-config/);
  });
});
