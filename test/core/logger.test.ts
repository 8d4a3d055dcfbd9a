import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';

function setup(format: 'pretty' | 'json' = 'pretty', level: 'debug' | 'info' = 'info') {
  const sink = new MemorySink();
  const log = new Logger({ level, format, sink, clock: new FakeClock(Date.UTC(2026, 10, 22, 12)) });
  return { sink, log };
}

describe('Logger', () => {
  it('filters by level and names the namespace of child loggers', () => {
    const { sink, log } = setup();
    const mqtt = log.child('mqtt');
    mqtt.debug('hidden');
    mqtt.info('connected', { url: 'mqtt://x' });
    log.child('a').child('b').warn('nested');
    assert.equal(sink.lines.length, 2);
    assert.match(sink.lines[0] ?? '', /^2026-11-22T12:00:00\.000Z INFO +\[mqtt\] connected url=mqtt:\/\/x$/);
    assert.match(sink.lines[1] ?? '', /WARN +\[a\.b\] nested/);
  });

  it('writes one parseable JSON object per line in json format', () => {
    const { sink, log } = setup('json');
    log.child('http').error('failed', { status: 500, error: new Error('boom') });
    const record = JSON.parse(sink.lines[0] ?? '') as Record<string, unknown>;
    assert.equal(record.level, 'error');
    assert.equal(record.ns, 'http');
    assert.equal(record.msg, 'failed');
    assert.equal(record.status, 500);
    assert.deepEqual(record.error, { name: 'Error', message: 'boom' });
  });

  it('redacts every registered secret wherever it appears, also encoded, in every child', () => {
    const { sink, log } = setup('pretty', 'debug');
    const child = log.child('auth');
    const secret = 'EU_s3cr3t+token/with=chars';
    log.redactor.add(secret);
    child.info(`got ${secret}`);
    child.debug('request', { url: `https://x/?t=${encodeURIComponent(secret)}`, body: JSON.stringify({ t: secret }) });
    child.error('failed', { error: new Error(`bad token ${secret}`) });
    const text = sink.text;
    assert.ok(!text.includes(secret), text);
    assert.ok(!text.includes(encodeURIComponent(secret)), text);
    // Message, URL, body and error message; at debug level the stack repeats the error message.
    assert.ok((text.match(/\[redacted\]/g)?.length ?? 0) >= 4, text);
    assert.match(text, /bad token \[redacted\]/);
  });

  it('blanks secret-named fields even when the value was never registered', () => {
    const { sink, log } = setup('json');
    log.info('tokens', { access_token: 'aaa.bbb.ccc', nested: { refresh_token: 'r1', client_secret: 'c1', expires_in: 3600 } });
    const record = JSON.parse(sink.lines[0] ?? '') as { access_token: string; nested: Record<string, unknown> };
    assert.equal(record.access_token, '[redacted]');
    assert.deepEqual(record.nested, { refresh_token: '[redacted]', client_secret: '[redacted]', expires_in: 3600 });
  });

  it('ignores secrets too short to redact safely', () => {
    const { sink, log } = setup();
    log.redactor.add('ab');
    log.info('about abc');
    assert.match(sink.text, /about abc/);
  });
});
