import type { CsrfGuard } from '../security/csrf.js';
import { type Handler, route, sendHtml, sendJson, sendText } from '../server.js';
import { APP_CSS } from '../web/assets-css.js';
import { APP_JS } from '../web/assets-js.js';
import { renderPage } from '../web/render-page.js';
import { checklist, type WebDeps } from '../web/status-model.js';

/** How long the page waits for onboarding checks that are due before it shows them as "checking". */
export const PAGE_WAIT_MS = 3_000;

/** GET /: the status and onboarding page. */
export function homeRoute(deps: WebDeps, csrf: CsrfGuard): Handler {
  return route('GET', '/', async ({ req, res, url }) => {
    const token = csrf.issue(req, res);
    const steps = await checklist(deps, PAGE_WAIT_MS);
    res.setHeader('cache-control', 'no-store');
    sendHtml(res, 200, renderPage({ deps, steps, csrf: token, justConnected: url.searchParams.get('connected') === '1' }));
  });
}

/** The style sheet and script, from memory: nothing is fetched from elsewhere, so the page works offline. */
export function assetRoutes(): Handler[] {
  const asset = (path: string, body: string, type: string): Handler =>
    route('GET', path, ({ res }) => {
      res.setHeader('cache-control', 'public, max-age=3600');
      sendText(res, 200, body, type);
    });
  return [asset('/assets/app.css', APP_CSS, 'text/css; charset=utf-8'), asset('/assets/app.js', APP_JS, 'text/javascript; charset=utf-8')];
}

/** POST /api/onboarding/recheck: forget cached onboarding answers (the "Check again" button). */
export function recheckRoute(deps: WebDeps): Handler {
  return route('POST', '/api/onboarding/recheck', ({ req, res }) => {
    deps.onboarding.invalidate();
    if ((req.headers.accept ?? '').includes('text/html')) {
      res.writeHead(303, { location: '/#setup', 'cache-control': 'no-store' });
      res.end();
      return;
    }
    sendJson(res, 200, { ok: true });
  });
}
