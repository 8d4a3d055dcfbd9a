import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { SystemClock } from '../../src/core/clock.js';
import { Simulator } from '../../src/simulator/index.js';
import type { TokenFile } from '../../src/storage/token-store.js';
import { CliProcess, runCli } from '../support/cli.js';
import { freePort } from '../support/net.js';
import { simulatorTeslaLines } from '../support/tesla-world.js';
import { tempDir } from '../support/tmp.js';

describe('teslahub login, register and status against the simulator (spawned CLI)', () => {
  let sim: Simulator;
  let dir: string;
  let cleanup: () => Promise<void>;
  let servedKey: () => Promise<string | undefined>;
  let callbackPort: number;

  before(async () => {
    ({ dir, cleanup } = await tempDir('teslahub-cli-tesla-'));
    servedKey = async () => readFile(join(dir, 'keys', 'com.tesla.3p.public-key.pem'), 'utf8').catch(() => undefined);
    sim = new Simulator({ clock: new SystemClock(), fetchPublicKey: () => servedKey() });
    await sim.start();
    callbackPort = await freePort();
    await writeFile(
      join(dir, 'config.yaml'),
      [...simulatorTeslaLines(sim), '  domain: teslahub.example.com', `  redirect_uri: http://localhost:${callbackPort}/auth/callback`, ''].join('\n'),
    );
  });
  after(async () => {
    await sim.stop();
    await cleanup();
  });

  async function authorizeRedirect(url: string): Promise<string> {
    const answer = await fetch(url, { redirect: 'manual' });
    assert.equal(answer.status, 302);
    return answer.headers.get('location') ?? '';
  }

  it('logs in from a terminal: prints the URL, receives the callback itself, saves the tokens 0600', async () => {
    const login = new CliProcess(['login'], { cwd: dir });
    try {
      const [url] = await login.waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/oauth2\/v3\/authorize\?\S+/);
      const callback = await authorizeRedirect(url);
      assert.match(callback, new RegExp(`^http://localhost:${callbackPort}/auth/callback\\?code=`));
      const page = await fetch(callback);
      assert.match(await page.text(), /You can close this tab/);
      assert.equal((await login.wait()).code, 0, login.output);
      assert.match(login.output, /Logged in\. Tokens saved/);
      assert.equal((await stat(join(dir, 'data', 'tokens.json'))).mode & 0o777, 0o600);
      const tokens = JSON.parse(await readFile(join(dir, 'data', 'tokens.json'), 'utf8')) as TokenFile;
      assert.ok(tokens.account?.refresh_token);
      assert.ok(!login.output.includes(tokens.account.refresh_token) && !login.output.includes(tokens.account.access_token));
    } finally {
      await login.dispose();
    }
  });

  it('falls back to pasting the address when the callback port is taken', async () => {
    const blocker = createServer().listen(callbackPort, 'localhost');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const login = new CliProcess(['login'], { cwd: dir });
    try {
      const [url] = await login.waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/oauth2\/v3\/authorize\?\S+/);
      await login.waitForOutput(/paste it here/);
      assert.match(login.output, new RegExp(`port ${callbackPort} is in use`));
      login.type(await authorizeRedirect(url));
      assert.equal((await login.wait()).code, 0, login.output);
      assert.match(login.output, /Logged in/);
    } finally {
      blocker.close();
      await login.dispose();
    }
  });

  it("shows the account, its scopes and the month's spend", async () => {
    const status = await runCli(['status'], { cwd: dir });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /account: +connected/);
    assert.match(status.stdout, /scopes: +openid offline_access/);
    assert.match(status.stdout, /spend: +\$0\.00 of \$10\.00/);
  });

  it('registers the domain, and explains a public key Tesla cannot use', async () => {
    const noKey = await runCli(['register'], { cwd: dir });
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /no key pair at .*keys\/private-key\.pem/);
    assert.equal((await runCli(['keys', 'generate'], { cwd: dir })).code, 0);
    const ok = await runCli(['register'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^ok +registered teslahub\.example\.com in http:\/\/127\.0\.0\.1:\d+\/na$/m);
    assert.match(ok.stdout, /pair the key with each car at https:\/\/tesla\.com\/_ak\/teslahub\.example\.com/);

    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    servedKey = async () => other;
    const mismatch = await runCli(['register'], { cwd: dir });
    assert.equal(mismatch.code, 1);
    assert.match(mismatch.stdout, /FAIL .*different public key/);
    assert.match(mismatch.stdout, /fix: host this installation's public key at https:\/\/teslahub\.example\.com\/\.well-known/);

    servedKey = async () => undefined;
    const unreachable = await runCli(['register'], { cwd: dir });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stdout, /FAIL .*public key/i);
  });
});
