import { type Html, html } from '../html.js';
import type { ControlView, EntityView } from './device-view.js';

/** Element ids from device addresses and keys (VINs and topic ids are [A-Za-z0-9_-] already, mostly). */
export function domId(...parts: string[]): string {
  return parts.join('-').replace(/[^A-Za-z0-9_-]/g, '_');
}

export interface ControlContext {
  device: string;
  csrf: string;
}

function form(ctx: ControlContext, entity: EntityView, inner: Html): Html {
  return html`<form class="control" method="post" action="/api/command" data-entity="${entity.key}"><input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="device" value="${ctx.device}"><input type="hidden" name="entity" value="${entity.key}">${inner}</form>`;
}

function pressButtons(buttons: readonly { value: string; label: string; pressed?: boolean | undefined }[], describedBy: string): Html[] {
  return buttons.map(
    (b, i) =>
      html`${i > 0 && ' '}<button type="submit" name="value" value="${b.value}" aria-describedby="${describedBy}"${b.pressed !== undefined && html` aria-pressed="${String(b.pressed)}"`}>${b.label}</button>`,
  );
}

function numberInput(id: string, name: string, c: { min: number; max: number; step: number; value: number | null }, control?: string): Html {
  const data = control !== undefined && html` data-control="${control}"`;
  return html`<input id="${id}" type="number" inputmode="decimal" name="${name}" min="${c.min}" max="${c.max}" step="${c.step}" value="${c.value ?? ''}" required${data}>`;
}

function buttonGroup(ctx: ControlContext, entity: EntityView, id: string, buttons: Parameters<typeof pressButtons>[0]): Html {
  return form(ctx, entity, html`<fieldset><legend id="${id}">${entity.name}</legend>${pressButtons(buttons, id)}</fieldset>`);
}

function options(values: readonly string[], selected: string | null | undefined): Html[] {
  return values.map((o) => html`<option value="${o}"${o === selected && ' selected'}>${o.replace(/_/g, ' ')}</option>`);
}

/**
 * One entity's control as a plain HTML form that posts to /api/command (so it works without
 * script, and the page's script turns it into a request without a reload). Every field has a
 * label; groups of buttons are a fieldset with a legend.
 */
export function renderControl(ctx: ControlContext, entity: EntityView): Html {
  const control = entity.control as ControlView;
  const id = domId('c', ctx.device, entity.key);
  const name = entity.name;
  switch (control.type) {
    case 'number':
      return form(
        ctx,
        entity,
        html`<label for="${id}">${name}${control.unit && ` (${control.unit})`}</label> ${numberInput(id, 'value', control, entity.key)} <button type="submit">Set</button>`,
      );
    case 'select':
      return form(
        ctx,
        entity,
        html`<label for="${id}">${name}</label> <select id="${id}" name="value" data-control="${entity.key}">${options(control.options, control.value)}</select> <button type="submit">Set</button>`,
      );
    case 'switch':
      return buttonGroup(ctx, entity, id, [
        { value: 'ON', label: 'On', pressed: control.on === true },
        { value: 'OFF', label: 'Off', pressed: control.on === false },
      ]);
    case 'lock':
      return buttonGroup(ctx, entity, id, [
        { value: 'LOCK', label: 'Lock', pressed: control.locked === true },
        { value: 'UNLOCK', label: 'Unlock', pressed: control.locked === false },
      ]);
    case 'cover':
      return buttonGroup(
        ctx,
        entity,
        id,
        control.supports.map((s) => ({ value: s, label: s.charAt(0) + s.slice(1).toLowerCase() })),
      );
    case 'button':
      return form(ctx, entity, html`<button type="submit" name="value" value="PRESS">${name}</button>`);
    case 'update':
      return form(ctx, entity, html`<button type="submit" name="value" value="install">Install ${name.toLowerCase()}</button>`);
    case 'climate': {
      const mode = form(
        ctx,
        entity,
        html`<label for="${id}-mode">${name} mode</label> <select id="${id}-mode" name="mode">${options(control.modes, control.mode)}</select> <button type="submit">Set</button>`,
      );
      const temperature = form(
        ctx,
        entity,
        html`<label for="${id}-temp">${name} temperature (°C)</label> ${numberInput(`${id}-temp`, 'temperature', { ...control, value: control.target })} <button type="submit">Set</button>`,
      );
      return html`${mode}${temperature}`;
    }
  }
}
