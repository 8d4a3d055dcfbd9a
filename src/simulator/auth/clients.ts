import { SCOPES, type Scenario, type Scope } from '../scenario/schema.js';
import { REGIONS, type Region } from '../types.js';

/** The developer apps (OAuth clients) the simulated Tesla account server knows. */

export const DEMO_CLIENT_ID = 'teslahub-demo';
export const DEMO_CLIENT_SECRET = 'teslahub-demo-secret';

export interface Client {
  clientId: string;
  /** undefined = a public ("open source") app. */
  clientSecret: string | undefined;
  redirectUris: string[] | undefined;
  scopes: readonly Scope[];
  allowedOrigins: string[] | undefined;
  /** Regions where the app is registered (partner_accounts). */
  registered: Set<Region>;
  /** Domain and hex public key registered per region. */
  registrations: Map<Region, { domain: string; publicKeyHex: string; at: number }>;
}

export function buildClients(scenario: Scenario): Map<string, Client> {
  const clients = new Map<string, Client>();
  const add = (client: Scenario['clients'][number]): void => {
    clients.set(client.clientId, {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      redirectUris: client.redirectUris,
      scopes: client.scopes ?? SCOPES,
      allowedOrigins: client.allowedOrigins,
      registered: new Set(client.registeredRegions ?? REGIONS),
      registrations: new Map(),
    });
  };
  add({ clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET });
  for (const client of scenario.clients) add(client);
  return clients;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Without a list, any http(s) loopback URI is allowed (any port and path), as for a local app. */
export function redirectAllowed(client: Client, redirectUri: string): boolean {
  if (client.redirectUris) return client.redirectUris.includes(redirectUri);
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname) && url.hash === '';
}
