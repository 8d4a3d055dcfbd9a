import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliProcess, runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

describe('teslahub simulator (spawned CLI)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('teslahub-sim-cli-')));
  after(() => cleanup());

  it('prints the URLs and the config lines, answers HTTP, runs at --speed, and exits 0 on SIGTERM', async () => {
    const cli = new CliProcess(['simulator', '--port', '0', '--speed', '3600'], { cwd: dir });
    try {
      const [, url] = await cli.waitForOutput(/auth: +(http:\/\/127\.0\.0\.1:\d+)/);
      assert.ok(url);
      assert.match(cli.output, new RegExp(`fleet na: +${url}/na`));
      assert.match(cli.output, new RegExp(`fleet eu: +${url}/eu`));
      assert.match(cli.output, new RegExp(`fleet cn: +${url}/cn`));
      assert.match(cli.output, /client_id: teslahub-demo\n +client_secret: teslahub-demo-secret/);
      assert.match(cli.output, new RegExp(`api_base_url: ${url}/na\\n +auth_base_url: ${url}\\n`));

      const index = (await fetch(url).then((r) => r.json())) as { fleet_api_base_urls: Record<string, string> };
      assert.equal(index.fleet_api_base_urls.na, `${url}/na`);
      const discovery = (await fetch(`${url}/oauth2/v3/thirdparty/.well-known/openid-configuration`).then((r) => r.json())) as { issuer: string };
      assert.equal(discovery.issuer, `${url}/oauth2/v3/nts`);
      const first = (await fetch(`${url}/__sim/time`).then((r) => r.json())) as { now: number };
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = (await fetch(`${url}/__sim/time`).then((r) => r.json())) as { now: number };
      // 300 ms real at 3600× is five simulated minutes.
      assert.ok(second.now - first.now >= 900_000, `advanced ${second.now - first.now} ms`);

      cli.kill('SIGTERM');
      const exit = await cli.wait();
      assert.equal(exit.code, 0, cli.output);
      assert.match(cli.output, /stopped/);
    } finally {
      await cli.dispose();
    }
  });

  it('rejects a bad port and a bad scenario with exit 1 and the reason', async () => {
    const port = await runCli(['simulator', '--port', 'eighty'], { cwd: dir });
    assert.equal(port.code, 1);
    assert.match(port.stderr, /--port eighty is not a port number/);
    await writeFile(join(dir, 'bad.yaml'), 'vehicles: [{ vin: SHORT }]\n');
    const scenario = await runCli(['simulator', '--scenario', 'bad.yaml'], { cwd: dir });
    assert.equal(scenario.code, 1);
    assert.match(scenario.stderr, /vehicles\[0\]\.vin: must be 17 characters/);
    const help = await runCli(['simulator', '--help'], { cwd: dir });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: teslahub simulator/);
  });
});
