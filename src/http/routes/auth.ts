import type { LoginFlow } from '../../auth/login-flow.js';
import type { TokenManager } from '../../auth/token-manager.js';
import { UserError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { html, page } from '../html.js';
import { type Handler, route, sendHtml } from '../server.js';

const NOT_CONFIGURED = page(
  'teslahub: Tesla app not configured',
  html`<h1>The Tesla app is not configured yet</h1>
<p>Set <code>tesla.client_id</code> and <code>tesla.client_secret</code> in config.yaml (from your application on
<a href="https://developer.tesla.com">developer.tesla.com</a>) and restart teslahub, then connect the account.</p>
<p><a href="/">Back</a></p>`,
);

/** GET /auth/login sends the browser to Tesla; GET /auth/callback takes it back with the code. */
export function authRoutes(login: LoginFlow | undefined, tokens: TokenManager, log: Logger): Handler[] {
  return [
    route('GET', '/auth/login', async ({ res }) => {
      if (!login) {
        sendHtml(res, 503, NOT_CONFIGURED);
        return;
      }
      const url = await login.begin();
      res.writeHead(302, { location: url.toString(), 'cache-control': 'no-store' });
      res.end();
    }),
    route('GET', '/auth/callback', async ({ res, url }) => {
      if (!login) {
        sendHtml(res, 503, NOT_CONFIGURED);
        return;
      }
      try {
        const tokens2 = await login.complete(url.searchParams);
        await tokens.adopt(tokens2);
        log.info('Tesla account connected', { scopes: tokens2.scopes.join(' ') });
        res.writeHead(302, { location: '/?connected=1', 'cache-control': 'no-store' });
        res.end();
      } catch (error) {
        const fix = error instanceof UserError ? error.fix : undefined;
        log.warn('Tesla login failed', { error: errorMessage(error) });
        sendHtml(
          res,
          400,
          page(
            'teslahub: login failed',
            html`<h1 class="bad">The Tesla login did not complete</h1>
<p>${errorMessage(error)}</p>${fix && html`<p class="note">${fix}</p>`}
<p><a class="button" href="/auth/login">Try again</a> <a href="/">Back</a></p>`,
          ),
        );
      }
    }),
  ];
}
