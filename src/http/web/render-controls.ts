import { escapeHtml as e } from '../html.js';
import type { ControlView, EntityView } from './device-view.js';

/** Element ids from device addresses and keys (VINs and topic ids are [A-Za-z0-9_-] already, mostly). */
export function domId(...parts: string[]): string {
  return parts.join('-').replace(/[^A-Za-z0-9_-]/g, '_');
}

export interface ControlContext {
  device: string;
  csrf: string;
}

function hidden(ctx: ControlContext, key: string): string {
  return `<input type="hidden" name="_csrf" value="${e(ctx.csrf)}"><input type="hidden" name="device" value="${e(ctx.device)}"><input type="hidden" name="entity" value="${e(key)}">`;
}

function form(ctx: ControlContext, entity: EntityView, inner: string): string {
  return `<form class="control" method="post" action="/api/command" data-entity="${e(entity.key)}">${hidden(ctx, entity.key)}${inner}</form>`;
}

function pressButtons(buttons: readonly { value: string; label: string; pressed?: boolean | undefined }[], describedBy: string): string {
  return buttons
    .map((b) => `<button type="submit" name="value" value="${e(b.value)}" aria-describedby="${describedBy}"${b.pressed === undefined ? '' : ` aria-pressed="${b.pressed}"`}>${e(b.label)}</button>`)
    .join(' ');
}

function numberInput(id: string, name: string, c: { min: number; max: number; step: number; value: number | null }, extra = ''): string {
  return `<input id="${id}" type="number" inputmode="decimal" name="${name}" min="${c.min}" max="${c.max}" step="${c.step}" value="${c.value ?? ''}" required${extra}>`;
}

/**
 * One entity's control as a plain HTML form that posts to /api/command (so it works without
 * script, and the page's script turns it into a request without a reload). Every field has a
 * label; groups of buttons are a fieldset with a legend.
 */
export function renderControl(ctx: ControlContext, entity: EntityView): string {
  const control = entity.control as ControlView;
  const id = domId('c', ctx.device, entity.key);
  const name = e(entity.name);
  switch (control.type) {
    case 'number': {
      const unit = control.unit ? ` (${e(control.unit)})` : '';
      return form(ctx, entity, `<label for="${id}">${name}${unit}</label> ${numberInput(id, 'value', control, ` data-control="${e(entity.key)}"`)} <button type="submit">Set</button>`);
    }
    case 'select': {
      const options = control.options.map((o) => `<option value="${e(o)}"${o === control.value ? ' selected' : ''}>${e(o.replace(/_/g, ' '))}</option>`).join('');
      return form(ctx, entity, `<label for="${id}">${name}</label> <select id="${id}" name="value" data-control="${e(entity.key)}">${options}</select> <button type="submit">Set</button>`);
    }
    case 'switch':
      return form(ctx, entity, `<fieldset><legend id="${id}">${name}</legend>${pressButtons([{ value: 'ON', label: 'On', pressed: control.on === true }, { value: 'OFF', label: 'Off', pressed: control.on === false }], id)}</fieldset>`);
    case 'lock':
      return form(ctx, entity, `<fieldset><legend id="${id}">${name}</legend>${pressButtons([{ value: 'LOCK', label: 'Lock', pressed: control.locked === true }, { value: 'UNLOCK', label: 'Unlock', pressed: control.locked === false }], id)}</fieldset>`);
    case 'cover':
      return form(ctx, entity, `<fieldset><legend id="${id}">${name}</legend>${pressButtons(control.supports.map((s) => ({ value: s, label: s.charAt(0) + s.slice(1).toLowerCase() })), id)}</fieldset>`);
    case 'button':
      return form(ctx, entity, `<button type="submit" name="value" value="PRESS">${name}</button>`);
    case 'update':
      return form(ctx, entity, `<button type="submit" name="value" value="install">Install ${name.toLowerCase()}</button>`);
    case 'climate': {
      const modes = control.modes.map((m) => `<option value="${e(m)}"${m === control.mode ? ' selected' : ''}>${e(m.replace(/_/g, ' '))}</option>`).join('');
      const mode = form(ctx, entity, `<label for="${id}-mode">${name} mode</label> <select id="${id}-mode" name="mode">${modes}</select> <button type="submit">Set</button>`);
      const temperature = form(ctx, entity, `<label for="${id}-temp">${name} temperature (°C)</label> ${numberInput(`${id}-temp`, 'temperature', { ...control, value: control.target })} <button type="submit">Set</button>`);
      return mode + temperature;
    }
  }
}
