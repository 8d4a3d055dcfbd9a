import assert from 'node:assert/strict';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SystemClock } from '../../src/core/clock.js';
import { UserError } from '../../src/core/errors.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { prepareDataDir } from '../../src/storage/data-dir.js';
import { tempDir } from '../support/tmp.js';

describe('the data folder', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  after(() => cleanup());

  const logger = (): { log: Logger; sink: MemorySink } => {
    const sink = new MemorySink();
    return { sink, log: new Logger({ level: 'debug', format: 'pretty', sink, clock: new SystemClock() }) };
  };
  const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

  it('is made with mode 700, and left alone when it already is', async () => {
    const { log, sink } = logger();
    await prepareDataDir(join(dir, 'new', 'data'), log);
    assert.equal(await modeOf(join(dir, 'new', 'data')), 0o700);
    await prepareDataDir(join(dir, 'new', 'data'), log);
    assert.equal(sink.text, '');
  });

  it('is narrowed to 700 with a warning when it exists open to others', async () => {
    const { log, sink } = logger();
    const open = join(dir, 'open');
    await mkdir(open);
    await chmod(open, 0o755);
    await prepareDataDir(open, log);
    assert.equal(await modeOf(open), 0o700);
    assert.match(sink.text, /WARN .*the data folder was open to other users \(mode 755\); restricted it to mode 700/);
  });

  it('is a user error when it cannot be made', async () => {
    await writeFile(join(dir, 'file'), 'x');
    await assert.rejects(
      prepareDataDir(join(dir, 'file', 'data'), logger().log),
      (error: unknown) => error instanceof UserError && /cannot make the data folder/.test(error.message),
    );
  });
});
