import * as oidc from 'openid-client';
import type { OAuthFetch } from './oauth-fetch.js';

/** Where Tesla's OAuth server is, for a region or an `auth_base_url` override. */
export interface OAuthServer {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
}

/**
 * Tesla's hosts: the browser goes to auth.tesla.com, server-to-server calls
 * go to fleet-auth.prd.vn.cloud.tesla.com (China: auth.tesla.cn for both). An override puts all
 * three under one base, as the simulator serves them.
 */
export function oauthServer(authBaseUrl: string | undefined, region: 'auto' | 'na' | 'eu' | 'cn'): OAuthServer {
  if (authBaseUrl) {
    const base = authBaseUrl.replace(/\/+$/, '');
    return { issuer: `${base}/oauth2/v3/nts`, authorizationEndpoint: `${base}/oauth2/v3/authorize`, tokenEndpoint: `${base}/oauth2/v3/token` };
  }
  if (region === 'cn') {
    return {
      issuer: 'https://auth.tesla.cn/oauth2/v3/nts',
      authorizationEndpoint: 'https://auth.tesla.cn/oauth2/v3/authorize',
      tokenEndpoint: 'https://auth.tesla.cn/oauth2/v3/token',
    };
  }
  return {
    issuer: 'https://auth.tesla.com/oauth2/v3/nts',
    authorizationEndpoint: 'https://auth.tesla.com/oauth2/v3/authorize',
    tokenEndpoint: 'https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/token',
  };
}

export interface OAuthClientSettings {
  server: OAuthServer;
  clientId: string;
  clientSecret: string;
}

/**
 * openid-client's view of Tesla and our app: a confidential client sending its secret in the
 * form. `clockSkewSeconds` is added to the machine's clock wherever openid-client checks a time
 * (see OAuthClient, the one caller). Its requests go through `fetch` when given, else the global fetch.
 */
export function oauthConfiguration(settings: OAuthClientSettings, clockSkewSeconds: number, fetch?: OAuthFetch): oidc.Configuration {
  const { server } = settings;
  const config = new oidc.Configuration(
    {
      issuer: server.issuer,
      authorization_endpoint: server.authorizationEndpoint,
      token_endpoint: server.tokenEndpoint,
    },
    settings.clientId,
    { client_secret: settings.clientSecret, token_endpoint_auth_method: 'client_secret_post', [oidc.clockSkew]: clockSkewSeconds },
    oidc.ClientSecretPost(settings.clientSecret),
  );
  // Plain http only ever points at a simulator or test server on purpose (tesla.auth_base_url).
  if (server.tokenEndpoint.startsWith('http:')) oidc.allowInsecureRequests(config);
  if (fetch) config[oidc.customFetch] = fetch;
  return config;
}
