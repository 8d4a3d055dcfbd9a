import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { registerInRegion } from '../../src/auth/partner.js';
import { createHttpTransport } from '../../src/fleet/transport.js';
import { loadPublicKeyPem, publicKeyHex } from '../../src/signing/keys.js';
import { TOKEN_FILE } from '../../src/storage/token-store.js';
import { DEMO_SITE_ID, DEMO_VIN } from '../../src/simulator/index.js';
import { waitUntil } from '../support/net.js';
import { connectAccount, findSecrets } from '../support/oauth.js';
import { DEMO_CLIENT_SECRET } from '../support/tesla-world.js';
import { pageSession, startWebWorld, WEB_DOMAIN, type WebWorld } from './support/web-world.js';

interface Status {
  account: { state: string };
  onboarding: { next: string | null; steps: { id: string; status: string; items: { label: string; status: string }[] }[] };
  devices: { address: string; kind: string; last_poll: string | null; next_poll: { at: string; reason: string } | null }[];
  api_usage: { usd: number; counts: Record<string, number>; budget_usd: number };
  events: { type: string; who?: string; ok?: boolean }[];
  automations: unknown;
}

const status = async (w: WebWorld): Promise<Status> => (await (await fetch(`${w.baseUrl}/api/status`)).json()) as Status;
const step = (s: Status, id: string): string | undefined => s.onboarding.steps.find((x) => x.id === id)?.status;

