import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeClock } from '../../src/core/fake-clock.js';
import { DEMO_CLIENT_ID, DEMO_SITE_ID, DEMO_VIN, type Simulator } from '../../src/simulator/index.js';
import { Api, startSim } from './support.js';

const V = `/na/api/1/vehicles/${DEMO_VIN}`;

describe('/__sim/ controls (real HTTP)', () => {
  let sim: Simulator;
  let clock: FakeClock;
  let api: Api;
  let control: Api;

  before(async () => {
    ({ sim, clock, api } = await startSim());
    control = new Api(sim.url);
  });
  after(() => sim.stop());

  it('shows the world and the simulated time', async () => {
    const world = (await control.get('/__sim/world')).body;
    assert.equal(world.now, clock.now());
    assert.equal(world.vehicles[0].vin, DEMO_VIN);
    assert.equal(world.vehicles[0].status, 'online');
    assert.equal(typeof world.vehicles[0].sleepsAt, 'number');
    assert.equal(world.sites[0].id, DEMO_SITE_ID);
    assert.equal(world.sites[0].flows.solar + world.sites[0].flows.battery + world.sites[0].flows.grid, world.sites[0].flows.load);
    assert.ok(world.upcomingEvents.length > 0);
    assert.deepEqual((await control.get('/__sim/time')).body, { now: clock.now(), iso: new Date(clock.now()).toISOString() });
  });

  it('patches car facts and runs car events', async () => {
    const patched = await control.post(`/__sim/vehicles/${DEMO_VIN}`, { userPresent: true, doors: { df: true }, sentry: true });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.sleepBlockers, ['user_present', 'sentry', 'door_open']);
    const data = (await api.get(`${V}/vehicle_data?endpoints=vehicle_state`)).body.response.vehicle_state;
    assert.equal(data.is_user_present, true);
    assert.equal(data.df, 1);
    assert.equal(data.sentry_mode, true);
    await control.post(`/__sim/vehicles/${DEMO_VIN}`, { userPresent: false, doors: { df: false }, sentry: false, asleep: true });
    assert.equal((await api.get(V)).body.response.state, 'asleep');
    const plugged = await control.post(`/__sim/vehicles/${DEMO_VIN}/events`, { type: 'plug_in', charger: 'home' });
    assert.equal(plugged.status, 200);
    assert.equal(plugged.body.status, 'online');
    assert.equal(plugged.body.state.chargingState, 'Starting');
    const invalid = await control.post(`/__sim/vehicles/${DEMO_VIN}`, { batteryLevel: 140 });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body.issues[0], /^batteryLevel: /);
    assert.equal((await control.post(`/__sim/vehicles/${DEMO_VIN}/events`, { type: 'fly' })).status, 400);
    assert.equal((await control.post('/__sim/vehicles/5YJ3E1EA0PF999999', {})).status, 400);
  });

  it('patches sites and runs site events', async () => {
    const down = await control.post(`/__sim/sites/${DEMO_SITE_ID}`, { gridUp: false });
    assert.equal(down.body.gridUp, false);
    assert.equal((await api.get(`/na/api/1/energy_sites/${DEMO_SITE_ID}/live_status`)).body.response.grid_status, 'Inactive');
    await control.post(`/__sim/sites/${DEMO_SITE_ID}`, { gridUp: true });
    await control.post(`/__sim/sites/${DEMO_SITE_ID}/events`, { type: 'storm_watch', duration: '1h' });
    assert.equal((await api.get(`/na/api/1/energy_sites/${DEMO_SITE_ID}/live_status`)).body.response.storm_mode_active, true);
  });

  it('adds, lists and clears faults; shows and resets the request log and the bill, without logging itself', async () => {
    const added = await control.post('/__sim/faults', { path: '/vehicle_data', status: 503, times: 'Infinity', headers: { 'retry-after': '5' } });
    assert.equal(added.status, 201);
    assert.equal((await control.get('/__sim/faults')).body.faults[0].remaining, 'Infinity');
    assert.equal((await api.get(`${V}/vehicle_data`)).status, 503);
    assert.equal((await api.get(`${V}/vehicle_data`)).headers.get('retry-after'), '5');
    await control.call('DELETE', '/__sim/faults');
    assert.deepEqual((await control.get('/__sim/faults')).body.faults, []);
    assert.equal((await control.post('/__sim/faults', { status: 'bad' })).status, 400);

    await control.call('DELETE', '/__sim/requests');
    await api.get(`${V}/vehicle_data`);
    await api.get(V);
    const log = (await control.get('/__sim/requests')).body;
    assert.equal(log.total, 2);
    assert.deepEqual(
      log.requests.map((r: any) => r.path),
      [`${V}/vehicle_data`, V],
    );
    assert.equal((await control.get('/__sim/requests?since=1')).body.requests.length, 1);
    const bill = (await control.get('/__sim/billing')).body;
    assert.deepEqual(bill.counts, { data: 1, command: 0, wake: 0, signal: 0 });
    assert.equal(bill.usd, 0.002);
  });

  it('moves the account, changes registration, revokes tokens and issues tokens', async () => {
    const fresh = (await control.post('/__sim/tokens', { scopes: ['openid', 'offline_access', 'vehicle_device_data'] })).body;
    const user = new Api(sim.url, fresh.access_token);
    assert.equal((await user.get(`${V}`)).status, 200);
    await control.post('/__sim/account', { region: 'eu' });
    assert.equal((await user.get(V)).status, 421);
    await control.post('/__sim/account', { region: 'na' });
    await control.post('/__sim/registration', { region: 'na', registered: false, clientId: DEMO_CLIENT_ID });
    assert.equal((await user.get(V)).status, 412);
    await control.post('/__sim/registration', { region: 'na', registered: true });
    assert.equal((await user.get(V)).status, 200);
    await control.post('/__sim/revoke-refresh-tokens');
    const refresh = await fetch(`${sim.authBaseUrl}/oauth2/v3/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: DEMO_CLIENT_ID, refresh_token: fresh.refresh_token }),
    });
    assert.equal(refresh.status, 401);
    await control.post('/__sim/invalidate-access-tokens');
    assert.equal((await user.get(V)).status, 401);
    assert.equal((await control.get('/__sim/nothing')).status, 404);
  });
});
