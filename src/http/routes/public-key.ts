import { errorMessage, UserError } from '../../core/errors.js';
import { loadPublicKeyPem, PUBLIC_KEY_URL_PATH } from '../../signing/keys.js';
import { type Handler, route, sendJson, sendText } from '../server.js';

/**
 * Serves the fleet key's public half where Tesla and cars look for it. Read on each request
 * (rare, and cheap), so a key generated while the daemon runs is served without a restart.
 */
export function publicKeyRoute(privateKeyPath: string): Handler {
  return route('GET', PUBLIC_KEY_URL_PATH, async ({ res }) => {
    try {
      const pem = await loadPublicKeyPem(privateKeyPath);
      sendText(res, 200, pem, 'application/x-pem-file');
    } catch (error) {
      const fix = error instanceof UserError ? error.fix : undefined;
      sendJson(res, 404, { error: 'no_public_key', message: errorMessage(error), ...(fix ? { fix } : {}) });
    }
  });
}
