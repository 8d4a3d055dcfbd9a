import type { AuthSetup } from '../auth/setup.js';
import type { Config } from '../config/schema.js';
import type { HealthRegistry } from '../core/health.js';
import type { Logger } from '../core/logger.js';
import { authRoutes } from './routes/auth.js';
import { healthzRoute } from './routes/healthz.js';
import { publicKeyRoute } from './routes/public-key.js';
import type { HttpServer } from './server.js';
import type { Web } from './web/wiring.js';

/** The daemon's chain: the web room's security first, then health, the public key, OAuth, and the page and API last. */
export function mountDaemonRoutes(http: HttpServer, input: { config: Config; health: HealthRegistry; auth: AuthSetup; web: Web; log: Logger }): void {
  const { auth, web } = input;
  http.mount([
    ...web.security,
    healthzRoute(input.health),
    publicKeyRoute(input.config.tesla.private_key),
    ...authRoutes(auth.login, auth.tokens, input.log.child('auth')),
    ...web.routes,
  ]);
}
