import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CLIENT_ID, DEMO_SITE_ID, DEMO_VIN } from '../../src/simulator/index.js';
import { startSim } from './support.js';
import { waitUntil } from '../support/net.js';

const V = `/na/api/1/vehicles/${DEMO_VIN}`;

describe('fault injection (real HTTP)', () => {
  it('answers every injected status with Tesla’s body for it, once by default', async () => {
    const { sim, api } = await startSim({ rateLimits: false });
    try {
      const expected: Record<number, string | RegExp> = {
        400: 'invalid_request',
        401: 'token expired (401)',
        403: 'Unauthorized missing scopes',
        404: 'not_found',
        408: 'vehicle unavailable: vehicle is offline or asleep',
        412: `Account ${DEMO_CLIENT_ID} must be registered in the current region ${sim.regionBaseUrl('na')}`,
        421: /^user out of region, use base URL: http:\/\/127\.0\.0\.1:\d+\/na, see /,
        429: 'Retry in 60 seconds',
        500: 'upstream internal error',
        502: 'bad gateway',
        503: 'vehicle is not available',
        504: 'gateway timeout',
      };
      for (const [status, error] of Object.entries(expected)) {
        // fetch (undici) repeats a request once on a new connection after a 421, as the Fetch spec says.
        sim.addFault({ path: '/vehicle_data', status: Number(status), times: status === '421' ? 2 : 1 });
        const answer = await api.get(`${V}/vehicle_data`);
        assert.equal(answer.status, Number(status));
        assert.equal(answer.body.response, null);
        if (typeof error === 'string') assert.equal(answer.body.error, error);
        else assert.match(answer.body.error, error);
        if (Number(status) === 429) assert.equal(answer.headers.get('retry-after'), '60');
        assert.equal((await api.get(`${V}/vehicle_data`)).status, 200, `the ${status} rule is used up`);
      }
      sim.resetRequests();
      sim.addFault({ path: '/vehicle_data', status: 421 });
      assert.equal((await api.get(`${V}/vehicle_data`)).status, 200, 'fetch hides a single 421 by retrying');
      assert.deepEqual(
        sim.requests().map((r) => r.status),
        [421, 200],
      );
    } finally {
      await sim.stop();
    }
  });

  it('matches on method, path substring or /regex/, VIN and grant type; honours times, headers and body', async () => {
    const { sim, api } = await startSim({ rateLimits: false });
    try {
      sim.addFault({ path: '/wake_up$/', method: 'POST', status: 503, times: 2 });
      assert.equal((await api.get(`${V}/vehicle_data`)).status, 200);
      assert.equal((await api.post(`${V}/wake_up`)).status, 503);
      assert.equal((await api.post(`${V}/wake_up`)).status, 503);
      assert.equal((await api.post(`${V}/wake_up`)).status, 200);

      sim.addFault({ vin: '5YJ3E1EA0PF999999', status: 500 });
      assert.equal((await api.get(`${V}/vehicle_data`)).status, 200, 'other VIN');

      sim.addFault({
        path: 'vehicle_data',
        status: 429,
        headers: { 'retry-after': '30' },
        body: { response: null, error: 'slow down', error_description: '' },
      });
      const limited = await api.get(`${V}/vehicle_data`);
      assert.equal(limited.headers.get('retry-after'), '30');
      assert.equal(limited.body.error, 'slow down');

      sim.addFault({ path: '/energy_sites/', status: 500, times: Infinity });
      for (let i = 0; i < 5; i++) assert.equal((await api.get(`/na/api/1/energy_sites/${DEMO_SITE_ID}/site_info`)).status, 500);
      sim.clearFaults();
      assert.equal((await api.get(`/na/api/1/energy_sites/${DEMO_SITE_ID}/site_info`)).status, 200);

      sim.addFault({ grantType: 'refresh_token', status: 401 });
      const tokens = sim.issueTokens();
      const form = (grant: Record<string, string>) =>
        fetch(`${sim.authBaseUrl}/oauth2/v3/token`, { method: 'POST', body: new URLSearchParams({ client_id: DEMO_CLIENT_ID, ...grant }) });
      const refused = await form({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
      assert.equal(refused.status, 401);
      assert.equal(((await refused.json()) as { error: string }).error, 'login_required');
      assert.equal((await form({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) })).status, 200, 'the fault did not burn the token');
      const logged = sim.requests().filter((r) => r.path === '/oauth2/v3/token');
      assert.deepEqual(
        logged.map((r) => [r.grantType, r.status]),
        [
          ['refresh_token', 401],
          ['refresh_token', 200],
        ],
      );
      assert.throws(() => sim.addFault({ status: 0 }), /delayMs/);
    } finally {
      await sim.stop();
    }
  });

  it('delays answers on the injected clock: only slow (status 0), or slow and failing', async () => {
    const { sim, clock, api } = await startSim();
    try {
      sim.addFault({ path: '/vehicle_data', status: 0, delayMs: 5000 });
      const start = clock.now();
      const slow = api.get(`${V}/vehicle_data`);
      assert.ok(await waitUntil(() => sim.inFlight() === 1 && clock.pendingCount > 0, 2000));
      await clock.advance(4999);
      assert.equal(sim.inFlight(), 1, 'still waiting');
      await clock.advance(1);
      const answer = await slow;
      assert.equal(answer.status, 200);
      assert.equal(sim.requests().at(-1)?.at, start + 5000, 'logged when it was answered');

      sim.addFault({ path: '/wake_up', status: 504, delayMs: 30_000 });
      const failing = api.post(`${V}/wake_up`);
      assert.ok(await waitUntil(() => sim.inFlight() === 1, 2000));
      await clock.advance(30_000);
      assert.equal((await failing).status, 504);

      // stop() does not wait for a held answer.
      sim.addFault({ path: '/vehicle_data', status: 0, delayMs: 3_600_000 });
      const held = api.get(`${V}/vehicle_data`).catch((error: unknown) => error);
      assert.ok(await waitUntil(() => sim.inFlight() === 1, 2000));
      const before = Date.now();
      await sim.stop();
      assert.ok(Date.now() - before < 1000);
      assert.ok((await held) instanceof Error);
    } finally {
      await sim.stop();
    }
  });
});

describe('slow answers after the fact (replyDelayMs)', () => {
  it('carries out the request at once and only holds its answer, as a slow network does', async () => {
    const { sim, clock, api } = await startSim({ rateLimits: false });
    try {
      sim.world.patchVehicle(DEMO_VIN, { asleep: false });
      sim.addFault({ path: '/command/set_charge_limit', status: 0, replyDelayMs: 2_000 });
      const pending = api.post(`${V}/command/set_charge_limit`, { percent: 77 });
      assert.ok(
        await waitUntil(() => clock.pendingCount > 0 && sim.world.requireVehicle(DEMO_VIN).state.chargeLimit === 77, 2_000),
        'took effect before answering',
      );
      let answered = false;
      void pending.then(() => (answered = true));
      await clock.advance(1_999);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(answered, false, 'the answer is still on its way');
      await clock.advance(1);
      assert.equal((await pending).status, 200);
      assert.throws(() => sim.addFault({ status: 0 }), /delayMs or replyDelayMs/);
    } finally {
      await sim.stop();
    }
  });
});

describe('billing (real HTTP)', () => {
  it('bills vehicle_data as data, wake_up as wake, commands as command, every answer below 500 (faults too), nothing else', async () => {
    const { sim, api } = await startSim();
    try {
      await api.get('/na/api/1/products');
      await api.get(`${V}`);
      await api.get(`/na/api/1/energy_sites/${DEMO_SITE_ID}/live_status`);
      await api.get('/na/api/1/users/region');
      await api.get(`${V}/vehicle_data`);
      await api.post(`${V}/command/flash_lights`);
      await api.post(`${V}/wake_up`);
      sim.addFault({ path: '/vehicle_data', status: 429 });
      await api.get(`${V}/vehicle_data`);
      sim.world.patchVehicle(DEMO_VIN, { asleep: true });
      assert.equal((await api.get(`${V}/vehicle_data`)).status, 408);
      sim.addFault({ path: '/command/', status: 500 });
      await api.post(`${V}/command/honk_horn`);
      sim.addFault({ path: '/command/', status: 503 });
      await api.post(`${V}/command/honk_horn`);

      const report = sim.billing();
      assert.deepEqual(report.counts, { data: 3, command: 1, wake: 1, signal: 0 });
      assert.ok(Math.abs(report.usd - (3 * 0.002 + 0.001 + 0.02)) < 1e-12);
      assert.deepEqual(
        report.entries.map((e) => [e.category, e.status]),
        [
          ['data', 200],
          ['command', 200],
          ['wake', 200],
          ['data', 429],
          ['data', 408],
        ],
      );
      const requests = sim.requests();
      assert.equal(requests.length, 11);
      const state = requests[1];
      assert.equal(state?.path, V);
      assert.equal(state?.category, null);
      assert.equal(state?.billed, false);
      assert.equal(state?.vin, DEMO_VIN);
      assert.equal(state?.region, 'na');
      const failed = requests.filter((r) => r.status >= 500);
      assert.deepEqual(
        failed.map((r) => [r.category, r.billed]),
        [
          ['command', false],
          ['command', false],
        ],
      );
      assert.equal(requests[2]?.siteId, DEMO_SITE_ID);
      sim.resetRequests();
      assert.deepEqual(sim.billing().counts, { data: 0, command: 0, wake: 0, signal: 0 });
    } finally {
      await sim.stop();
    }
  });

  it('bills the state call as data when stateCallBilled is set', async () => {
    const { sim, api } = await startSim({ stateCallBilled: true });
    try {
      await api.get(V);
      await api.get(`/na/api/1/vehicles/${DEMO_VIN}`);
      assert.deepEqual(sim.billing().counts, { data: 2, command: 0, wake: 0, signal: 0 });
      assert.ok(Math.abs(sim.billing().usd - 0.004) < 1e-12);
    } finally {
      await sim.stop();
    }
  });
});
