import { conditionList } from './schema-conditions.js';
import { readDevice, readEntity, readValue } from './schema-refs.js';
import { closest, type Ctx, type Path, type Raw, Reader, shown, stateWords } from './schema-read.js';
import type { Action, Condition } from './types.js';

/** The `actions:` of an automation (and the sequences inside `choose:` and `if:`). */

export const ACTION_KINDS = ['command', 'refresh', 'publish', 'delay', 'wait_for'] as const;
const DELAY_MAX_S = 7 * 86_400;
const MAX_DEPTH = 8;

export function readActions(value: unknown, ctx: Ctx): Action[] {
  const reader = new Reader(ctx);
  return actionList(reader, value, [], 'actions', 0) ?? [];
}

function actionList(reader: Reader, value: unknown, path: Path, at: string, depth: number): Action[] | undefined {
  if (depth > MAX_DEPTH) return reader.problem(path, `choose and if are nested more than ${MAX_DEPTH} deep`, 'split the automation into simpler ones');
  const items = reader.items(value, path, { required: true, example: '- action: command' });
  if (!items) return undefined;
  const out = items.map((item, index) => actionAt(reader, item, [...path, index], `${at}[${index}]`, depth));
  return out.every((a): a is Action => a !== undefined) ? out : undefined;
}

function actionAt(reader: Reader, value: unknown, path: Path, at: string, depth: number): Action | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reader.problem(path, `expected an action section, got ${shown(value)}`, 'write it like "- action: command" with entity: and value: below');
  }
  const raw = value as Raw;
  if ('choose' in raw) return chooseAction(reader, raw, path, at, depth);
  if ('if' in raw) return ifAction(reader, raw, path, at, depth);
  const kind = raw.action;
  if (typeof kind !== 'string' || !(ACTION_KINDS as readonly string[]).includes(kind)) {
    const suggestion = typeof kind === 'string' ? closest(kind, ACTION_KINDS) : undefined;
    return reader.problem(
      kind === undefined ? path : [...path, 'action'],
      kind === undefined ? 'action is missing' : `${shown(kind)} is not an action`,
      suggestion ? `did you mean "${suggestion}"?` : `use action: ${ACTION_KINDS.join(' | ')}, or choose: / if:`,
    );
  }
  switch (kind) {
    case 'command': {
      const fields = reader.object(raw, path, ['action', 'entity', 'value'], 'action: command with entity: and value:');
      if (!fields) return undefined;
      const entity = readEntity(reader, fields, 'entity', path, { control: true });
      const spec = readValue(reader, fields, 'value', path, '80');
      return entity && spec ? { at, action: 'command', entity, value: spec } : undefined;
    }
    case 'refresh': {
      const fields = reader.object(raw, path, ['action', 'device'], 'action: refresh with device: vehicle.<id>');
      const device = fields ? readDevice(reader, fields, 'device', path) : undefined;
      return device ? { at, action: 'refresh', device } : undefined;
    }
    case 'publish': {
      const fields = reader.object(raw, path, ['action', 'topic', 'payload', 'retain'], 'action: publish with topic: and payload:');
      if (!fields) return undefined;
      const topic = reader.text(fields, 'topic', path, { required: true, example: 'home/notify' });
      const payload = readValue(reader, fields, 'payload', path, '"Powerwall low"');
      const retain = reader.boolean(fields, 'retain', path, false);
      const problem = topic === undefined ? undefined : publishProblem(topic);
      if (problem) return reader.problem([...path, 'topic'], problem.problem, problem.fix);
      return topic !== undefined && payload ? { at, action: 'publish', topic, payload, retain } : undefined;
    }
    case 'delay': {
      const fields = reader.object(raw, path, ['action', 'delay'], 'action: delay with delay: 30s');
      const delayS = fields ? reader.duration(fields, 'delay', path, { required: true, max: DELAY_MAX_S, example: '30s' }) : undefined;
      return delayS !== undefined ? { at, action: 'delay', delayS } : undefined;
    }
    case 'wait_for': {
      const fields = reader.object(
        raw,
        path,
        ['action', 'entity', 'state', 'timeout', 'continue_on_timeout'],
        'action: wait_for with entity:, state: and timeout:',
      );
      if (!fields) return undefined;
      const entity = readEntity(reader, fields, 'entity', path);
      const state = fields.state === undefined ? reader.problem(path, 'state is missing', 'add state: with the state to wait for') : stateWords(fields.state);
      if (fields.state !== undefined && !state)
        reader.problem([...path, 'state'], `expected a state or a list of states, got ${shown(fields.state)}`, 'write state: charging');
      const timeoutS = reader.duration(fields, 'timeout', path, { required: true, max: DELAY_MAX_S, example: '5m' });
      const continueOnTimeout = reader.boolean(fields, 'continue_on_timeout', path, true);
      return entity && state && timeoutS !== undefined ? { at, action: 'wait_for', entity, state, timeoutS, continueOnTimeout } : undefined;
    }
    default:
      return undefined;
  }
}

