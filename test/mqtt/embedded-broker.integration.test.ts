import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { SystemClock } from '../../src/core/clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { EmbeddedBroker } from '../../src/mqtt/embedded-broker.js';

describe('embedded broker with mqtt.username and mqtt.password', () => {
  let broker: EmbeddedBroker;
  before(async () => {
    broker = new EmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      log: new Logger({ level: 'debug', format: 'pretty', sink: new MemorySink(), clock: new SystemClock() }),
      fallbackToFreePort: false,
      ownClientId: 'teslahub',
      credentials: { username: 'teslahub', password: 'correct horse' },
    });
    await broker.start();
  });
  after(() => broker.stop());

  const attempt = async (options: { username?: string; password?: string }): Promise<string> => {
    try {
      const client = await mqtt.connectAsync(broker.url, { ...options, clientId: `c-${Math.random()}`, reconnectPeriod: 0, connectTimeout: 5000 });
      await client.endAsync(true);
      return 'connected';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };

  it('refuses clients without them or with wrong ones, and takes the right ones', async () => {
    assert.match(await attempt({}), /Bad username or password/i);
    assert.match(await attempt({ username: 'teslahub', password: 'wrong' }), /Bad username or password/i);
    assert.match(await attempt({ username: 'other', password: 'correct horse' }), /Bad username or password/i);
    assert.equal(await attempt({ username: 'teslahub', password: 'correct horse' }), 'connected');
  });
});
