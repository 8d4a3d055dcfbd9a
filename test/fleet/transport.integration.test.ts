import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHttpTransport, MAX_RESPONSE_BYTES, TransportError } from '../../src/fleet/transport.js';

describe('the HTTP transport (real sockets)', () => {
  let server: Server;
  let base: string;
  let open = 0;
  let most = 0;
  const hits = new Map<string, number>();
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/slow') {
      open += 1;
      most = Math.max(most, open);
      setTimeout(() => {
        open -= 1;
        res.end('{"response":1}');
      }, 30);
    } else if (path === '/misdirected') {
      res.writeHead(421).end('{"error":"wrong region"}');
    } else if (path === '/huge') {
      res.writeHead(200);
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent <= MAX_RESPONSE_BYTES) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    } else if (path === '/hang') {
      // never answers
    } else {
      res.end(`echo ${req.method} ${req.headers['x-test'] ?? ''}`);
    }
  };

  before(async () => {
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers with status, headers and text, and sends the headers given', async () => {
    const { transport, close } = createHttpTransport();
    const answer = await transport({ method: 'POST', url: `${base}/x`, headers: { 'x-test': 'yes' }, body: '{}', timeoutMs: 5_000 });
    assert.equal(answer.status, 200);
    assert.equal(answer.text, 'echo POST yes');
    assert.ok(answer.headers['content-length']);
    await close();
  });

  it('keeps a burst of requests to a bounded number in flight, and answers them all', async () => {
    const { transport, close } = createHttpTransport({ connectionsPerOrigin: 64, inFlight: 16 });
    const answers = await Promise.all(Array.from({ length: 120 }, () => transport({ method: 'GET', url: `${base}/slow`, headers: {}, timeoutMs: 10_000 })));
    assert.equal(answers.filter((a) => a.status === 200).length, 120);
    assert.ok(most <= 16 && most >= 8, `at most 16 requests at the server at once (saw ${most})`);
    await close();
  });

  it('hands a 421 back once, unretried, for the Fleet client to change region', async () => {
    const { transport, close } = createHttpTransport();
    const answer = await transport({ method: 'GET', url: `${base}/misdirected`, headers: {}, timeoutMs: 5_000 });
    assert.equal(answer.status, 421);
    assert.equal(hits.get('/misdirected'), 1);
    await close();
  });

  it('refuses an answer past the size bound, and gives up on a server that never answers', async () => {
    const { transport, close } = createHttpTransport();
    await assert.rejects(
      transport({ method: 'GET', url: `${base}/huge`, headers: {}, timeoutMs: 10_000 }),
      (error: unknown) => error instanceof TransportError && error.code === 'RESPONSE_TOO_LARGE',
    );
    await assert.rejects(
      transport({ method: 'GET', url: `${base}/hang`, headers: {}, timeoutMs: 300 }),
      (error: unknown) => error instanceof TransportError && error.code === 'UND_ERR_HEADERS_TIMEOUT' && error.sent,
    );
    await assert.rejects(
      transport({ method: 'GET', url: 'http://127.0.0.1:9/', headers: {}, timeoutMs: 2_000 }),
      (error: unknown) => error instanceof TransportError && !error.sent,
    );
    await close();
  });
});
