import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_VIN, VCP_REQUIRED } from '../../src/simulator/index.js';
import { MINUTE, startSim } from './support.js';

const V = `/api/1/vehicles/${DEMO_VIN}`;

describe('vehicle endpoints (real HTTP)', () => {
  it('carries out REST commands and changes the world', async () => {
    const { sim, api } = await startSim();
    try {
      const call = (name: string, body: unknown = {}) => api.post(`/na${V}/command/${name}`, body);
      assert.deepEqual((await call('door_unlock')).body, { response: { result: true, reason: '' } });
      assert.deepEqual((await call('set_charge_limit', { percent: 90 })).body, { response: { result: true, reason: '' } });
      assert.deepEqual((await call('set_charge_limit', { percent: 90 })).body, { response: { result: false, reason: 'already_set' } });
      assert.deepEqual((await call('charge_stop')).body, { response: { result: false, reason: 'not_charging' } });
      assert.equal((await call('set_sentry_mode', { on: true })).status, 200);
      assert.equal((await call('set_climate_keeper_mode', { climate_keeper_mode: 3 })).status, 200);
      assert.equal((await call('set_cabin_overheat_protection', { on: true, fan_only: true })).status, 200);
      assert.equal((await call('set_cop_temp', { cop_temp: 0 })).status, 200);
      assert.equal((await call('remote_auto_seat_climate_request', { auto_seat_position: 2, auto_climate_on: true })).status, 200);
      assert.equal((await call('navigation_gps_request', { lat: 37.45, lon: -122.15, order: 1 })).status, 200);
      assert.equal((await call('schedule_software_update', { offset_sec: 60 })).body.response.result, false);
      const bad = await call('set_charge_limit', { percent: 'lots' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error, 'invalid_field');

      const data = (await api.get(`/na${V}/vehicle_data?endpoints=${encodeURIComponent('vehicle_state;charge_state;climate_state;drive_state')}`)).body
        .response;
      assert.equal(data.vehicle_state.locked, false);
      assert.equal(data.vehicle_state.sentry_mode, true);
      assert.equal(data.charge_state.charge_limit_soc, 90);
      assert.equal(data.climate_state.climate_keeper_mode, 'camp');
      assert.equal(data.climate_state.is_climate_on, true);
      assert.equal(data.climate_state.cabin_overheat_protection, 'FanOnly');
      assert.equal(data.climate_state.cop_activation_temperature, 'Low');
      assert.equal(data.climate_state.auto_seat_climate_right, true);
      assert.match(data.drive_state.active_route_destination, /37\.45/);
      assert.equal(sim.world.vehicle(DEMO_VIN)?.state.locked, false);
    } finally {
      await sim.stop();
    }
  });

  it('refuses REST commands with the VCP message when command_signing is required', async () => {
    const { sim, api } = await startSim();
    try {
      sim.world.patchVehicle(DEMO_VIN, { commandSigning: 'required' });
      const answer = await api.post(`/na${V}/command/door_lock`);
      assert.equal(answer.status, 403);
      assert.deepEqual(answer.body, { response: null, error: VCP_REQUIRED, error_description: '' });
      assert.equal((await api.get(`/na${V}`)).body.response.command_signing, 'required');
      assert.equal((await api.post(`/na${V}/signed_command`, { routable_message: 'AA==' })).status, 400, 'signed_command answers: not a RoutableMessage');
    } finally {
      await sim.stop();
    }
  });

  it('answers 408 while asleep; wake_up returns the state of that instant and the car is online after the delay', async () => {
    const { sim, clock, api } = await startSim();
    try {
      sim.world.patchVehicle(DEMO_VIN, { asleep: true });
      const data = await api.get(`/na${V}/vehicle_data`);
      assert.equal(data.status, 408);
      assert.deepEqual(data.body, { response: null, error: 'vehicle unavailable: vehicle is offline or asleep', error_description: '' });
      assert.equal((await api.post(`/na${V}/command/honk_horn`)).status, 408);
      const wake = await api.post(`/na${V}/wake_up`);
      assert.equal(wake.status, 200);
      assert.equal(wake.body.response.state, 'asleep');
      await clock.advance(14_000);
      assert.equal((await api.get(`/na${V}`)).body.response.state, 'asleep');
      await clock.advance(1000);
      assert.equal((await api.get(`/na${V}`)).body.response.state, 'online');
      assert.equal((await api.get(`/na${V}/vehicle_data`)).status, 200);
      sim.world.patchVehicle(DEMO_VIN, { offline: true });
      assert.equal((await api.post(`/na${V}/wake_up`)).body.response.state, 'offline');
    } finally {
      await sim.stop();
    }
  });

  it('lets the state call neither wake the car nor keep it awake; vehicle_data keeps it awake only when the car says so', async () => {
    const { sim, clock, api } = await startSim();
    try {
      for (let minute = 0; minute < 9; minute++) {
        await clock.advance(MINUTE);
        assert.equal((await api.get(`/na${V}`)).body.response.state, 'online');
        assert.equal((await api.get(`/na${V}/vehicle_data`)).status, 200);
      }
      await clock.advance(MINUTE);
      assert.equal((await api.get(`/na${V}`)).body.response.state, 'asleep', 'asleep 10 minutes after the last activity, polled or not');
      await clock.advance(60 * MINUTE);
      assert.equal((await api.get(`/na${V}`)).body.response.state, 'asleep');

      sim.world.patchVehicle(DEMO_VIN, { asleep: false, dataKeepsAwake: true });
      for (let minute = 0; minute < 30; minute++) {
        await clock.advance(MINUTE);
        assert.equal((await api.get(`/na${V}/vehicle_data`)).status, 200, `minute ${minute}`);
      }
    } finally {
      await sim.stop();
    }
  });

  it('enforces 60 data, 30 commands and 3 wakes a minute per car with 429 and Retry-After; the switch turns it off', async () => {
    const { sim, clock, api } = await startSim();
    try {
      for (let i = 0; i < 60; i++) assert.equal((await api.get(`/na${V}/vehicle_data?endpoints=charge_state`)).status, 200);
      const limited = await api.get(`/na${V}/vehicle_data?endpoints=charge_state`);
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '60');
      assert.match(limited.body.error, /^Retry in 60 seconds$/);
      await clock.advance(30_000);
      assert.equal((await api.get(`/na${V}/vehicle_data?endpoints=charge_state`)).headers.get('retry-after'), '30');
      for (let i = 0; i < 30; i++) assert.equal((await api.post(`/na${V}/command/flash_lights`)).status, 200);
      assert.equal((await api.post(`/na${V}/command/flash_lights`)).status, 429);
      for (let i = 0; i < 3; i++) assert.equal((await api.post(`/na${V}/wake_up`)).status, 200);
      assert.equal((await api.post(`/na${V}/wake_up`)).status, 429);
      await clock.advance(60_000);
      assert.equal((await api.post(`/na${V}/wake_up`)).status, 200);
    } finally {
      await sim.stop();
    }
    const free = await startSim({ rateLimits: false });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await free.api.post(`/na${V}/wake_up`)).status, 200);
    } finally {
      await free.sim.stop();
    }
  });
});
