import type { HealthRegistry } from '../../core/health.js';
import { type Handler, route, sendJson } from '../server.js';

/** 200 when every health check passes, 503 otherwise; the body says which check failed and why. */
export function healthzRoute(health: HealthRegistry): Handler {
  return route('GET', '/healthz', ({ res }) => {
    const report = health.report();
    sendJson(res, report.ok ? 200 : 503, { status: report.ok ? 'ok' : 'unhealthy', ...report });
  });
}
