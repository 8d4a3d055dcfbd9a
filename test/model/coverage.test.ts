import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type EntityDescriptor, isControl } from '../../src/model/descriptors.js';
import { ENERGY_TOTAL_KEYS } from '../../src/model/energy-site-totals.js';
import { TOTAL_KEYS } from '../../src/model/energy-totals.js';
import { descriptorFor, ENTITY_TABLES, type TableKind } from '../../src/model/tables.js';

/** Home Assistant's Tesla Fleet entities with our keys (a copy of reference/ha-tesla-fleet-entities.json). */
interface ReferenceRow {
  platform: string;
  name: string;
  key: string;
  enabled_by_default: boolean;
}
const REFERENCE = JSON.parse(readFileSync(new URL('./fixtures/ha-tesla-fleet-entities.json', import.meta.url), 'utf8')) as Record<
  'vehicle' | 'energy_site' | 'wall_connector',
  ReferenceRow[]
>;

/** HA's media_player has no MQTT platform; these media_* entities stand in for it. */
const MEDIA_KEYS = [
  'media_state',
  'media_title',
  'media_artist',
  'media_album',
  'media_station',
  'media_source',
  'media_duration',
  'media_position',
  'media_volume',
  'media_play_pause',
  'media_next_track',
  'media_previous_track',
  'media_next_favorite',
  'media_previous_favorite',
];

/** Entities beyond Home Assistant's list, each documented in its table file. */
const ADDITIONS: Record<TableKind, string[]> = {
  vehicle: [...MEDIA_KEYS, 'vehicle_state', 'software_update', 'data_source'],
  energy_site: [...ENERGY_TOTAL_KEYS, 'battery_control'],
  wall_connector: [],
  bridge: ['api_spend', 'budget_left', 'last_poll', 'token_expiry', 'account_connected'],
};

/** The controls of Home Assistant's Tesla Fleet integration, plus our own. */
const CONTROLS: Record<TableKind, string[]> = {
  vehicle: [
    'charge_current',
    'charge_limit',
    'sentry_mode',
    'auto_seat_climate_left',
    'auto_seat_climate_right',
    'auto_steering_wheel_heater',
    'defrost',
    'charge',
    'seat_heater_front_left',
    'seat_heater_front_right',
    'seat_heater_rear_left',
    'seat_heater_rear_center',
    'seat_heater_rear_right',
    'seat_heater_third_row_left',
    'seat_heater_third_row_right',
    'steering_wheel_heater',
    'climate',
    'cabin_overheat_protection',
    'vent_windows',
    'charge_port_door',
    'frunk',
    'trunk',
    'sunroof',
    'lock',
    'charge_cable_lock',
    'software_update',
    'wake',
    'flash_lights',
    'honk_horn',
    'keyless_driving',
    'play_fart',
    'homelink',
    'media_volume',
    'media_play_pause',
    'media_next_track',
    'media_previous_track',
    'media_next_favorite',
    'media_previous_favorite',
  ],
  energy_site: ['backup_reserve', 'off_grid_reserve', 'operation_mode', 'allow_export', 'allow_charging_from_grid', 'storm_watch', 'battery_control'],
  wall_connector: [],
  bridge: [],
};

const KINDS = Object.keys(ENTITY_TABLES) as TableKind[];
const table = (kind: TableKind): readonly EntityDescriptor<unknown>[] => ENTITY_TABLES[kind] as readonly EntityDescriptor<unknown>[];

/** Words that keep their capitals inside a sentence-case name. */
const PROPER = new Set(['HomeLink', 'VPP', 'API', 'Tesla']);

