import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SystemClock } from '../../src/core/clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { BodyError, parseBody } from '../../src/http/body.js';
import { basicAuthHandler, credentialsMatch, parseBasicAuth } from '../../src/http/security/basic-auth.js';
import { CSRF_COOKIE, CsrfGuard, parseCookies } from '../../src/http/security/csrf.js';
import { hostAllowed, hostGuardHandler, hostName, securityHeadersHandler } from '../../src/http/security/host-guard.js';
import { HttpServer, route, sendJson } from '../../src/http/server.js';

/** fetch cannot set Host (a forbidden header), so the rebinding cases use node:http. */
function getWithHost(port: number, path: string, host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('basic auth', () => {
  it('parses the header and compares user and password', () => {
    assert.deepEqual(parseBasicAuth(basic('admin', 'pa:ss wörd')), { username: 'admin', password: 'pa:ss wörd' });
    assert.equal(parseBasicAuth(undefined), undefined);
    assert.equal(parseBasicAuth('Bearer abc'), undefined);
    assert.equal(parseBasicAuth(`Basic ${Buffer.from('no-colon').toString('base64')}`), undefined);
    const expected = { username: 'admin', password: 'secret-password' };
    assert.equal(credentialsMatch(basic('admin', 'secret-password'), expected), true);
    assert.equal(credentialsMatch(basic('admin', 'secret-passwore'), expected), false);
    assert.equal(credentialsMatch(basic('Admin', 'secret-password'), expected), false);
    assert.equal(credentialsMatch(undefined, expected), false);
  });
});

describe('CSRF guard', () => {
  const guard = new CsrfGuard({ secret: Buffer.alloc(32, 7), nonce: () => 'n'.repeat(24) });
  const nonce = 'abcdefghijklmnopqrstuvwx';
  const good = {
    method: 'POST',
    cookie: `other=1; ${CSRF_COOKIE}=${nonce}`,
    token: guard.tokenFor(nonce),
    origin: 'http://127.0.0.1:8080',
    host: '127.0.0.1:8080',
    fetchSite: 'same-origin',
  };

  it('accepts a same-origin request whose token matches its cookie, and safe methods without one', () => {
    assert.deepEqual(guard.verify(good), { ok: true });
    assert.deepEqual(guard.verify({ ...good, origin: undefined, fetchSite: undefined }), { ok: true }, 'older clients send no Origin');
    assert.deepEqual(guard.verify({ method: 'GET', cookie: undefined, token: undefined, origin: 'https://evil.example', host: 'x', fetchSite: 'cross-site' }), {
      ok: true,
    });
  });

  it('refuses cross-site requests, other origins, a missing cookie or token, and a token for another cookie', () => {
    const cases: [{ method?: string; cookie?: string | undefined; token?: string | undefined; origin?: string; fetchSite?: string }, RegExp][] = [
      [{ fetchSite: 'cross-site' }, /another site/],
      [{ origin: 'https://evil.example' }, /came from https:\/\/evil\.example/],
      [{ origin: 'not a url' }, /not a URL/],
      [{ cookie: undefined }, /cookie is missing/],
      [{ cookie: `${CSRF_COOKIE}=short` }, /cookie is missing/],
      [{ token: undefined }, /token is missing/],
      [{ token: guard.tokenFor('zzzzzzzzzzzzzzzzzzzzzzzz') }, /does not match/],
      [{ token: 'x' }, /does not match/],
      [{ method: 'DELETE', token: undefined }, /token is missing/],
    ];
    for (const [change, reason] of cases) {
      const verdict = guard.verify({ ...good, ...change });
      assert.equal(verdict.ok, false, JSON.stringify(change));
      assert.match(verdict.ok ? '' : verdict.reason, reason);
    }
    // Another daemon start has another secret: its tokens are worthless here.
    const other = new CsrfGuard({ secret: Buffer.alloc(32, 8), nonce: () => nonce });
    assert.equal(guard.verify({ ...good, token: other.tokenFor(nonce) }).ok, false);
  });

  it('reads cookies by name', () => {
    assert.deepEqual(parseCookies('a=1; b = 2;c=x=y; a=3'), { a: '1', b: '2', c: 'x=y' });
    assert.deepEqual(parseCookies(undefined), {});
  });
});

describe('host check against DNS rebinding', () => {
  it('knows addresses, localhost and listed names, and nothing else', () => {
    assert.equal(hostName('Example.COM:8080'), 'example.com');
    assert.equal(hostName('[::1]:8080'), '::1');
    assert.equal(hostName('127.0.0.1'), '127.0.0.1');
    const allowed = ['teslahub.local'];
    for (const host of ['127.0.0.1:8080', '192.168.1.20', '[::1]:8080', 'localhost:8080', 'app.localhost', 'TeslaHub.local:80'])
      assert.equal(hostAllowed(host, allowed), true, host);
    for (const host of ['evil.example:8080', 'teslahub.local.evil.example', undefined, '']) assert.equal(hostAllowed(host, allowed), false, String(host));
  });
});

describe('request parsing', () => {
  it('reads JSON objects and forms as string fields, and refuses anything else', () => {
    assert.deepEqual(parseBody('application/json; charset=utf-8', '{"device":"vehicle.X","value":80,"x":null,"o":{"mode":"off"}}'), {
      kind: 'json',
      fields: { device: 'vehicle.X', value: '80', o: '{"mode":"off"}' },
    });
    assert.deepEqual(parseBody('application/x-www-form-urlencoded', 'entity=charge_limit&value=80&_csrf=a%2Bb'), {
      kind: 'form',
      fields: { entity: 'charge_limit', value: '80', _csrf: 'a+b' },
    });
    assert.deepEqual(parseBody('', '  '), { kind: 'empty', fields: {} });
    assert.throws(
      () => parseBody('application/json', '[1]'),
      (e: unknown) => e instanceof BodyError && e.status === 400,
    );
    assert.throws(
      () => parseBody('application/json', '{'),
      (e: unknown) => e instanceof BodyError && e.status === 400,
    );
    assert.throws(
      () => parseBody('text/plain', 'x'),
      (e: unknown) => e instanceof BodyError && e.status === 415,
    );
  });
});

describe('security handlers in a real server', () => {
  const clock = new SystemClock();
  const guard = new CsrfGuard({ secret: Buffer.alloc(32, 1), nonce: () => 'cookie-nonce-0123456789' });
  let secured: HttpServer;
  let open: HttpServer;
  let posted = 0;
  const sink = new MemorySink();
  const log = new Logger({ level: 'info', format: 'pretty', sink, clock });
  const routes = [
    route('GET', '/page', ({ req, res }) => sendJson(res, 200, { token: guard.issue(req, res) })),
    route('POST', '/change', ({ res }) => {
      posted++;
      sendJson(res, 200, { ok: true });
    }),
    route('GET', '/healthz', ({ res }) => sendJson(res, 200, { ok: true })),
  ];
  before(async () => {
    secured = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      log,
      handlers: [securityHeadersHandler(), basicAuthHandler({ username: 'admin', password: 'correct horse' }), guard.handler(), ...routes],
    });
    open = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      log,
      handlers: [securityHeadersHandler(), hostGuardHandler(['teslahub.local']), guard.handler(), ...routes],
    });
    await secured.start();
    await open.start();
  });
  after(async () => {
    await secured.stop();
    await open.stop();
  });

  it('asks for the password everywhere but /healthz, and sets the protective headers', async () => {
    const base = `http://127.0.0.1:${secured.port}`;
    const denied = await fetch(`${base}/page`);
    assert.equal(denied.status, 401);
    assert.match(denied.headers.get('www-authenticate') ?? '', /^Basic realm="teslahub"/);
    assert.match(denied.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(denied.headers.get('x-frame-options'), 'DENY');
    assert.equal((await fetch(`${base}/page`, { headers: { authorization: basic('admin', 'wrong') } })).status, 401);
    assert.equal((await fetch(`${base}/page`, { headers: { authorization: basic('admin', 'correct horse') } })).status, 200);
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'health checks need no password');
  });

  it('lets a state change through only with the cookie and token the page handed out', async () => {
    const base = `http://127.0.0.1:${secured.port}`;
    const auth = { authorization: basic('admin', 'correct horse') };
    const page = await fetch(`${base}/page`, { headers: auth });
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.match(page.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
    const { token } = (await page.json()) as { token: string };
    const before = posted;
    const without = await fetch(`${base}/change`, { method: 'POST', headers: { ...auth, cookie, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(without.status, 403);
    assert.match(((await without.json()) as { message: string }).message, /token is missing/);
    const foreign = await fetch(`${base}/change`, { method: 'POST', headers: { ...auth, cookie, 'x-csrf-token': token, origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal(posted, before, 'refused requests never reached the route');
    const viaHeader = await fetch(`${base}/change`, {
      method: 'POST',
      headers: { ...auth, cookie, 'x-csrf-token': token, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(viaHeader.status, 200);
    const viaForm = await fetch(`${base}/change`, {
      method: 'POST',
      headers: { ...auth, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${encodeURIComponent(token)}`,
    });
    assert.equal(viaForm.status, 200);
    assert.equal(posted, before + 2);
  });

  it('answers a client that leaves in the middle of its body without an error in the log', async () => {
    const nonce = 'cookie-nonce-0123456789';
    for (let i = 0; i < 5; i++) {
      const socket = connect(open.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /change HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${CSRF_COOKIE}=${nonce}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n_csrf=abc`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.doesNotMatch(sink.text, /ERROR/);
    assert.equal((await fetch(`http://127.0.0.1:${open.port}/healthz`)).status, 200);
  });

  it('without a password, answers only to addresses, localhost and listed names', async () => {
    const port = open.port;
    const get = (host: string): Promise<{ status: number; text: string }> => getWithHost(port, '/page', host);
    assert.equal((await get(`127.0.0.1:${port}`)).status, 200);
    assert.equal((await get(`localhost:${port}`)).status, 200);
    assert.equal((await get('teslahub.local')).status, 200);
    const rebound = await get('evil.example');
    assert.equal(rebound.status, 421);
    assert.match(rebound.text, /http\.allowed_hosts/);
    assert.equal((await getWithHost(port, '/healthz', 'evil.example')).status, 200);
  });
});
