import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import { escapeLabelValue, formatMetrics, formatValue } from '../../src/http/metrics.js';
import { formatSseComment, formatSseEvent, SseChannel } from '../../src/http/sse.js';
import { waitUntil } from '../support/net.js';

describe('SSE framing', () => {
  it('frames an event as event/id/data lines ended by a blank line, with the data as one JSON line', () => {
    assert.equal(formatSseEvent({ event: 'entities', id: '7', data: { a: 'x\ny', n: 1 } }), 'event: entities\nid: 7\ndata: {"a":"x\\ny","n":1}\n\n');
    assert.equal(formatSseEvent({ data: null }), 'data: null\n\n');
    assert.equal(formatSseComment('keep-alive'), ': keep-alive\n\n');
  });

  it('refuses line breaks in fields, which the browser would read as new fields', () => {
    assert.throws(() => formatSseEvent({ event: 'a\ndata: evil', data: 1 }), /line break/);
    assert.throws(() => formatSseEvent({ id: '1\r', data: 1 }), /line break/);
  });
});

describe('SseChannel', () => {
  it('streams initial and broadcast events to each client, beats while clients listen, and drops closed clients', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const channel = new SseChannel(clock, { retryMs: 1500 });
    const server: Server = createServer((_req, res) => channel.open(res, [{ event: 'hello', data: { n: 1 } }]));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const abort = new AbortController();
    try {
      const response = await fetch(url, { signal: abort.signal });
      assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      const pump = (async () => {
        for (;;) {
          const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (chunk.done) return;
          text += new TextDecoder().decode(chunk.value);
        }
      })();
      assert.ok(await waitUntil(() => text.includes('event: hello'), 2000), text);
      assert.ok(text.startsWith('retry: 1500\n\n'), text);
      assert.equal(channel.size, 1);
      channel.broadcast({ event: 'entities', data: { device: 'vehicle.X', values: { charge_limit: { text: '80 %' } } } });
      assert.ok(await waitUntil(() => text.includes('event: entities\ndata: {"device":"vehicle.X"'), 2000), text);
      await clock.advance(25_000);
      assert.ok(await waitUntil(() => text.includes(': keep-alive\n\n'), 2000), 'a heartbeat after 25 s');
      abort.abort();
      await pump;
      assert.ok(await waitUntil(() => channel.size === 0, 2000), 'the closed client is dropped');
      channel.broadcast({ event: 'x', data: 1 });
    } finally {
      channel.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('Prometheus text format', () => {
  it('writes HELP and TYPE before the samples, labels escaped, and ends with a newline', () => {
    const text = formatMetrics([
      { name: 'teslahub_info', help: 'Build\\info\nline', type: 'gauge', samples: [{ labels: { version: '1.0 "beta"\\x' }, value: 1 }] },
      {
        name: 'teslahub_commands_total',
        help: 'Commands.',
        type: 'counter',
        samples: [
          { labels: { result: 'ok' }, value: 3 },
          { labels: { result: 'failed' }, value: 0 },
        ],
      },
      { name: 'teslahub_empty', help: 'No samples yet.', type: 'gauge', samples: [] },
      { name: 'teslahub_nan', help: 'Odd values.', type: 'gauge', samples: [{ value: Number.NaN }, { value: Number.POSITIVE_INFINITY }, { value: 0.125 }] },
    ]);
    assert.equal(
      text,
      [
        '# HELP teslahub_info Build\\\\info\\nline',
        '# TYPE teslahub_info gauge',
        'teslahub_info{version="1.0 \\"beta\\"\\\\x"} 1',
        '# HELP teslahub_commands_total Commands.',
        '# TYPE teslahub_commands_total counter',
        'teslahub_commands_total{result="ok"} 3',
        'teslahub_commands_total{result="failed"} 0',
        '# HELP teslahub_empty No samples yet.',
        '# TYPE teslahub_empty gauge',
        '# HELP teslahub_nan Odd values.',
        '# TYPE teslahub_nan gauge',
        'teslahub_nan NaN',
        'teslahub_nan +Inf',
        'teslahub_nan 0.125',
        '',
      ].join('\n'),
    );
    assert.equal(escapeLabelValue('a\nb'), 'a\\nb');
    assert.equal(formatValue(Number.NEGATIVE_INFINITY), '-Inf');
  });

  it('refuses invalid metric and label names and a family listed twice', () => {
    assert.throws(() => formatMetrics([{ name: '1bad', help: '', type: 'gauge', samples: [] }]), /invalid metric name/);
    assert.throws(
      () => formatMetrics([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'bad-label': 'x' }, value: 1 }] }]),
      /invalid metric label/,
    );
    assert.throws(() => formatMetrics([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { __reserved: 'x' }, value: 1 }] }]), /invalid metric label/);
    const twice = { name: 'dup', help: '', type: 'gauge' as const, samples: [] };
    assert.throws(() => formatMetrics([twice, twice]), /listed twice/);
  });
});

describe('SseChannel backlog', () => {
  it('drops a client that stopped reading once its unsent bytes pass the bound, and keeps the others', () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const channel = new SseChannel(clock, { backlogBytes: 1_000 });
    const client = (reading: boolean) => {
      const state = { pending: 0, destroyed: false, writableEnded: false };
      const res = {
        get writableLength() {
          return state.pending;
        },
        get destroyed() {
          return state.destroyed;
        },
        get writableEnded() {
          return state.writableEnded;
        },
        writeHead: () => res,
        write: (chunk: string) => {
          if (!reading) state.pending += chunk.length;
          return reading;
        },
        end: () => void (state.writableEnded = true),
        destroy: () => void (state.destroyed = true),
        on: () => res,
      };
      return { res: res as unknown as import('node:http').ServerResponse, state };
    };
    const stalled = client(false);
    const reader = client(true);
    channel.open(stalled.res);
    channel.open(reader.res);
    for (let i = 0; i < 20; i += 1)
      channel.broadcast({ event: 'entities', data: { device: 'energy_site.1', values: { solar_power: { text: `${i} W`, payload: String(i) } } } });
    assert.equal(stalled.state.destroyed, true, 'the stalled client is dropped');
    assert.ok(stalled.state.pending <= 1_000, `its backlog stayed bounded (${stalled.state.pending} bytes)`);
    assert.equal(reader.state.destroyed, false);
    assert.equal(channel.size, 1);
    channel.close();
  });
});
