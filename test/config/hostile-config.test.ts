import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type LoadResult, loadConfig } from '../../src/config/load.js';
import { freshFolderEachTest, printedIssues, writeConfigFile } from './support.js';

/** Config documents a careless or hostile hand wrote: each must end in one clear, located message. */

const VIN = '5YJ3E1EA0PF000001';
let dir: string;

const write = (name: string, text: string): Promise<string> => writeConfigFile(dir, name, text);

const messages = (result: LoadResult): string[] => printedIssues(result, dir);

async function problems(text: string, env: Record<string, string> = {}): Promise<string[]> {
  const file = await write('config.yaml', text);
  return messages(loadConfig({ file, cwd: dir, env }));
}

const BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  '',
].join('\n');

describe('hostile config documents', () => {
  freshFolderEachTest((made) => (dir = made));

  describe('YAML aliases', () => {
    it('refuses an alias bomb before expanding it, as the YAML library would', async () => {
      assert.ok(BOMB.length < 500, `a small file (${BOMB.length} bytes)`);
      const [message, ...rest] = await problems(BOMB);
      assert.deepEqual(rest, []);
      assert.match(message ?? '', /^\(config\): the file's aliases \(\*name\) expand to too much data .*\(fix: .*fewer aliases.*\) \[config\.yaml line 1\]$/);
    });

    it('refuses the same bomb in secrets.yaml', async () => {
      await write('secrets.yaml', BOMB.replace(/^a:/m, 'pw: x\na:'));
      const [message] = await problems('mqtt:\n  password: !secret pw\n');
      assert.match(message ?? '', /^mqtt\.password: secret "pw" cannot be read: .*secrets\.yaml cannot be read: Excessive alias count/);
    });

    it('refuses an alias inside the value it names, at its line', async () => {
      assert.deepEqual(await problems('tesla:\n  scopes: &a [openid, *a]\n'), [
        'tesla.scopes[1]: alias *a is inside the value it names (&a), which would never end (fix: move *a out of the value marked &a) [config.yaml line 2]',
      ]);
      assert.equal((await problems('x: &a [*a]\n')).filter((m) => m.startsWith('x[0]: alias *a is inside')).length, 1);
      const nested = (await problems(`vehicles:\n  - &car\n    vin: ${VIN}\n    name:\n      - *car\n`)).find((m) => m.includes('alias'));
      assert.match(nested ?? '', /^vehicles\[0\]\.name\[0\]: alias \*car is inside the value it names .* \[config\.yaml line 5\]$/);
    });

    it('says which alias has no anchor', async () => {
      const all = await problems('tesla:\n  client_id: *nope\n');
      assert.deepEqual(all, [
        'tesla.client_id: alias *nope has no anchor &nope before it (fix: define &nope earlier in the file, or correct the name) [config.yaml line 2]',
      ]);
    });

    it('still takes ordinary aliases', async () => {
      const file = await write('config.yaml', `vehicles:\n  - vin: ${VIN}\n    allow: &open [trunk, frunk]\n  - vin: 5YJ3E1EA0PF000002\n    allow: *open\n`);
      const result = loadConfig({ file, cwd: dir, env: {} });
      assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
      assert.deepEqual(result.loaded.config.vehicles[1]?.allow, ['trunk', 'frunk']);
    });
  });

  describe('built-in JavaScript names', () => {
    it('knows no secret named after one', async () => {
      await write('secrets.yaml', 'pw: x\n');
      for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
        const [message, ...rest] = await problems(`mqtt:\n  password: !secret ${name}\n`);
        assert.deepEqual(rest, []);
        assert.match(message ?? '', new RegExp(`^mqtt\\.password: secret "${name.replace(/\$/g, '\\$')}" is not defined in .*secrets\\.yaml`));
      }
    });

    it('reports a __proto__ or constructor key as unknown instead of using it', async () => {
      const all = await problems('__proto__:\n  data_dir: /etc\nhttp:\n  constructor: 1\n');
      assert.deepEqual(
        all.map((m) => m.replace(/ \(fix.*/, '')),
        ['__proto__: unknown key', 'http.constructor: unknown key'],
      );
    });

    it('knows no expression function named after one', async () => {
      const all = await problems(
        [
          'automations:',
          '  - id: proto',
          '    triggers:',
          '      - trigger: mqtt',
          '        topic: home/x',
          '    actions:',
          '      - action: command',
          `        entity: vehicle.${VIN}.charge_limit`,
          '        value: "{{ constructor(80) }}"',
          '',
        ].join('\n'),
      );
      assert.equal(all.length, 1, all.join('\n'));
      assert.match(all[0] ?? '', /unknown function "constructor"/);
    });
  });

  describe('data_dir', () => {
    it('refuses a data_dir that is a file, or lies under one, at its line', async () => {
      await write('not-a-folder', 'x');
      assert.deepEqual(await problems('log_level: info\ndata_dir: not-a-folder\n'), [
        `data_dir: ${join(dir, 'not-a-folder')} is a file, not a folder (fix: point data_dir at a folder, or remove the file) [config.yaml line 2]`,
      ]);
      const [under] = await problems('data_dir: not-a-folder/data\n');
      assert.match(under ?? '', /^data_dir: .*not-a-folder is a file, so the folder .*not-a-folder\/data cannot be made \(fix: .*\) \[config\.yaml line 1\]$/);
      const [fromEnv] = await problems('log_level: info\n', { TESLAHUB_DATA_DIR: join(dir, 'not-a-folder') });
      assert.match(fromEnv ?? '', /\[environment variable TESLAHUB_DATA_DIR\]$/);
    });
  });

  describe('the embedded broker beyond loopback', () => {
    it('needs mqtt.username and mqtt.password when it listens on another address', async () => {
      assert.deepEqual(await problems('mqtt:\n  embedded:\n    host: 0.0.0.0\n'), [
        'mqtt.embedded.host: the embedded broker would listen beyond this machine without a password, so anyone on the network could command the cars (fix: set mqtt.username and mqtt.password, which it then requires of every client, or keep mqtt.embedded.host at 127.0.0.1) [config.yaml line 3]',
      ]);
      for (const text of [
        'mqtt:\n  embedded:\n    host: 0.0.0.0\n  username: a\n  password: b\n',
        'mqtt:\n  embedded:\n    host: ::1\n',
        'mqtt:\n  url: mqtt://10.0.0.2\n  embedded:\n    host: 0.0.0.0\n',
      ]) {
        const file = await write('config.yaml', text);
        const result = loadConfig({ file, cwd: dir, env: {} });
        assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
      }
    });
  });

  describe('lists that name entities', () => {
    it('refuses an unknown entity in allow or deny, with a suggestion', async () => {
      const all = await problems(
        `vehicles:\n  - vin: ${VIN}\n    allow: [door_lock, trunk]\n    deny: [play_fartt]\nenergy_sites:\n  - id: 1234\n    deny: [backup_reserv, percentage_charged]\n`,
      );
      assert.deepEqual(all, [
        'vehicles[0].allow[0]: vehicles have no entity "door_lock" (fix: did you mean "lock"?) [config.yaml line 3]',
        'vehicles[0].deny[0]: vehicles have no entity "play_fartt" (fix: did you mean "play_fart"?) [config.yaml line 4]',
        'energy_sites[0].deny[0]: energy sites have no entity "backup_reserv" (fix: did you mean "backup_reserve"?) [config.yaml line 7]',
        'energy_sites[0].deny[1]: percentage_charged is read-only, so there is no command to allow or deny (fix: remove it from the list) [config.yaml line 7]',
      ]);
    });

    it('refuses a VIN or an energy site id listed twice, once each', async () => {
      const all = await problems(
        `vehicles:\n  - vin: ${VIN}\n    topic: a\n  - vin: ${VIN.toLowerCase()}\n    topic: b\nenergy_sites:\n  - id: 1234\n  - id: "1234"\n`,
      );
      assert.deepEqual(
        all.map((m) => m.replace(/ \(fix.*/, '')),
        [`vehicles[1].vin: ${VIN} is listed twice (also vehicles[0])`, 'energy_sites[1].id: 1234 is listed twice (also energy_sites[0])'],
      );
    });
  });

  describe('messages', () => {
    it('blames an unknown environment variable on the variable, not on the file', async () => {
      const all = await problems('log_level: info\n', { TESLAHUB_NOPE__X: '1', TESLAHUB_HTTP__NOPE: '2' });
      assert.deepEqual(
        all.map((m) => m.replace(/ \(fix.*\)/, '')),
        ['http.nope: unknown key [environment variable TESLAHUB_HTTP__NOPE]', 'nope: unknown key [environment variable TESLAHUB_NOPE__X]'],
      );
    });

    it('gives one message for an empty topic prefix', async () => {
      assert.deepEqual(await problems('mqtt:\n  discovery:\n    prefix: ""\n'), [
        'mqtt.discovery.prefix: must not be empty (fix: write a value or remove the key) [config.yaml line 3]',
      ]);
      assert.equal((await problems('mqtt:\n  base_topic: ""\n')).length, 1);
    });

    it('says that words are not a cron expression instead of pointing at the minute', async () => {
      const all = await problems(
        [
          'automations:',
          '  - id: c',
          '    triggers:',
          '      - trigger: cron',
          '        cron: "not a cron at all"',
          '    actions:',
          '      - action: refresh',
          `        device: vehicle.${VIN}`,
          '',
        ].join('\n'),
      );
      assert.equal(all.length, 1, all.join('\n'));
      assert.match(all[0] ?? '', /"not a cron at all" is not a cron expression/);
      assert.doesNotMatch(all[0] ?? '', /minute is 0-59/);
      assert.match(all[0] ?? '', /fix: write 5 fields/);
    });
  });
});