describe('entity tables against Home Assistant’s Tesla Fleet entities', () => {
  for (const kind of ['vehicle', 'energy_site', 'wall_connector'] as const) {
    it(`${kind}: every reference row has a descriptor with its key, platform, name and enabled-by-default`, () => {
      for (const row of REFERENCE[kind]) {
        if (kind === 'vehicle' && row.key === 'media_player') continue;
        const descriptor = descriptorFor(kind, row.key);
        assert.ok(descriptor, `${kind} ${row.key} is missing`);
        assert.equal(descriptor.platform, row.platform, `${row.key} platform`);
        assert.equal(descriptor.name, row.name, `${row.key} name`);
        assert.equal(descriptor.enabledByDefault ?? true, row.enabled_by_default, `${row.key} enabled by default`);
      }
    });
  }

  it('has no keys beyond the reference except the documented additions', () => {
    for (const kind of KINDS) {
      const expected = new Set([
        ...(kind === 'bridge' ? [] : REFERENCE[kind].map((row) => row.key).filter((key) => key !== 'media_player')),
        ...ADDITIONS[kind],
      ]);
      const actual = table(kind).map((d) => d.key);
      assert.deepEqual([...actual].sort(), [...expected].sort(), kind);
    }
    assert.equal(descriptorFor('vehicle', 'media_player'), undefined, 'media_player has no MQTT platform');
  });

  it('row counts: 103 vehicle, 30 energy site, 4 Wall Connector, 5 bridge', () => {
    assert.deepEqual(
      KINDS.map((kind) => [kind, table(kind).length]),
      [
        ['vehicle', 86 + MEDIA_KEYS.length + 3],
        ['energy_site', 23 + 7],
        ['wall_connector', 4],
        ['bridge', 5],
      ],
    );
  });

  it('every control of the Home Assistant integration (and ours) accepts commands, and nothing else does', () => {
    for (const kind of KINDS) {
      const controls = table(kind)
        .filter((d) => isControl(d))
        .map((d) => d.key);
      assert.deepEqual([...controls].sort(), [...CONTROLS[kind]].sort(), kind);
      for (const key of CONTROLS[kind]) {
        const d = table(kind).find((row) => row.key === key);
        assert.ok(d?.scopes && d.scopes.length > 0, `${kind} ${key} names the Tesla scopes it needs`);
      }
    }
  });

  it('keys are snake_case and unique; names are sentence case', () => {
    for (const kind of KINDS) {
      const keys = table(kind).map((d) => d.key);
      assert.equal(new Set(keys).size, keys.length, `${kind} has a duplicate key`);
      for (const d of table(kind)) {
        assert.match(d.key, /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, d.key);
        const [first = '', ...rest] = d.name.split(' ');
        assert.match(first, /^[A-Z]/, `${d.key}: "${d.name}" starts with a capital`);
        for (const word of rest) assert.ok(PROPER.has(word) || word === word.toLowerCase(), `${d.key}: "${d.name}" is sentence case`);
      }
    }
  });

  it('sensor rows follow Home Assistant’s shape rules: enums with options only, timestamps and text without units', () => {
    for (const kind of KINDS) {
      for (const d of table(kind)) {
        if (d.platform !== 'sensor') continue;
        if (d.deviceClass === 'enum') {
          assert.ok(d.options && d.options.length > 0, `${d.key} lists its options`);
          assert.equal(d.unit, undefined, d.key);
          assert.equal(d.stateClass, undefined, d.key);
        } else {
          assert.equal(d.options, undefined, d.key);
        }
        if (d.deviceClass === 'timestamp' || d.deviceClass === undefined) assert.equal(d.unit, undefined, d.key);
        if (d.deviceClass === undefined) assert.equal(d.stateClass, undefined, `${d.key}: text and codes have no statistics`);
      }
    }
  });

  it('bridge keys never clash with the bridge’s own topics', () => {
    for (const d of ENTITY_TABLES.bridge) assert.ok(!['state', 'info', 'event', 'request', 'response'].includes(d.key), d.key);
  });

  it('the Energy dashboard counters are the ones the totals module fills', () => {
    assert.deepEqual([...ENERGY_TOTAL_KEYS].sort(), [...TOTAL_KEYS].sort());
  });

  it('descriptorFor finds rows by kind and key', () => {
    assert.equal(descriptorFor('vehicle', 'battery_level')?.platform, 'sensor');
    assert.equal(descriptorFor('energy_site', 'backup_reserve')?.platform, 'number');
    assert.equal(descriptorFor('wall_connector', 'vehicle')?.platform, 'sensor');
    assert.equal(descriptorFor('bridge', 'api_spend')?.platform, 'sensor');
    assert.equal(descriptorFor('vehicle', 'nope'), undefined);
    assert.equal(descriptorFor('vehicle', 'constructor'), undefined);
    assert.equal(descriptorFor('energy_site', 'battery_level'), undefined);
  });
});
