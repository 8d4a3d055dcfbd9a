import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvaluationError, evaluate, type Scope, type Value } from '../../src/automations/expression/evaluate.js';
import { ExpressionSyntaxError } from '../../src/automations/expression/lexer.js';
import { parseExpression } from '../../src/automations/expression/parser.js';
import { compileTemplate, renderTemplate } from '../../src/automations/expression/template.js';

const VALUES: Record<string, Value> = {
  'energy_site.1234567890.grid_power': '-2300',
  'vehicle.5YJ3E1EA0PF000001.charger_power': '1.4',
  'vehicle.5YJ3E1EA0PF000001.charge': 'ON',
  'vehicle.5YJ3E1EA0PF000001.charging': 'charging',
  'vehicle.5YJ3E1EA0PF000001.battery_level': null,
  solar_power: '3100',
  'trigger.to': 'inactive',
};

const scope: Scope = {
  resolve: (name) => {
    if (name in VALUES) return VALUES[name] as Value;
    throw new EvaluationError(`no such name ${name}`);
  },
  state: (id) => VALUES[id] ?? null,
};

const run = (source: string): Value => evaluate(parseExpression(source), scope);

describe('expressions', () => {
  it('does arithmetic on entity values with the usual precedence', () => {
    assert.equal(run('1 + 2 * 3'), 7);
    assert.equal(run('(1 + 2) * 3'), 9);
    assert.equal(run('-energy_site.1234567890.grid_power / 230'), 10);
    assert.equal(run('vehicle.5YJ3E1EA0PF000001.charger_power * 1000 - energy_site.1234567890.grid_power'), 3700);
    assert.equal(run('0.1 + 0.2'), 0.3, 'results are tidied, not 0.30000000000000004');
    assert.equal(run('7 % 4'), 3);
    assert.equal(run('min(32, solar_power / 230)'), 13.4782608696);
  });

  it('has min, max, round, floor, ceil, abs, clamp, if, number and state', () => {
    assert.equal(run('max(6, 3, 9)'), 9);
    assert.equal(run('round(13.478, 1)'), 13.5);
    assert.equal(run('round(2.5)'), 3);
    assert.equal(run('floor(-2300 / -230 + 0.7)'), 10);
    assert.equal(run('ceil(9.1)'), 10);
    assert.equal(run('abs(energy_site.1234567890.grid_power)'), 2300);
    assert.equal(run('clamp(40, 6, 16)'), 16);
    assert.equal(run('clamp(2, 6, 16)'), 6);
    assert.equal(run('if(vehicle.5YJ3E1EA0PF000001.charge == "ON", 1, 0)'), 1);
    assert.equal(run('number("12.5") + 1'), 13.5);
    assert.equal(run('number("ON")'), null);
    assert.equal(run('state("vehicle.5YJ3E1EA0PF000001.charging")'), 'charging');
  });

  it('compares numbers as numbers and words as words, with and/or/not', () => {
    assert.equal(run('energy_site.1234567890.grid_power < -1500'), true);
    assert.equal(run('"10" == 10.0'), true);
    assert.equal(run('vehicle.5YJ3E1EA0PF000001.charging == "charging" and not (1 > 2)'), true);
    assert.equal(run('trigger.to != "active" && 1 >= 1'), true);
    assert.equal(run('false or vehicle.5YJ3E1EA0PF000001.charge'), true, 'ON is true');
    assert.equal(run('vehicle.5YJ3E1EA0PF000001.battery_level == null'), true);
    assert.equal(run('"a" + "b"'), 'ab');
  });

  it('explains values it cannot compute', () => {
    assert.throws(() => run('vehicle.5YJ3E1EA0PF000001.battery_level + 1'), /vehicle\.5YJ3E1EA0PF000001\.battery_level is unknown/);
    assert.throws(() => run('vehicle.5YJ3E1EA0PF000001.charging * 2'), /is "charging", not a number/);
    assert.throws(() => run('1 / (2 - 2)'), /division by zero/);
    assert.throws(() => run('clamp(1, 9, 2)'), /low 9 is above its high 2/);
  });

  it('rejects bad syntax with where and what, and runs nothing as JavaScript', () => {
    const error = (source: string): ExpressionSyntaxError => {
      try {
        parseExpression(source);
      } catch (caught) {
        assert.ok(caught instanceof ExpressionSyntaxError);
        return caught;
      }
      assert.fail(`${source} parsed`);
    };
    assert.match(error('min(32, )').message, /expected a value, found "\)"/);
    assert.match(error('1 +').message, /ends too early/);
    assert.match(error('a = 1').message, /compare with ==/);
    assert.match(error('1 < 2 < 3').message, /cannot be chained/);
    assert.match(error('process.exit(1)').message, /unknown function "process.exit"/);
    assert.match(error('constructor.constructor("return 1")()').message, /unknown function/);
    assert.match(error('x => 1').message, /unexpected|expected/);
    assert.match(error('`x`').message, /unexpected character "`"/);
    assert.match(error('round(1, 2, 3)').message, /round takes 1 to 2 arguments/);
    assert.equal(error('1 +\n ').at, 5, 'the end of the text');
  });

  it('templates: a lone expression keeps its type, text around it makes text', () => {
    assert.equal(renderTemplate(compileTemplate('{{ 6 * 2 }}'), scope), 12);
    assert.equal(renderTemplate(compileTemplate('  {{ 6 * 2 }} '), scope), 12);
    assert.equal(renderTemplate(compileTemplate('Grid {{ trigger.to }} at {{ -energy_site.1234567890.grid_power }} W'), scope), 'Grid inactive at 2300 W');
    assert.equal(renderTemplate(compileTemplate('{{ 1 < 2 }}'), scope), true);
    assert.throws(
      () => compileTemplate('{{ 1 + }}'),
      (e: unknown) => e instanceof ExpressionSyntaxError && e.at === 7,
    );
    assert.throws(() => compileTemplate('{{ 1 '), /no closing "}}"/);
  });
});
