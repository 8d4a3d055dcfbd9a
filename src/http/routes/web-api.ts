import { formatMetrics, METRICS_CONTENT_TYPE } from '../metrics.js';
import { type Handler, route, sendJson, sendText } from '../server.js';
import type { SseChannel } from '../sse.js';
import type { LiveUpdates } from '../web/live.js';
import { type MetricExtras, metricFamilies } from '../web/metrics-families.js';
import { statusReport, type WebDeps } from '../web/status-model.js';

/** How long /api/status waits for onboarding checks (the public key fetch, registration) that are due. */
export const STATUS_WAIT_MS = 3_000;

/** GET /api/status: the page's facts as JSON. */
export function statusRoute(deps: WebDeps): Handler {
  return route('GET', '/api/status', async ({ res }) => {
    sendJson(res, 200, await statusReport(deps, STATUS_WAIT_MS));
  });
}

/** GET /api/events: a server-sent event stream of live entity changes, new devices, events and sections. */
export function eventsRoute(channel: SseChannel, live: LiveUpdates): Handler {
  return route('GET', '/api/events', ({ req, res }) => {
    // Each connection holds a socket open for as long as the page is; no request timeout applies.
    req.socket.setTimeout(0);
    req.socket.setKeepAlive(true);
    channel.open(res, live.initial());
    live.soon();
  });
}

/** GET /metrics: Prometheus text format. */
export function metricsRoute(deps: WebDeps, extra: () => MetricExtras): Handler {
  return route('GET', '/metrics', ({ res }) => {
    sendText(res, 200, formatMetrics(metricFamilies(deps, extra())), METRICS_CONTENT_TYPE);
  });
}
