import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Simulator } from '../../src/simulator/index.js';
import { Api, decodeJwt, HOUR, LA_MIDNIGHT, pkce } from './support.js';

const REDIRECT = 'http://localhost:8080/auth/callback';
const SCOPE = 'openid offline_access vehicle_device_data vehicle_cmds energy_device_data';

describe('OAuth server (real HTTP)', () => {
  const clock = new FakeClock(LA_MIDNIGHT + 12 * HOUR);
  const sim = new Simulator({ clock });
  let anon: Api;

  before(async () => {
    await sim.start();
    anon = new Api(sim.url);
  });
  after(() => sim.stop());

  async function authorize(params: Record<string, string>): Promise<Response> {
    return fetch(`${sim.authBaseUrl}/oauth2/v3/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
  }

  function authorizeParams(challenge: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      response_type: 'code',
      client_id: DEMO_CLIENT_ID,
      redirect_uri: REDIRECT,
      scope: SCOPE,
      state: 'st4te',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      nonce: 'n0nce',
      prompt: 'login',
      ...extra,
    };
  }

  async function token(form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const response = await fetch(`${sim.authBaseUrl}/oauth2/v3/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });
    return { status: response.status, body: await response.json() };
  }

  async function codeFor(challenge: string): Promise<string> {
    const response = await authorize(authorizeParams(challenge));
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location') ?? '');
    return location.searchParams.get('code') ?? '';
  }

  it('runs the authorization-code flow with PKCE: redirect with code, state, issuer and locale; tokens with Tesla claims', async () => {
    const { verifier, challenge } = pkce();
    const response = await authorize(authorizeParams(challenge));
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
    assert.equal(location.searchParams.get('state'), 'st4te');
    assert.equal(location.searchParams.get('issuer'), sim.issuer);
    assert.ok(response.headers.get('location')?.includes(`issuer=${encodeURIComponent(sim.issuer)}`));
    assert.equal(location.searchParams.get('locale'), 'en-US');
    const code = location.searchParams.get('code') ?? '';
    assert.match(code, /^NA_/);

    const answer = await token({
      grant_type: 'authorization_code',
      client_id: DEMO_CLIENT_ID,
      client_secret: DEMO_CLIENT_SECRET,
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      audience: sim.regionBaseUrl('na'),
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.token_type, 'Bearer');
    assert.equal(answer.body.expires_in, 28_800);
    assert.match(answer.body.refresh_token, /^NA_/);
    const access = decodeJwt(answer.body.access_token);
    assert.equal(access.header.alg, 'RS256');
    assert.equal(access.claims.iss, sim.issuer);
    assert.deepEqual(access.claims.aud, [sim.regionBaseUrl('na'), sim.regionBaseUrl('eu'), sim.regionBaseUrl('cn')]);
    assert.deepEqual(access.claims.scp, SCOPE.split(' '));
    assert.equal(access.claims.ou_code, 'NA');
    assert.equal(access.claims.azp, DEMO_CLIENT_ID);
    assert.match(access.claims.sub, /^[0-9a-f-]{36}$/);
    assert.equal(access.claims.iat, Math.floor(clock.now() / 1000));
    assert.equal(access.claims.exp, access.claims.iat + 28_800);
    const id = decodeJwt(answer.body.id_token);
    assert.equal(id.claims.aud, DEMO_CLIENT_ID);
    assert.equal(id.claims.nonce, 'n0nce');
    assert.equal(id.claims.sub, access.claims.sub);
    assert.equal(id.claims.email, 'demo@teslahub.invalid');

    // The signature checks out against the published JWKS, found through discovery.
    const discovery = await anon.get('/oauth2/v3/thirdparty/.well-known/openid-configuration');
    assert.equal(discovery.body.issuer, sim.issuer);
    assert.deepEqual(discovery.body.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(discovery.body.response_types_supported, ['code']);
    assert.ok(discovery.body.grant_types_supported.includes('refresh_token'));
    assert.ok(discovery.body.scopes_supported.includes('vehicle_location'));
    const jwks = await fetch(discovery.body.jwks_uri).then((r) => r.json() as Promise<{ keys: any[] }>);
    const jwk = jwks.keys.find((key) => key.kid === access.header.kid);
    const [h, p, s] = String(answer.body.access_token).split('.');
    assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s ?? '', 'base64url')));

    const userinfo = await new Api(sim.url, answer.body.access_token).get('/oauth2/v3/userinfo');
    assert.equal(userinfo.body.sub, access.claims.sub);
    const api = new Api(sim.regionBaseUrl('na'), answer.body.access_token);
    assert.equal((await api.get('/api/1/products')).status, 200);
  });

  it('rejects a wrong verifier, a different redirect_uri, a second use of a code and an expired code', async () => {
    const { verifier, challenge } = pkce();
    const form = (code: string, extra: Record<string, string> = {}) => ({
      grant_type: 'authorization_code',
      client_id: DEMO_CLIENT_ID,
      client_secret: DEMO_CLIENT_SECRET,
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      ...extra,
    });
    const code = await codeFor(challenge);
    const wrongVerifier = await token(form(code, { code_verifier: pkce().verifier }));
    assert.equal(wrongVerifier.status, 400);
    assert.equal(wrongVerifier.body.error, 'invalid_grant');
    const wrongRedirect = await token(form(code, { redirect_uri: 'http://localhost:9999/other' }));
    assert.equal(wrongRedirect.status, 400);
    assert.equal(wrongRedirect.body.error, 'invalid_grant');
    assert.equal((await token(form(code))).status, 200);
    const again = await token(form(code));
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');

    const late = await codeFor(challenge);
    await clock.advance(10 * 60_000);
    assert.equal((await token(form(late))).status, 400);
    const badSecret = await token(form(await codeFor(challenge), { client_secret: 'nope' }));
    assert.equal(badSecret.status, 401);
    assert.equal(badSecret.body.error, 'invalid_client');
  });

  it('accepts client_secret_basic instead of form credentials', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const basic = Buffer.from(`${DEMO_CLIENT_ID}:${DEMO_CLIENT_SECRET}`).toString('base64');
    const answer = await token(
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      { authorization: `Basic ${basic}` },
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  });

  it('answers a bad authorize request with 400 JSON and never redirects to an unchecked redirect_uri', async () => {
    const { challenge } = pkce();
    const cases: [Record<string, string>, string][] = [
      [{ client_id: 'someone-else' }, 'invalid_client'],
      [{ redirect_uri: 'https://evil.example.com/cb' }, 'invalid_redirect_url'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'vehicle_device_data' }, 'invalid_scope'],
      [{ state: '' }, 'invalid_request'],
      [{ code_challenge: '' }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
    ];
    for (const [change, error] of cases) {
      const response = await authorize(authorizeParams(challenge, change));
      assert.equal(response.status, 400, JSON.stringify(change));
      assert.equal(response.headers.get('location'), null);
      const body = (await response.json()) as { error: string; error_description: string };
      assert.equal(body.error, error, JSON.stringify(change));
      assert.ok(body.error_description.length > 0);
    }
    for (const host of ['127.0.0.1:5555', '[::1]:80', 'localhost']) {
      assert.equal((await authorize(authorizeParams(challenge, { redirect_uri: `http://${host}/any/path` }))).status, 302, host);
    }
  });

  it('rotates refresh tokens: each refresh returns a new one, the old one then gets 401 login_required', async () => {
    const first = sim.issueTokens({ scopes: ['openid', 'offline_access', 'vehicle_device_data'] });
    const refreshed = await token({ grant_type: 'refresh_token', client_id: DEMO_CLIENT_ID, refresh_token: String(first.refresh_token) });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.refresh_token, first.refresh_token);
    assert.match(refreshed.body.refresh_token, /^NA_/);
    assert.deepEqual(decodeJwt(refreshed.body.access_token).claims.scp, ['openid', 'offline_access', 'vehicle_device_data']);
    const reused = await token({ grant_type: 'refresh_token', client_id: DEMO_CLIENT_ID, refresh_token: String(first.refresh_token) });
    assert.equal(reused.status, 401);
    assert.deepEqual(reused.body, {
      error: 'login_required',
      error_description: 'The refresh_token is invalid. Generate a new refresh_token by forcing user to re-authenticate.',
    });
    assert.equal((await token({ grant_type: 'refresh_token', client_id: DEMO_CLIENT_ID, refresh_token: 'NA_unknown' })).status, 401);
    // The old access token keeps working until it expires.
    const api = new Api(sim.regionBaseUrl('na'), String(first.access_token));
    assert.equal((await api.get('/api/1/vehicles')).status, 200);
    sim.revokeRefreshTokens();
    assert.equal((await token({ grant_type: 'refresh_token', client_id: DEMO_CLIENT_ID, refresh_token: refreshed.body.refresh_token })).status, 401);
    const noOffline = sim.issueTokens({ scopes: ['openid', 'vehicle_device_data'] });
    assert.equal(noOffline.refresh_token, undefined, 'no refresh token without offline_access');
  });

  it('issues partner tokens for a region audience, and refuses without audience or secret', async () => {
    const answer = await token({
      grant_type: 'client_credentials',
      client_id: DEMO_CLIENT_ID,
      client_secret: DEMO_CLIENT_SECRET,
      audience: sim.regionBaseUrl('eu'),
      scope: 'openid vehicle_device_data',
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.refresh_token, undefined);
    assert.equal(answer.body.id_token, undefined);
    const claims = decodeJwt(answer.body.access_token).claims;
    assert.deepEqual(claims.aud, [sim.regionBaseUrl('eu')]);
    assert.equal(claims.sub, undefined);
    assert.equal(claims.ou_code, 'EU');
    assert.deepEqual(claims.scp, ['openid', 'vehicle_device_data']);
    const noAudience = await token({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET });
    assert.equal(noAudience.status, 400);
    const foreign = await token({
      grant_type: 'client_credentials',
      client_id: DEMO_CLIENT_ID,
      client_secret: DEMO_CLIENT_SECRET,
      audience: 'https://fleet-api.example.com',
    });
    assert.equal(foreign.status, 400);
    const noSecret = await token({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, audience: sim.regionBaseUrl('na') });
    assert.equal(noSecret.status, 401);
    assert.equal((await token({ grant_type: 'password' })).body.error, 'unsupported_grant_type');
  });

  it('lets a public (open source) app log in with PKCE alone, but not get partner tokens', async () => {
    const open = new Simulator({ clock, scenario: { clients: [{ clientId: 'open-app' }] }, registeredRegions: ['eu'] });
    await open.start();
    try {
      const { verifier, challenge } = pkce();
      const params = { ...authorizeParams(challenge), client_id: 'open-app' };
      const redirect = await fetch(`${open.authBaseUrl}/oauth2/v3/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
      const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
      const post = (form: Record<string, string>) => fetch(`${open.authBaseUrl}/oauth2/v3/token`, { method: 'POST', body: new URLSearchParams(form) });
      const answer = await post({ grant_type: 'authorization_code', client_id: 'open-app', code, redirect_uri: REDIRECT, code_verifier: verifier });
      assert.equal(answer.status, 200);
      const { access_token } = (await answer.json()) as { access_token: string };
      assert.equal((await post({ grant_type: 'client_credentials', client_id: 'open-app', audience: open.regionBaseUrl('na') })).status, 401);
      // registeredRegions: registered in eu only.
      assert.equal((await new Api(open.regionBaseUrl('na'), access_token).get('/api/1/users/region')).status, 412);
      assert.equal((await new Api(open.regionBaseUrl('eu'), access_token).get('/api/1/users/region')).status, 200);
    } finally {
      await open.stop();
    }
  });

  it('expires access tokens after their lifetime (401 token expired), and refuses forged ones', async () => {
    const tokens = sim.issueTokens();
    const api = new Api(sim.regionBaseUrl('na'), String(tokens.access_token));
    assert.equal((await api.get('/api/1/vehicles')).status, 200);
    await clock.advance(8 * HOUR);
    const expired = await api.get('/api/1/vehicles');
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body, { response: null, error: 'token expired (401)', error_description: '' });
    const [h, p] = String(sim.issueTokens().access_token).split('.');
    for (const bad of ['garbage', `${h}.${p}.AAAA`, undefined]) {
      const answer = await new Api(sim.regionBaseUrl('na'), bad).get('/api/1/vehicles');
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error, 'invalid bearer token');
    }
    const live = new Api(sim.regionBaseUrl('na'), String(sim.issueTokens().access_token));
    sim.invalidateAccessTokens();
    assert.equal((await live.get('/api/1/vehicles')).status, 401);
  });
});