describe("the web page's JSON API, metrics, live stream and CSRF (daemon and simulator over real HTTP)", () => {
  let w: WebWorld;
  before(async () => {
    w = await startWebWorld();
    w.sim.world.patchVehicle(DEMO_VIN, { asleep: false, userPresent: true });
  });
  after(() => w.close());

  it('checks the hosted public key and the partner registration, and "Check again" sees a new registration', async () => {
    let s = await status(w);
    assert.equal(step(s, 'app'), 'done');
    assert.equal(step(s, 'key'), 'done');
    assert.equal(step(s, 'hosting'), 'done', 'the key is fetched from https://tesla.example.test (served by this daemon)');
    assert.equal(step(s, 'registration'), 'todo');
    assert.equal(s.onboarding.next, 'registration');
    const { transport, close } = createHttpTransport();
    try {
      const oauth = w.daemon.auth.oauth;
      assert.ok(oauth);
      const hex = publicKeyHex(await loadPublicKeyPem(join(w.dir, 'keys', 'private-key.pem')));
      const result = await registerInRegion({ oauth, transport, baseUrl: w.sim.regionBaseUrl('na'), domain: WEB_DOMAIN, publicKeyHex: hex });
      assert.equal(result.ok, true, result.message);
    } finally {
      await close();
    }
    s = await status(w);
    assert.equal(step(s, 'registration'), 'todo', 'cached until asked again');
    const { cookie, token } = await pageSession(w.baseUrl);
    const recheck = await fetch(`${w.baseUrl}/api/onboarding/recheck`, { method: 'POST', headers: { cookie, 'x-csrf-token': token } });
    assert.equal(recheck.status, 200);
    s = await status(w);
    assert.equal(step(s, 'registration'), 'done');
    assert.equal(s.onboarding.next, 'account');
    assert.deepEqual(s.automations, [], 'automations are wired: none configured here');
  });

  it('after the login shows the devices, their polling and the spend, without any secret', async () => {
    await connectAccount(w.baseUrl);
    assert.ok(await waitUntil(async () => (await status(w)).devices.length >= 3, 15_000), 'car, site and Wall Connector');
    assert.ok(await waitUntil(async () => (await status(w)).devices.find((d) => d.kind === 'vehicle')?.last_poll !== null, 15_000), 'the car was read');
    const s = await status(w);
    assert.equal(s.account.state, 'connected');
    assert.deepEqual(s.devices.map((d) => d.kind).sort(), ['energy_site', 'vehicle', 'wall_connector']);
    assert.ok(s.devices.some((d) => d.address === `energy_site.${DEMO_SITE_ID}`));
    const car = s.devices.find((d) => d.kind === 'vehicle');
    assert.ok(car?.next_poll && car.next_poll.reason.length > 0, `the policy's reason: ${JSON.stringify(car)}`);
    assert.ok((s.api_usage.counts.data ?? 0) >= 1, 'vehicle_data is billed');
    assert.equal(s.api_usage.budget_usd, 10);
    const secrets = [DEMO_CLIENT_SECRET];
    const tokenFile = await readFile(join(w.dir, 'data', TOKEN_FILE), 'utf8');
    for (const match of tokenFile.matchAll(/"(access_token|refresh_token)":\s*"([^"]+)"/g)) secrets.push(match[2] as string);
    assert.ok(secrets.length >= 3, 'the client secret and both tokens are looked for');
    const page = await (await fetch(`${w.baseUrl}/`)).text();
    const metrics = await (await fetch(`${w.baseUrl}/metrics`)).text();
    assert.deepEqual(findSecrets(JSON.stringify(s) + page + metrics, secrets), []);
  });

  it('exposes Prometheus metrics', async () => {
    const response = await fetch(`${w.baseUrl}/metrics`);
    assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    assert.match(text, /^teslahub_account_connected 1$/m);
    assert.match(text, /^teslahub_devices\{kind="vehicle"\} 1$/m);
    assert.match(text, /^teslahub_devices\{kind="wall_connector"\} 1$/m);
    assert.match(text, /^teslahub_api_month_requests\{category="data"\} [1-9]\d*$/m);
    assert.match(text, new RegExp(`^teslahub_entity_value\\{kind="vehicle",id="${DEMO_VIN}",name="[^"]+",entity="battery_level"\\} \\d`, 'm'));
    assert.match(text, /^# TYPE teslahub_commands_total counter$/m);
  });

  it('runs a control through the command router only with the CSRF token, and streams the change', async () => {
    const vehicle = w.sim.world.vehicle(DEMO_VIN);
    assert.ok(vehicle);
    const target = vehicle.state.chargeLimit === 72 ? 73 : 72;
    const body = JSON.stringify({ device: `vehicle.${DEMO_VIN}`, entity: 'charge_limit', value: target });
    const forged = await fetch(`${w.baseUrl}/api/command`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(forged.status, 403);
    assert.notEqual(vehicle.state.chargeLimit, target, 'a forged request changes nothing');

    const abort = new AbortController();
    const stream = await fetch(`${w.baseUrl}/api/events`, { signal: abort.signal });
    assert.equal(stream.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    let text = '';
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const pump = (async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (chunk.done) return;
        text += new TextDecoder().decode(chunk.value);
      }
    })();
    try {
      assert.ok(await waitUntil(() => text.includes('event: device\n'), 5_000), 'the initial snapshot lists the devices');
      const mark = text.length;
      const { cookie, token } = await pageSession(w.baseUrl);
      const response = await fetch(`${w.baseUrl}/api/command`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': token, 'content-type': 'application/json' },
        body,
      });
      const result = (await response.json()) as { ok: boolean; entity: string; value: unknown; who: string; error?: string };
      assert.equal(response.status, 200, JSON.stringify(result));
      assert.deepEqual([result.ok, result.entity, result.value, result.who], [true, 'charge_limit', target, 'web page']);
      assert.equal(vehicle.state.chargeLimit, target, 'the simulator received it');
      const expected = `"charge_limit":{"text":"${target} %","payload":"${target}"}`;
      assert.ok(await waitUntil(() => text.slice(mark).includes(expected), 10_000), `live value in: ${text.slice(mark, mark + 2000)}`);
      assert.ok(await waitUntil(() => /event: event\ndata: .*charge_limit = \d+.*asked by web page/.test(text.slice(mark)), 5_000), 'the event is streamed');
      const refused = await fetch(`${w.baseUrl}/api/command`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ device: `vehicle.${DEMO_VIN}`, entity: 'charge_limit', value: 5 }),
      });
      assert.equal(refused.status, 422);
      assert.match(((await refused.json()) as { error: string }).error, /outside 50–100/);
    } finally {
      abort.abort();
      await pump;
    }
    const s = await status(w);
    assert.ok(s.events.some((e) => e.type === 'command_result' && e.who === 'web page' && e.ok === true));
    assert.match(await (await fetch(`${w.baseUrl}/metrics`)).text(), /^teslahub_commands_total\{result="ok"\} [1-9]/m);
  });
});

describe('the web page with http.username and http.password', () => {
  let w: WebWorld;
  before(async () => {
    w = await startWebWorld({ polling: false, withKey: false, httpLines: ['  username: admin', '  password: web-page-password'] });
  });
  after(() => w.close());

  it('asks every request but /healthz and the public key for the password', async () => {
    for (const path of ['/', '/api/status', '/api/entities', '/metrics', '/api/events', '/assets/app.js']) {
      const response = await fetch(`${w.baseUrl}${path}`);
      assert.equal(response.status, 401, path);
    }
    const auth = { authorization: `Basic ${Buffer.from('admin:web-page-password').toString('base64')}` };
    const page = await fetch(`${w.baseUrl}/`, { headers: auth });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.doesNotMatch(html, /web-page-password/);
    assert.match(html, /Next step: Key pair/);
    assert.notEqual((await fetch(`${w.baseUrl}/healthz`)).status, 401);
    assert.equal((await fetch(`${w.baseUrl}/.well-known/appspecific/com.tesla.3p.public-key.pem`)).status, 404, 'no key yet, but no password asked');
  });
});
