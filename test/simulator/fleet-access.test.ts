import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_SITE_ID, DEMO_VIN, MISSING_SCOPES, type Simulator } from '../../src/simulator/index.js';
import { Api, startSim } from './support.js';

describe('Fleet API access rules (real HTTP)', () => {
  let sim: Simulator;
  let na: Api;

  before(async () => {
    ({ sim } = await startSim());
    na = new Api(sim.regionBaseUrl('na'), String(sim.issueTokens().access_token));
  });
  after(() => sim.stop());

  const scoped = (...scopes: string[]) => new Api(sim.regionBaseUrl('na'), String(sim.issueTokens({ scopes: ['openid', ...scopes] }).access_token));

  it('answers Tesla-shaped JSON with an x-txid header', async () => {
    const answer = await na.get('/api/1/vehicles');
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('x-txid') ?? '', /^[0-9a-f]{32}$/);
    assert.equal(answer.body.count, 1);
    assert.equal(answer.body.response[0].vin, DEMO_VIN);
    assert.equal(answer.body.response[0].command_signing, 'allowed');
  });

  it('lists vehicles and energy sites in products, each only with its scope', async () => {
    const all = await na.get('/api/1/products');
    assert.equal(all.body.count, 2);
    const [car, site] = all.body.response;
    assert.equal(car.vin, DEMO_VIN);
    assert.equal(car.display_name, 'Demo Model 3');
    assert.equal(car.vehicle_config.car_type, 'model3');
    assert.equal(site.energy_site_id, Number(DEMO_SITE_ID));
    assert.equal(site.site_name, 'Demo Home');
    assert.equal(site.components.battery, true);
    assert.equal(site.components.solar, true);
    assert.equal(site.components.wall_connectors.length, 1);
    assert.match(site.components.wall_connectors[0].din, /--/);
    assert.deepEqual(
      (await scoped('energy_device_data').get('/api/1/products')).body.response.map((p: any) => p.energy_site_id ?? p.vin),
      [Number(DEMO_SITE_ID)],
    );
    assert.deepEqual(
      (await scoped('vehicle_device_data').get('/api/1/products')).body.response.map((p: any) => p.energy_site_id ?? p.vin),
      [DEMO_VIN],
    );
  });

  it('answers 403 "Unauthorized missing scopes" for each endpoint without its scope', async () => {
    const cases: [Api, string, string, unknown?][] = [
      [scoped('energy_device_data'), 'GET', '/api/1/vehicles'],
      [scoped('energy_device_data'), 'GET', `/api/1/vehicles/${DEMO_VIN}/vehicle_data`],
      [scoped('energy_device_data'), 'GET', `/api/1/vehicles/${DEMO_VIN}`],
      [scoped('vehicle_device_data'), 'POST', `/api/1/vehicles/${DEMO_VIN}/command/honk_horn`, {}],
      [scoped('vehicle_charging_cmds'), 'POST', `/api/1/vehicles/${DEMO_VIN}/command/door_lock`, {}],
      [scoped('energy_cmds'), 'POST', `/api/1/vehicles/${DEMO_VIN}/wake_up`, {}],
      [scoped('vehicle_device_data'), 'GET', `/api/1/energy_sites/${DEMO_SITE_ID}/live_status`],
      [scoped('energy_device_data'), 'POST', `/api/1/energy_sites/${DEMO_SITE_ID}/backup`, { backup_reserve_percent: 30 }],
      [scoped('vehicle_device_data'), 'GET', '/api/1/users/me'],
    ];
    for (const [api, method, path, body] of cases) {
      const answer = await api.call(method, path, body);
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.equal(answer.body.response, null);
      assert.equal(answer.body.error, MISSING_SCOPES);
    }
    const charging = await scoped('vehicle_charging_cmds').post(`/api/1/vehicles/${DEMO_VIN}/command/set_charge_limit`, { percent: 85 });
    assert.equal(charging.status, 200, 'charging commands accept vehicle_charging_cmds');
    assert.equal((await scoped('user_data').get('/api/1/users/me')).body.response.email, 'demo@teslahub.invalid');
  });

  it('returns location in drive_state only with location_data asked for and the vehicle_location scope', async () => {
    const path = `/api/1/vehicles/${DEMO_VIN}/vehicle_data?endpoints=`;
    const withBoth = await na.get(`${path}${encodeURIComponent('drive_state;location_data')}`);
    assert.equal(typeof withBoth.body.response.drive_state.latitude, 'number');
    assert.equal(typeof withBoth.body.response.drive_state.longitude, 'number');
    const notAsked = await na.get(`${path}drive_state`);
    assert.equal(notAsked.status, 200);
    assert.equal(notAsked.body.response.drive_state.latitude, undefined);
    const noScope = await scoped('vehicle_device_data').get(`${path}drive_state%3Blocation_data`);
    assert.equal(noScope.status, 200);
    assert.equal(noScope.body.response.drive_state.latitude, undefined);
    assert.equal(noScope.body.response.drive_state.longitude, undefined);
    const sections = await na.get(`${path}charge_state%3Bclimate_state`);
    assert.deepEqual(
      Object.keys(sections.body.response).filter((k) => k.endsWith('_state')),
      ['charge_state', 'climate_state'],
    );
  });

  it('answers 421 with the right base URL in another region, but users/region anywhere', async () => {
    const eu = new Api(sim.regionBaseUrl('eu'), na.token);
    const wrong = await eu.get('/api/1/products');
    assert.equal(wrong.status, 421);
    assert.deepEqual(wrong.body, {
      response: null,
      error: `user out of region, use base URL: ${sim.regionBaseUrl('na')}, see https://developer.tesla.com/docs/fleet-api/getting-started/regional-requirements`,
      error_description: '',
    });
    for (const region of ['na', 'eu', 'cn'] as const) {
      const answer = await new Api(sim.regionBaseUrl(region), na.token).get('/api/1/users/region');
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { response: { region: 'na', fleet_api_base_url: sim.regionBaseUrl('na') } });
    }
    sim.setAccountRegion('eu');
    try {
      assert.equal((await na.get('/api/1/products')).status, 421);
      assert.equal((await eu.get('/api/1/products')).status, 200);
      assert.equal((await na.get('/api/1/users/region')).body.response.fleet_api_base_url, sim.regionBaseUrl('eu'));
    } finally {
      sim.setAccountRegion('na');
    }
  });

  it('answers 412 in a region where the app is not registered, even users/region', async () => {
    sim.setRegistered('na', false);
    try {
      for (const path of ['/api/1/users/region', '/api/1/products']) {
        const answer = await na.get(path);
        assert.equal(answer.status, 412);
        assert.equal(answer.body.error, `Account ${DEMO_CLIENT_ID} must be registered in the current region ${sim.regionBaseUrl('na')}`);
      }
      assert.equal((await new Api(sim.regionBaseUrl('eu'), na.token).get('/api/1/users/region')).status, 200);
    } finally {
      sim.setRegistered('na', true);
    }
    assert.equal((await na.get('/api/1/products')).status, 200);
  });

  it('refuses a partner token on user endpoints and a user token on partner endpoints', async () => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: DEMO_CLIENT_ID,
      client_secret: DEMO_CLIENT_SECRET,
      audience: sim.regionBaseUrl('na'),
    });
    const partner = (await fetch(`${sim.authBaseUrl}/oauth2/v3/token`, { method: 'POST', body: form }).then((r) => r.json())) as { access_token: string };
    assert.equal((await new Api(sim.regionBaseUrl('na'), partner.access_token).get('/api/1/products')).status, 403);
    assert.equal((await na.get('/api/1/partner_accounts/public_key?domain=x.example.com')).status, 403);
  });

  it('answers 404 for unknown vehicles, sites, paths and commands', async () => {
    assert.equal((await na.get('/api/1/vehicles/5YJ3E1EA0PF999999/vehicle_data')).status, 404);
    assert.equal((await na.get('/api/1/vehicles/5YJ3E1EA0PF999999')).status, 404);
    assert.equal((await na.get('/api/1/energy_sites/42/live_status')).status, 404);
    assert.equal((await na.get('/api/1/nothing/here')).status, 404);
    assert.equal((await new Api(sim.url).get('/nowhere')).status, 404);
    const unknown = await na.post(`/api/1/vehicles/${DEMO_VIN}/command/fly_away`);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error, 'invalid_command');
    // The numeric id works as the vehicle tag too.
    const list = await na.get('/api/1/vehicles');
    assert.equal((await na.get(`/api/1/vehicles/${list.body.response[0].id}`)).body.response.vin, DEMO_VIN);
  });

  it('reports key pairing in fleet_status', async () => {
    const answer = await na.post('/api/1/vehicles/fleet_status', { vins: [DEMO_VIN, '5YJ3E1EA0PF999999'] });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.response.key_paired_vins, [DEMO_VIN]);
    assert.deepEqual(answer.body.response.unpaired_vins, ['5YJ3E1EA0PF999999']);
    assert.equal(answer.body.response.vehicle_info[DEMO_VIN].vehicle_command_protocol_required, false);
  });
});
