import type { CommandRequest, CommandResultEvent } from '../../commands/router.js';
import { ownValue } from '../../core/own.js';
import { parseNamedDevice } from '../../core/devices.js';
import { BodyError, type ParsedBody, readBody } from '../body.js';
import { html, page } from '../html.js';
import { type Handler, route, sendHtml, sendJson } from '../server.js';

export interface CommandRunner {
  run(request: CommandRequest): Promise<CommandResultEvent>;
}

export type ParsedWebCommand = { ok: true; request: CommandRequest } | { ok: false; message: string };

/**
 * A control's submission as the command router's request: `device` is `<kind>.<topic id>`, and
 * the value is the same plain payload an MQTT `/set` takes. A climate form sends `mode` or
 * `temperature`, which become the JSON payload the climate entity takes.
 */
export function parseWebCommand(body: ParsedBody): ParsedWebCommand {
  const field = (name: string): string | undefined => ownValue(body.fields, name);
  const device = field('device');
  const entity = field('entity');
  if (!device || !entity) return { ok: false, message: 'send device ("vehicle.<id>") and entity' };
  const named = parseNamedDevice(device);
  if (!named.ok) return { ok: false, message: named.problem };
  const { kind, topicId } = named;
  let value = field('value');
  const mode = field('mode');
  const temperatureText = field('temperature');
  if (value === undefined && mode !== undefined) value = JSON.stringify({ mode });
  if (value === undefined && temperatureText !== undefined) {
    const temperature = Number(temperatureText);
    value = JSON.stringify({ temperature: Number.isFinite(temperature) ? temperature : temperatureText });
  }
  if (value === undefined) return { ok: false, message: 'send the value to set' };
  return { ok: true, request: { kind, topicId, entity, payload: Buffer.from(value, 'utf8'), who: 'web page' } };
}

function wantsHtml(body: ParsedBody, accept: string | undefined): boolean {
  return body.kind === 'form' && (accept ?? '').includes('text/html');
}

/**
 * POST /api/command: a control on the page, carried out by the same command router as MQTT
 * `/set` (validation, allow/deny lists, scopes, one command_result event). The CSRF guard has
 * already checked the request. JSON in, JSON out; a plain form post gets a small page back.
 */
export function commandRoute(router: CommandRunner): Handler {
  return route('POST', '/api/command', async ({ req, res }) => {
    let body: ParsedBody;
    try {
      body = await readBody(req);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      sendJson(res, error.status, { error: 'bad_request', message: error.message });
      return;
    }
    const parsed = parseWebCommand(body);
    if (!parsed.ok) {
      sendJson(res, 400, { error: 'bad_request', message: parsed.message });
      return;
    }
    const result = await router.run(parsed.request);
    if (wantsHtml(body, req.headers.accept)) {
      const text = result.ok
        ? `${result.entity} = ${JSON.stringify(result.value)}: done${result.detail ? ` (${result.detail})` : ''}`
        : `${result.entity}: ${result.error ?? 'failed'}`;
      const heading = html`<h1 class="${result.ok ? 'ok' : 'bad'}">${result.ok ? 'Done' : 'Not done'}</h1>`;
      sendHtml(
        res,
        result.ok ? 200 : 422,
        page('teslahub: command', html`${heading}<p role="status">${text}</p><p><a class="button" href="/#devices">Back to the page</a></p>`),
      );
      return;
    }
    sendJson(res, result.ok ? 200 : 422, result);
  });
}
