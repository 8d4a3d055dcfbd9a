import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { Daemon } from '../main.js';
import type { Simulator } from '../simulator/index.js';
import { demoSigningKey } from '../signing/demo-key.js';
import { SESSIONS_FILE } from '../signing/session-store.js';
import { prepareDemoStreaming } from './demo-streaming.js';

/**
 * Demo mode: the built-in simulator plays Tesla. It starts before the daemon (whose config points
 * at it) and stops after it; each run starts from a fresh login, since every simulator run signs
 * tokens with a new key.
 */
export async function startDemoSimulator(loaded: LoadedConfig, clock: Clock, log: Logger): Promise<{ simulator: Simulator; service: Service; email: string }> {
  // Loaded only here: a daemon that talks to Tesla never carries the simulator in memory.
  const { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_EMAIL, Simulator } = await import('../simulator/index.js');
  const signing = await demoSigningKey(loaded.config.tesla.private_key, loaded.config.data_dir, log);
  const streaming = await prepareDemoStreaming(loaded, signing.publicPem, clock, log);
  const simulator = new Simulator({ clock, log: log.child('simulator'), ...(streaming ? { fetchPublicKey: streaming.fetchPublicKey } : {}) });
  await simulator.start();
  if (streaming) await streaming.start(simulator);
  // The demo cars take only signed commands, as newer cars do; the key is paired as the Tesla app would.
  for (const vehicle of simulator.world.vehicles) {
    if (vehicle.state.commandSigning !== 'off') simulator.world.patchVehicle(vehicle.vin, { commandSigning: 'required', pairKey: signing.publicPem });
  }
  loaded.config = {
    ...loaded.config,
    tesla: {
      ...loaded.config.tesla,
      client_id: DEMO_CLIENT_ID,
      client_secret: DEMO_CLIENT_SECRET,
      auth_base_url: simulator.authBaseUrl,
      api_base_url: simulator.regionBaseUrl('na'),
      private_key: signing.privateKeyPath,
    },
  };
  await Promise.all(['tokens.json', 'fleet.json', SESSIONS_FILE].map((file) => rm(join(loaded.config.data_dir, file), { force: true })));
  log.info(`demo: the simulator plays Tesla at ${simulator.url}`);
  return {
    simulator,
    service: { name: 'simulator', start: async () => undefined, stop: () => simulator.stop() },
    email: DEMO_EMAIL,
  };
}

/** Logs in to the simulator the way a browser would (consent is automatic there). */
export function demoLogin(daemon: Daemon, log: Logger, email: string): Service {
  return {
    name: 'demo-login',
    start: async () => {
      if (daemon.tokens.state().kind === 'ok') return;
      const login = daemon.auth.login;
      if (!login) return;
      try {
        const authorize = await login.begin();
        const answer = await fetch(authorize, { redirect: 'manual' });
        const location = answer.headers.get('location');
        if (!location) throw new Error(`the simulator answered ${answer.status} without a redirect`);
        await daemon.tokens.adopt(await login.complete(new URL(location).searchParams));
        log.info(`demo: logged in to the simulator as ${email}`);
      } catch (error) {
        log.error(`demo: could not log in to the simulator: ${errorMessage(error)}`);
      }
    },
    stop: async () => undefined,
  };
}
