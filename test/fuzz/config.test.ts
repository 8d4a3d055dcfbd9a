import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { formatIssue } from '../../src/config/issues.js';
import { loadConfig } from '../../src/config/load.js';
import { tempDir } from '../support/tmp.js';
import { BUILT_INS, SEED } from './arbitraries.js';

/**
 * Config documents written carelessly or with intent: the loader never throws, never hangs on
 * aliases, and either accepts the document or names every problem with a path and a fix.
 */

const KEYS = [
  'version',
  'data_dir',
  'log_level',
  'tesla',
  'mqtt',
  'http',
  'polling',
  'budget',
  'vehicles',
  'energy_sites',
  'telemetry',
  'automations',
  'client_id',
  'url',
  'port',
  'host',
  'prefix',
  'discovery',
  'embedded',
  'vin',
  'id',
  'allow',
  'deny',
  'topic',
  ...BUILT_INS,
];

const FRAGMENTS = [
  'x: &a [*a]',
  'y: &b {z: *b}',
  'tesla:',
  '  client_id: !secret toString',
  '  client_secret: !secret __proto__',
  '  client_id: *nope',
  'automations: !include automations.yaml',
  'automations: !include __proto__',
  'data_dir: a-file',
  'data_dir: a-file/below',
  '__proto__:',
  '  data_dir: /etc',
  'constructor: 1',
  'vehicles:',
  '  - vin: 5YJ3E1EA0PF000001',
  '    deny: [play_fartt, constructor]',
  '    allow: [door_lock]',
  '  - vin: 5yj3e1ea0pf000001',
  'mqtt:',
  '  discovery:',
  '    prefix: ""',
  '  base_topic: "a/#"',
  '  embedded:',
  '    host: 0.0.0.0',
  'a: &l ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &m [*l,*l,*l,*l,*l,*l,*l,*l,*l]',
  'c: &n [*m,*m,*m,*m,*m,*m,*m,*m,*m]',
  'd: [*n,*n,*n,*n,*n,*n,*n,*n,*n]',
  '    cron: "not a cron at all"',
  '- just a list',
  ': no key',
  '  \t bad indent',
  '"unterminated',
];

const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(...BUILT_INS));
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('node'), { maxLength: 3 }),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { maxLength: 4 }).map(ownObject),
  ),
})).node;

function ownObject(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

const document = fc.oneof(
  fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 12 }).map((lines) => `${lines.join('\n')}\n`),
  fc.array(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 6 }).map((entries) => stringify(ownObject(entries))),
  fc.string({ maxLength: 200 }),
);

const environment = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom(
        'TESLAHUB_NOPE__X',
        'TESLAHUB_HTTP__PORT',
        'TESLAHUB_DATA_DIR',
        'TESLAHUB_TESLA__CONSTRUCTOR__X',
        'TESLAHUB___PROTO__',
        'TESLAHUB_VEHICLES__0__VIN',
        'TESLAHUB_VEHICLES__9__VIN',
      ),
      fc.string({ maxLength: 20 }).map((s) => `TESLAHUB_${s.toUpperCase()}`),
    ),
    fc.string({ maxLength: 20 }),
  ),
  { maxLength: 3 },
);

describe('fuzzing the config loader', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
    writeFileSync(join(dir, 'a-file'), 'not a folder');
    writeFileSync(join(dir, 'secrets.yaml'), 'pw: x\n');
    writeFileSync(join(dir, 'automations.yaml'), '[]\n');
  });
  after(() => cleanup());

  it('accepts a document or names every problem with a path, a problem and a fix; never throws', () => {
    const file = join(dir, 'config.yaml');
    fc.assert(
      fc.property(document, environment, (text, env) => {
        writeFileSync(file, text);
        const result = loadConfig({ file, cwd: dir, env: Object.fromEntries(env) });
        if (result.ok) {
          assert.equal(typeof result.loaded.config.mqtt.base_topic, 'string');
          return;
        }
        assert.ok(result.issues.length > 0);
        for (const issue of result.issues) {
          assert.equal(typeof issue.path, 'string');
          assert.ok(issue.problem.length > 0 && issue.fix.length > 0, JSON.stringify(issue));
          const line = formatIssue(issue);
          assert.doesNotMatch(line, /\[object |function |undefined\)|TypeError|RangeError/, line);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
