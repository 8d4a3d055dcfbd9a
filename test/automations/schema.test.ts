import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatIssue } from '../../src/config/issues.js';
import { loadConfig } from '../../src/config/load.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const BAD = `automations:
  - id: fine
    triggers:
      - trigger: cron
        cron: "0 22 * * *"
    actions:
      - action: command
        entity: vehicle.5YJ3E1EA0PF000001.charge_limit
        value: 80
  - id: second
    triggers:
      - trigger: state
        entity: vehicle.5YJ3E1EA0PF000001.chargin
        to: charging
    actions:
      - action: publish
        topic: home/x
        payload: "{{ min(32, ) }}"
  - id: third
    mode: parallel
    triggers:
      - trigger: cron
        cron: "61 * * * *"
        timezone: Mars/Olympus
      - trigger: numeric_state
        entity: energy_site.1234567890.percentage_charged
        abov: 30
    conditions:
      - condition: time
        after: "25:00"
        weekday: [mon, tues]
    actions:
      - action: command
        entity: vehicle.5YJ3E1EA0PF000001.charging
        value: "ON"
      - action: publish
        topic: teslahub/vehicle/5YJ3E1EA0PF000001/charge/set
        payload: "ON"
      - action: delay
        delay: 5 minutes
  - id: fine
    triggers: [{ trigger: evnt, event: grid_outage }]
    actions: []
`;

describe('automations in config.yaml: validated at load with located, actionable errors', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeFile(join(dir, 'bad.yaml'), BAD);
  });
  after(() => cleanup());

  it('reports every problem with its path, a fix and its line', () => {
    const result = loadConfig({ file: join(dir, 'bad.yaml'), cwd: dir, env: {} });
    assert.equal(result.ok, false);
    const lines = !result.ok ? result.issues.map((issue) => formatIssue(issue, (file) => file.replace(`${dir}/`, ''))) : [];
    assert.deepEqual(lines, [
      'automations[1].triggers[0].entity: vehicles have no entity "chargin" (fix: did you mean "charging"?) [bad.yaml line 13]',
      'automations[1].actions[0].payload: invalid expression "{{ min(32, ) }}": expected a value, found ")" (at character 12) (fix: write values, entity ids, + - * / %, comparisons, and/or/not and functions such as min(a, b), max, round, clamp inside {{ }}) [bad.yaml line 18]',
      'automations[2].mode: "parallel" is not allowed (fix: use one of: single, queued, restart) [bad.yaml line 20]',
      'automations[2].triggers[0].cron: invalid expression "61 * * * *" (fix: minute is 0-59) [bad.yaml line 23]',
      'automations[2].triggers[0].timezone: "Mars/Olympus" is not a time zone (fix: use an IANA name such as Europe/Berlin or America/Los_Angeles) [bad.yaml line 24]',
      'automations[2].triggers[1]: needs above, below or both (fix: add below: 30 (fires when the value drops under 30) or above: 1500) [bad.yaml line 25]',
      'automations[2].triggers[1].abov: unknown key (fix: did you mean "above"? Otherwise remove it) [bad.yaml line 27]',
      'automations[2].conditions[0].after: "25:00" is not a time of day (fix: write after: "22:00" (24-hour clock, quoted)) [bad.yaml line 30]',
      'automations[2].conditions[0].weekday: "tues" is not a weekday (fix: use sun, mon, tue, wed, thu, fri, sat, e.g. weekday: [mon, tue, wed, thu, fri]) [bad.yaml line 31]',
      'automations[2].actions[0].entity: charging is read-only: it cannot be commanded (fix: command a control such as charge, charge_current, charge_limit or backup_reserve) [bad.yaml line 34]',
      'automations[2].actions[1].topic: "teslahub/vehicle/5YJ3E1EA0PF000001/charge/set" is a teslahub command topic (fix: use action: command with entity: <kind>.<id>.<entity>, so the guards and the allow/deny lists apply) [bad.yaml line 37]',
      'automations[2].actions[2].delay: "5 minutes" is not a duration (fix: write it like 30s, 5m, 1h or a number of seconds) [bad.yaml line 40]',
      'automations[3].id: "fine" is already the id of automations[0] (fix: give each automation its own id) [bad.yaml line 41]',
      'automations[3].triggers[0].trigger: "evnt" is not a trigger (fix: did you mean "event"?) [bad.yaml line 42]',
      'automations[3].actions: the list is empty (fix: add at least one item, e.g. - action: command) [bad.yaml line 43]',
    ]);
  });

  it("reads automations from an !include file, with that file's lines", async () => {
    await writeFile(
      join(dir, 'automations.yaml'),
      '- id: x\n  triggers:\n    - trigger: cron\n      cron: "0 25 * * *"\n  actions:\n    - action: refresh\n      device: vehicle.5YJ3E1EA0PF000001\n',
    );
    await writeFile(join(dir, 'inc.yaml'), 'automations: !include automations.yaml\n');
    const result = loadConfig({ file: join(dir, 'inc.yaml'), cwd: dir, env: {} });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.issues.map((i) => formatIssue(i, (f) => f.replace(`${dir}/`, ''))), [
      'automations[0].triggers[0].cron: invalid expression "0 25 * * *" (fix: hour is 0-23) [automations.yaml line 4]',
    ]);
    await writeFile(
      join(dir, 'automations.yaml'),
      '- id: x\n  triggers:\n    - trigger: cron\n      cron: "0 23 * * *"\n  actions:\n    - action: refresh\n      device: vehicle.5YJ3E1EA0PF000001\n',
    );
    const ok = loadConfig({ file: join(dir, 'inc.yaml'), cwd: dir, env: {} });
    assert.ok(ok.ok);
    const [automation] = ok.loaded.config.automations;
    assert.equal(automation?.mode, 'single');
    assert.equal(automation?.enabled, true);
    assert.deepEqual(automation?.actions, [
      { at: 'actions[0]', action: 'refresh', device: { id: 'vehicle.5YJ3E1EA0PF000001', kind: 'vehicle', device: '5YJ3E1EA0PF000001' } },
    ]);
  });

  it('teslahub check-config prints the same errors and exits 1; a good file shows the count', async () => {
    const bad = await runCli(['check-config', '--config', 'bad.yaml'], { cwd: dir });
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /bad\.yaml has 15 problems:/);
    assert.match(bad.stderr, /automations\[2\]\.triggers\[0\]\.cron: invalid expression "61 \* \* \* \*" \(fix: minute is 0-59\) \[bad\.yaml line 23\]/);
    const good = await runCli(['check-config', '--config', 'inc.yaml'], { cwd: dir });
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /automations: 1 \(1 enabled\)/);
  });
});
