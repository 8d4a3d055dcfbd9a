import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { OAuthClient } from '../../src/auth/oauth-client.js';
import { openAccount } from '../../src/cli/account-context.js';
import { validateConfig } from '../../src/config/validate.js';
import { oauthFetch } from '../../src/auth/oauth-fetch.js';
import { oauthServer } from '../../src/auth/oauth-server.js';
import { refreshGrant } from '../../src/auth/token-exchange.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import type { HttpRequest } from '../../src/fleet/transport.js';
import { tempDir } from '../support/tmp.js';

// An access token shaped like Tesla's (a JWT whose claims carry the scopes); never signed, never checked.
const claims = Buffer.from(JSON.stringify({ sub: 'user-1', scp: ['openid', 'offline_access'], ou_code: 'NA' })).toString('base64url');
const ACCESS = `e30.${claims}.sig`;

describe('token requests', () => {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: ACCESS, refresh_token: 'refresh-2', token_type: 'Bearer', expires_in: 28800 }));
    });
  });
  let base = '';
  const realFetch = globalThis.fetch;
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    globalThis.fetch = realFetch;
    server.close();
  });

  it('go through Node http, never the global fetch (whose engine would stay loaded)', async () => {
    const { dir, cleanup } = await tempDir();
    const validation = validateConfig({ data_dir: dir, tesla: { client_id: 'app', client_secret: 'secret', auth_base_url: base } }, new Map());
    assert.ok(validation.ok);
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: dir };
    const { auth } = await openAccount(validation.config, io, []);
    assert.ok(auth.oauth);
    globalThis.fetch = () => Promise.reject(new Error('the global fetch was used'));
    const outcome = await refreshGrant(auth.oauth, 'refresh-1', () => Date.now());
    globalThis.fetch = realFetch;
    await cleanup();
    assert.equal(outcome.kind, 'ok', JSON.stringify(outcome));
    assert.equal(outcome.kind === 'ok' && outcome.tokens.refresh_token, 'refresh-2');
    const request = seen.at(-1);
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/oauth2/v3/token');
    assert.match(String(request?.headers['content-type']), /^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(request?.body);
    assert.equal(form.get('grant_type'), 'refresh_token');
    assert.equal(form.get('refresh_token'), 'refresh-1');
    assert.equal(form.get('client_secret'), 'secret');
  });

  it("hand openid-client a Response with the transport's status, headers and body", async () => {
    const requests: HttpRequest[] = [];
    const fetch = oauthFetch(async (request) => {
      requests.push(request);
      return { status: 400, headers: { 'content-type': 'application/json', 'x-other': undefined }, text: '{"error":"invalid_grant"}' };
    });
    const response = await fetch(`${base}/token`, {
      method: 'POST',
      body: new URLSearchParams({ a: 'b' }),
      headers: { Accept: 'application/json' },
      redirect: 'manual',
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(await response.json(), { error: 'invalid_grant' });
    assert.equal(requests[0]?.body, 'a=b');
    assert.equal(requests[0]?.headers.accept, 'application/json');
    // A refused refresh token is told apart from other failures, as with the global fetch.
    const oauth = new OAuthClient({ server: oauthServer(base, 'na'), clientId: 'app', clientSecret: 'secret' }, new FakeClock(Date.now()), { fetch });
    assert.equal((await refreshGrant(oauth, 'refresh-1', () => Date.now())).kind, 'login_required');
  });
});