function chooseAction(reader: Reader, raw: Raw, path: Path, at: string, depth: number): Action | undefined {
  const fields = reader.object(raw, path, ['choose', 'default'], 'choose: with - conditions: and sequence: items');
  if (!fields) return undefined;
  const options = reader.items(fields.choose, [...path, 'choose'], { required: true, example: '- conditions: [...] sequence: [...]' });
  if (!options) return undefined;
  const choices = options.map((option, index) => {
    const optionPath = [...path, 'choose', index];
    const entry = reader.object(option, optionPath, ['conditions', 'sequence'], 'conditions: and sequence:');
    if (!entry) return undefined;
    const conditions =
      entry.conditions === undefined
        ? reader.problem(optionPath, 'conditions is missing', 'add conditions: for when this option runs')
        : conditionList(reader, entry.conditions, [...optionPath, 'conditions'], `${at}.choose[${index}].conditions`, true);
    const sequence =
      entry.sequence === undefined
        ? reader.problem(optionPath, 'sequence is missing', 'add sequence: with the actions of this option')
        : actionList(reader, entry.sequence, [...optionPath, 'sequence'], `${at}.choose[${index}].sequence`, depth + 1);
    return conditions && sequence ? { conditions, sequence } : undefined;
  });
  const otherwise = fields.default === undefined ? [] : actionList(reader, fields.default, [...path, 'default'], `${at}.default`, depth + 1);
  if (!otherwise || !choices.every((c): c is { conditions: Condition[]; sequence: Action[] } => c !== undefined)) return undefined;
  return { at, action: 'choose', choices, otherwise };
}

function ifAction(reader: Reader, raw: Raw, path: Path, at: string, depth: number): Action | undefined {
  const fields = reader.object(raw, path, ['if', 'then', 'else'], 'if: [conditions] then: [actions]');
  if (!fields) return undefined;
  const conditions = conditionList(reader, fields.if, [...path, 'if'], `${at}.if`, true);
  const then =
    fields.then === undefined
      ? reader.problem(path, 'then is missing', 'add then: with the actions to run when the conditions hold')
      : actionList(reader, fields.then, [...path, 'then'], `${at}.then`, depth + 1);
  const otherwise = fields.else === undefined ? [] : actionList(reader, fields.else, [...path, 'else'], `${at}.else`, depth + 1);
  return conditions && then && otherwise ? { at, action: 'if', conditions, then, otherwise } : undefined;
}

/** Publishing to teslahub's own command or request topics would bypass the router and the guards. */
function publishProblem(topic: string): { problem: string; fix: string } | undefined {
  if (/[+#\0]/.test(topic) || topic.split('/').some((level) => level === '')) {
    return { problem: `"${topic}" is not a topic to publish to`, fix: 'use levels separated by "/", without "+", "#" or empty levels' };
  }
  const levels = topic.split('/');
  const [kind, , , set] = levels.slice(-4);
  if (levels.length >= 4 && set === 'set' && (kind === 'vehicle' || kind === 'energy_site' || kind === 'wall_connector')) {
    return {
      problem: `"${topic}" is a teslahub command topic`,
      fix: 'use action: command with entity: <kind>.<id>.<entity>, so the guards and the allow/deny lists apply',
    };
  }
  if (levels.length >= 3 && levels.at(-3) === 'bridge' && levels.at(-2) === 'request') {
    return { problem: `"${topic}" is a teslahub bridge request topic`, fix: 'use action: refresh for a refresh; automations do not send bridge requests' };
  }
  return undefined;
}
