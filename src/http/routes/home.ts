import { checkScopes } from '../../auth/scopes.js';
import type { TokenManager } from '../../auth/token-manager.js';
import type { HealthRegistry } from '../../core/health.js';
import { escapeHtml, page } from '../html.js';
import { type Handler, route, sendText } from '../server.js';

export interface HomeDeps {
  tokens: TokenManager;
  health: HealthRegistry;
  wantedScopes: readonly string[];
  configured: boolean;
  version: string;
}

/** GET /: whether an account is connected, and the button to connect one. */
export function homeRoute(deps: HomeDeps): Handler {
  return route('GET', '/', ({ res, url }) => {
    const state = deps.tokens.state();
    const parts: string[] = [`<h1>teslahub <small>${escapeHtml(deps.version)}</small></h1>`];
    if (url.searchParams.get('connected') === '1' && state.kind === 'ok') {
      parts.push('<p class="note ok" role="status">Your Tesla account is connected.</p>');
    }
    switch (state.kind) {
      case 'ok': {
        const scopes = checkScopes(deps.wantedScopes, state.scopes);
        parts.push(
          `<p class="ok">Tesla account connected${state.sub ? ` (account ${escapeHtml(state.sub)})` : ''}. The access token is valid until ${escapeHtml(new Date(state.expiresAt).toISOString())} and is refreshed automatically.</p>`,
        );
        if (scopes.message) parts.push(`<p class="note bad">${escapeHtml(scopes.message)}</p>`);
        parts.push('<p><a href="/auth/login">Connect again</a> (to grant more permissions or change accounts)</p>');
        break;
      }
      case 'login_required':
        parts.push(`<p class="bad">Tesla needs you to log in again: ${escapeHtml(state.reason)}</p>`);
        parts.push('<p><a class="button" href="/auth/login">Connect Tesla account</a></p>');
        break;
      case 'logged_out':
        parts.push('<p>No Tesla account is connected yet.</p>');
        parts.push(
          deps.configured
            ? '<p><a class="button" href="/auth/login">Connect Tesla account</a></p>'
            : '<p class="note">Set <code>tesla.client_id</code> and <code>tesla.client_secret</code> in config.yaml first, then restart teslahub.</p>',
        );
        break;
    }
    const report = deps.health.report();
    parts.push('<h2>Health</h2><ul>');
    for (const [name, check] of Object.entries(report.checks)) {
      parts.push(`<li><strong>${escapeHtml(name)}</strong>: <span class="${check.ok ? 'ok' : 'bad'}">${escapeHtml(check.reason)}</span>${check.fix ? ` (${escapeHtml(check.fix)})` : ''}</li>`);
    }
    parts.push('</ul>');
    sendText(res, 200, page('teslahub', parts.join('\n')), 'text/html; charset=utf-8');
  });
}
