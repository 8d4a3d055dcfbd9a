import type { Topics } from '../../mqtt/topics.js';
import { type Html, html } from '../html.js';
import { entityViews, type EntityView } from './device-view.js';
import { type ControlContext, domId, renderControl } from './render-controls.js';
import type { DeviceStatus, PollStatus } from './status-model.js';

/** Controls shown on each card; the table's other controls are folded away below. */
export const COMMON_CONTROLS: Record<string, readonly string[]> = {
  vehicle: ['charge_limit', 'charge_current', 'charge', 'lock', 'climate', 'sentry_mode'],
  energy_site: ['backup_reserve', 'operation_mode', 'storm_watch', 'allow_export', 'allow_charging_from_grid'],
  wall_connector: [],
};

/** Values shown on each card; every other value of the table is in the fold below. */
export const KEY_VALUES: Record<string, readonly string[]> = {
  vehicle: [
    'status',
    'battery_level',
    'battery_range',
    'charging',
    'charger_power',
    'charge_limit',
    'time_to_full_charge',
    'lock',
    'inside_temperature',
    'outside_temperature',
    'location',
    'software_update',
  ],
  energy_site: [
    'percentage_charged',
    'solar_power',
    'battery_power',
    'load_power',
    'grid_power',
    'grid_status',
    'backup_reserve',
    'operation_mode',
    'energy_left',
  ],
  wall_connector: ['power', 'state', 'vehicle', 'fault_state'],
};

const KIND_WORDS: Record<string, string> = { vehicle: 'Car', energy_site: 'Energy site', wall_connector: 'Wall Connector' };

/** A time for people: UTC text that the page's script turns into the browser's local time. */
export function timeHtml(ms: number): Html {
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/** The card's polling facts, also sent alone over the live stream. */
export function pollFields(status: Pick<DeviceStatus, 'connection'> & { poll: PollStatus }): Record<string, Html> {
  const { poll } = status;
  const next = poll.next
    ? html`${poll.next.action} at ${timeHtml(poll.next.at)}: <span class="reason">${poll.next.reason}</span>`
    : html`${poll.note ?? 'not planned'}`;
  return {
    ...(status.connection !== undefined ? { connection: html`${status.connection}` } : {}),
    last_poll: poll.lastPollAt !== undefined ? timeHtml(poll.lastPollAt) : html`not yet`,
    next_poll: next,
  };
}

function valueRow(entity: EntityView): Html {
  return html`<tr><th scope="row">${entity.name}</th><td data-entity="${entity.key}">${entity.text}</td></tr>`;
}

function valueTable(caption: string, entities: readonly EntityView[]): Html | false {
  if (entities.length === 0) return false;
  return html`<table class="values"><caption>${caption}</caption><thead><tr><th scope="col">Entity</th><th scope="col">Value</th></tr></thead><tbody>${entities.map(valueRow)}</tbody></table>`;
}

function controlGroup(label: string, ctx: ControlContext, views: readonly EntityView[]): Html | false {
  return views.length > 0 && html`<div class="controls" role="group" aria-label="${label}">${views.map((v) => renderControl(ctx, v))}</div>`;
}

/** One device: what it is, how it is polled, its common controls, and every value from its table. */
export function renderDevice(status: DeviceStatus, topics: Topics, csrf: string): Html {
  const { entry, address } = status;
  const { identity } = entry;
  const views = entityViews(entry, topics);
  const heading = domId('h', address);
  const common = COMMON_CONTROLS[entry.ref.kind] ?? [];
  const commonControls = common.map((key) => views.find((v) => v.key === key && v.control)).filter((v): v is EntityView => v !== undefined);
  const otherControls = views.filter((v) => v.control && !commonControls.includes(v));
  const withValue = views.filter((v) => v.payload !== null);
  const keyValues = (KEY_VALUES[entry.ref.kind] ?? []).map((k) => withValue.find((v) => v.key === k)).filter((v): v is EntityView => v !== undefined);
  const ctx = { device: address, csrf };
  const fields = pollFields(status);
  const facts = html`${fields.connection !== undefined && html`<dt>State</dt><dd data-field="connection">${fields.connection}</dd>`}<dt>Last poll</dt><dd data-field="last_poll">${fields.last_poll}</dd><dt>Next poll</dt><dd data-field="next_poll">${fields.next_poll}</dd>`;
  const subtitle = [KIND_WORDS[entry.ref.kind] ?? entry.ref.kind, identity.model, identity.topicId].filter(Boolean).join(' · ');
  const more = otherControls.length > 0 ? ` and ${otherControls.length} more controls` : '';
  return html`<article class="device" id="${domId('dev', address)}" data-device="${address}" aria-labelledby="${heading}">
<h3 id="${heading}">${identity.name} <span class="muted">${subtitle}</span></h3>
<dl class="poll">${facts}</dl>
${controlGroup(`Controls for ${identity.name}`, ctx, commonControls)}
<p class="result" role="status" aria-live="polite" data-result></p>
${valueTable(`Key values of ${identity.name}`, keyValues)}
<details><summary>All ${withValue.length} values of ${identity.name}${more}</summary>
${controlGroup(`More controls for ${identity.name}`, ctx, otherControls)}
${valueTable(`All values of ${identity.name}`, withValue)}
</details>
</article>`;
}

export function renderDevices(statuses: readonly DeviceStatus[], topics: Topics, csrf: string): Html {
  const empty = html`<p class="muted" data-empty>No devices yet. They appear here by themselves once the Tesla account is connected and read.</p>`;
  return html`<div id="device-list">${statuses.length === 0 ? empty : statuses.map((s, i) => html`${i > 0 && '\n'}${renderDevice(s, topics, csrf)}`)}</div>`;
}
