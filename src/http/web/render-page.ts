import { type Html, html } from '../html.js';
import type { Step } from './onboarding.js';
import { renderDevices } from './render-devices.js';
import { renderAutomations, renderEvents, renderHealth, renderMoney } from './render-sections.js';
import { renderSetup } from './render-setup.js';
import { renderStreaming } from './render-streaming.js';
import { accountFacts, deviceStatuses, money, type WebDeps } from './status-model.js';

export const ASSET_VERSION = '1';

export interface PageInput {
  deps: WebDeps;
  steps: readonly Step[];
  csrf: string;
  /** ?connected=1 after the OAuth callback. */
  justConnected: boolean;
}

function section(id: string, title: string, body: Html): Html {
  return html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2><div class="section-body" data-section="${id}">${body}</div></section>`;
}

/**
 * GET /: the whole page, rendered on the server so it reads without script; /assets/app.js then
 * keeps it live over /api/events and sends controls without a reload.
 */
export function renderPage(input: PageInput): Html {
  const { deps, steps, csrf } = input;
  const account = accountFacts(deps.tokens);
  const banner =
    input.justConnected &&
    account.kind === 'ok' &&
    html`<p class="note ok" role="status">Your Tesla account is connected. Cars and energy sites appear below as soon as they are read.</p>`;
  const nav = [
    ['setup', 'Set-up'],
    ['devices', 'Devices'],
    ['streaming', 'Streaming'],
    ['money', 'API spend'],
    ['events', 'Events'],
    ['automations', 'Automations'],
    ['health', 'Health'],
  ].map(([id, label]) => html`<li><a href="#${id}">${label}</a></li>`);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${csrf}">
<title>teslahub</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css?v=${ASSET_VERSION}">
<script src="/assets/app.js?v=${ASSET_VERSION}" defer></script>
</head><body>
<a class="skip" href="#main">Skip to content</a>
<header><h1>teslahub <small>${deps.version}</small>${deps.demo && html` <span class="tag">demo</span>`}</h1>
<nav aria-label="Sections"><ul>${nav}</ul></nav>
<p id="live" class="muted" role="status" aria-live="polite">Live updates start when the page has loaded.</p></header>
<main id="main" tabindex="-1">
${banner}
${section('setup', 'Set-up', renderSetup(steps, csrf))}
${section('devices', 'Devices', renderDevices(deviceStatuses(deps), deps.topics, csrf))}
${section('streaming', 'Streaming', renderStreaming(deps.streaming))}
${section('money', 'API spend this month', renderMoney(money(deps)))}
${section('events', 'Events', renderEvents(deps.events.recent(50)))}
${section('automations', 'Automations', renderAutomations(deps.automations))}
${section('health', 'Health', renderHealth(deps.health.report()))}
</main>
</body></html>`;
}
