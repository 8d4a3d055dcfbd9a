import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Topics, topicMatches } from '../../src/mqtt/topics.js';

const topics = new Topics('teslahub', 'homeassistant');
const VIN = '5YJ3E1EA0PF000001';

describe('Topics', () => {
  it('builds the topics README documents', () => {
    assert.equal(topics.bridgeState, 'teslahub/bridge/state');
    assert.equal(topics.bridgeInfo, 'teslahub/bridge/info');
    assert.equal(topics.bridgeEvent, 'teslahub/bridge/event');
    assert.equal(topics.bridgeRequest('refresh'), 'teslahub/bridge/request/refresh');
    assert.equal(topics.bridgeResponse('refresh'), 'teslahub/bridge/response/refresh');
    assert.equal(topics.availability('vehicle', VIN), `teslahub/vehicle/${VIN}/availability`);
    assert.equal(topics.state('energy_site', '1234', 'battery_power'), 'teslahub/energy_site/1234/battery_power');
    assert.equal(topics.attributes('vehicle', VIN, 'location'), `teslahub/vehicle/${VIN}/location/attributes`);
    assert.equal(topics.command('wall_connector', 'DIN1', 'state'), 'teslahub/wall_connector/DIN1/state/set');
    assert.equal(topics.discovery(`teslahub_${VIN}`), `homeassistant/device/teslahub_${VIN}/config`);
    assert.equal(topics.haStatus, 'homeassistant/status');
  });

  it('refuses data that would add topic levels or wildcards', () => {
    assert.throws(() => topics.state('vehicle', 'a/b', 'x'), /cannot be an MQTT topic level/);
    assert.throws(() => topics.state('vehicle', 'a', '#'), /cannot be an MQTT topic level/);
    assert.throws(() => topics.bridgeRequest(''), /cannot be an MQTT topic level/);
  });

  it('parses the topics it subscribes to', () => {
    assert.deepEqual(topics.parse(`teslahub/vehicle/${VIN}/charge_limit/set`), {
      kind: 'command',
      device: 'vehicle',
      id: VIN,
      entity: 'charge_limit',
    });
    assert.deepEqual(topics.parse('teslahub/bridge/request/wake'), { kind: 'bridge_request', name: 'wake' });
    assert.deepEqual(topics.parse('homeassistant/status'), { kind: 'ha_status' });
    assert.deepEqual(topics.parse('teslahub/spaceship/x/y/set'), { kind: 'other' });
    assert.deepEqual(topics.parse(`teslahub/vehicle/${VIN}/charge_limit`), { kind: 'other' });
    assert.deepEqual(topics.parse('other/bridge/request/wake'), { kind: 'other' });
  });

  it('works with a multi-level base topic', () => {
    const nested = new Topics('home/tesla', 'ha');
    assert.equal(nested.command('vehicle', 'car', 'lock'), 'home/tesla/vehicle/car/lock/set');
    assert.deepEqual(nested.parse('home/tesla/vehicle/car/lock/set'), { kind: 'command', device: 'vehicle', id: 'car', entity: 'lock' });
    assert.ok(topicMatches(nested.commandFilter, 'home/tesla/vehicle/car/lock/set'));
  });
});

describe('topicMatches', () => {
  const cases: [string, string, boolean][] = [
    ['a/b', 'a/b', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['#', 'a/b', true],
    ['#', '$SYS/x', false],
    ['+/b', '$SYS/b', false],
    ['a/+/c', 'a/b/d', false],
    ['a/b', 'a/b/c', false],
  ];
  for (const [filter, topic, expected] of cases) {
    it(`${filter} ${expected ? 'matches' : 'does not match'} ${topic}`, () => assert.equal(topicMatches(filter, topic), expected));
  }
});

describe('Topics.responseTopicProblem', () => {
  const listening = [topics.commandFilter, topics.bridgeRequestFilter, topics.haStatus, 'home/alarm', 'telemetry/+/v/+'];

  it('accepts a topic of the requester’s own', () => {
    for (const topic of ['replies/me', 'nodered/teslahub/answer', 'a', 'teslahubx/reply', 'home/alarm/reply']) {
      assert.equal(topics.responseTopicProblem(topic, listening), undefined, topic);
    }
  });

  it('refuses wildcards, broker topics, its own and Home Assistant’s trees, and anything it listens to', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['x/#', /wildcard/],
      ['x/+/y', /wildcard/],
      ['#', /wildcard/],
      ['a\0b', /wildcard/],
      ['$SYS/broker/x', /broker topic/],
      ['teslahub', /teslahub's own/],
      ['teslahub/bridge/request/wake', /teslahub's own/],
      ['teslahub/vehicle/5YJ3E1EA0PF000001/charge_limit/set', /teslahub's own/],
      ['teslahub/vehicle/5YJ3E1EA0PF000001/battery_level', /teslahub's own/],
      ['homeassistant/device/x/config', /discovery/],
      ['home/alarm', /listens there/],
      ['telemetry/VIN/v/Soc', /listens there/],
    ];
    for (const [topic, problem] of cases) assert.match(topics.responseTopicProblem(topic, listening) ?? '', problem, topic);
  });
});
