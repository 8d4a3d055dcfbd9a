import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

describe('teslahub keys (spawned CLI)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeFile(join(dir, 'config.yaml'), 'tesla:\n  domain: tesla.example.com\n  private_key: secrets/fleet.pem\n');
  });
  after(() => cleanup());

  it('generates the pair where the config says, private key 0600, and says where to host it', async () => {
    const run = await runCli(['keys', 'generate'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await stat(join(dir, 'secrets', 'fleet.pem'))).mode & 0o777, 0o600);
    assert.match(await readFile(join(dir, 'secrets', 'com.tesla.3p.public-key.pem'), 'utf8'), /BEGIN PUBLIC KEY/);
    assert.match(run.stdout, /host it at: +https:\/\/tesla\.example\.com\/\.well-known\/appspecific\/com\.tesla\.3p\.public-key\.pem/);
    assert.match(run.stdout, /pair a car: +https:\/\/tesla\.com\/_ak\/tesla\.example\.com/);
  });

  it('refuses to overwrite without --force (exit 1, key unchanged), and overwrites with it', async () => {
    const before = await readFile(join(dir, 'secrets', 'fleet.pem'), 'utf8');
    const refused = await runCli(['keys', 'generate'], { cwd: dir });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /already exists/);
    assert.match(refused.stderr, /fix: .*--force/);
    assert.equal(await readFile(join(dir, 'secrets', 'fleet.pem'), 'utf8'), before);
    const forced = await runCli(['keys', 'generate', '--force'], { cwd: dir });
    assert.equal(forced.code, 0, forced.stderr);
    assert.notEqual(await readFile(join(dir, 'secrets', 'fleet.pem'), 'utf8'), before);
  });

  it('shows the public key PEM, its URL and the pairing link', async () => {
    const run = await runCli(['keys', 'show'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const pem = await readFile(join(dir, 'secrets', 'com.tesla.3p.public-key.pem'), 'utf8');
    assert.ok(run.stdout.startsWith(pem), run.stdout);
    assert.match(run.stdout, /https:\/\/tesla\.com\/_ak\/tesla\.example\.com/);
    assert.ok(!run.stdout.includes('PRIVATE'), 'never prints the private key');
  });

  it('explains a missing key and an unknown action', async () => {
    const { dir: empty, cleanup: done } = await tempDir();
    try {
      const show = await runCli(['keys', 'show'], { cwd: empty });
      assert.equal(show.code, 1);
      assert.match(show.stderr, /no private key at .*keys\/private-key\.pem/);
      assert.match(show.stderr, /fix: run "teslahub keys generate"/);
      const bad = await runCli(['keys', 'rotate'], { cwd: empty });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /unknown keys action "rotate"/);
    } finally {
      await done();
    }
  });
});
