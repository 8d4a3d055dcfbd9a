import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SystemClock } from '../../src/core/clock.js';
import { UserError } from '../../src/core/errors.js';
import { HealthRegistry } from '../../src/core/health.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { healthzRoute } from '../../src/http/routes/healthz.js';
import { publicKeyRoute } from '../../src/http/routes/public-key.js';
import { HttpServer, route, sendJson } from '../../src/http/server.js';
import { writeKeyPair } from '../../src/signing/keys.js';
import { freePort } from '../support/net.js';
import { tempDir } from '../support/tmp.js';

const PEM_PATH = '/.well-known/appspecific/com.tesla.3p.public-key.pem';

describe('HttpServer', () => {
  const health = new HealthRegistry();
  let mqttOk = false;
  health.register('mqtt', () => (mqttOk ? { ok: true, reason: 'connected' } : { ok: false, reason: 'not connected', fix: 'start the broker' }));
  health.register('account', () => ({ ok: true, reason: 'logged in' }));
  const sink = new MemorySink();
  const clock = new SystemClock();
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: HttpServer;
  let base: string;

  before(async () => {
    ({ dir, cleanup } = await tempDir());
    server = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      log: new Logger({ level: 'info', format: 'pretty', sink, clock }),
      handlers: [
        healthzRoute(health),
        publicKeyRoute(join(dir, 'keys', 'private-key.pem')),
        route('GET', '/boom', () => {
          throw new Error('handler exploded');
        }),
        route('POST', '/only-post', ({ res }) => sendJson(res, 200, {})),
      ],
    });
    await server.start();
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server.stop();
    await cleanup();
  });

  it('answers /healthz with 503 and the failing check until every check passes', async () => {
    const bad = await fetch(`${base}/healthz`);
    assert.equal(bad.status, 503);
    const body = (await bad.json()) as { status: string; checks: Record<string, { ok: boolean; reason: string; fix?: string }> };
    assert.equal(body.status, 'unhealthy');
    assert.deepEqual(body.checks.mqtt, { ok: false, reason: 'not connected', fix: 'start the broker' });
    mqttOk = true;
    const good = await fetch(`${base}/healthz`);
    assert.equal(good.status, 200);
    assert.equal(((await good.json()) as { status: string }).status, 'ok');
  });

  it('serves the public key once it exists, and explains how to make one before', async () => {
    const missing = await fetch(`${base}${PEM_PATH}`);
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { fix: string }).fix, /teslahub keys generate/);
    await writeKeyPair(join(dir, 'keys', 'private-key.pem'), false);
    const found = await fetch(`${base}${PEM_PATH}`);
    assert.equal(found.status, 200);
    assert.equal(found.headers.get('content-type'), 'application/x-pem-file');
    assert.match(await found.text(), /^-----BEGIN PUBLIC KEY-----/);
  });

  it('answers unknown paths with 404, wrong methods with 405, and a failing handler with 500 without dying', async () => {
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    const wrong = await fetch(`${base}/only-post`);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST');
    assert.equal((await fetch(`${base}/boom`)).status, 500);
    assert.match(sink.text, /request failed .*handler exploded/);
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'still serving');
  });

  it('reports a port in use as a user error naming the key to change', async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    try {
      const second = new HttpServer({ host: '127.0.0.1', port, log: new Logger({ level: 'info', format: 'pretty', sink, clock }), handlers: [] });
      await assert.rejects(second.start(), (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
        assert.match(error.fix ?? '', /http\.port/);
        return true;
      });
    } finally {
      blocker.close();
    }
  });
});

/** Sends one raw request and resolves with what came back once the server closed the socket (or after `ms`). */
function rawRequest(port: number, text: string, ms = 3000): Promise<{ reply: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ reply, closed: false });
    }, ms);
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ reply, closed: true });
    });
    socket.write(text);
  });
}

describe('HttpServer and malformed request lines', () => {
  const sink = new MemorySink();
  let server: HttpServer;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => void rejections.push(reason);

  before(async () => {
    process.on('unhandledRejection', onRejection);
    server = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      log: new Logger({ level: 'debug', format: 'pretty', sink, clock: new SystemClock() }),
      handlers: [route('GET', '/ok', ({ res }) => sendJson(res, 200, { ok: true }))],
    });
    await server.start();
  });
  after(async () => {
    process.off('unhandledRejection', onRejection);
    await server.stop();
  });

  for (const target of ['//[', 'http://[::1', '//a:b@[', 'http://127.0.0.1:99999/', '//%']) {
    it(`answers "GET ${target}" with 400 and closes the connection`, async () => {
      const { reply, closed } = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      assert.match(reply, /^HTTP\/1\.1 400 /);
      assert.match(reply, /not a valid path/);
      assert.ok(closed, 'the server closed the socket');
      assert.deepEqual(rejections, []);
      assert.doesNotMatch(sink.text, /ERROR|unhandled/i);
    });
  }

  it('keeps serving good requests after 200 bad ones', async () => {
    await Promise.all(Array.from({ length: 200 }, () => rawRequest(server.port, 'GET //% HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')));
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/ok`)).status, 200);
    assert.deepEqual(rejections, []);
  });
});
