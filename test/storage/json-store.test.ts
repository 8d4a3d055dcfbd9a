import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { z } from 'zod';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { JsonStore, zodParser } from '../../src/storage/json-store.js';
import { tempDir } from '../support/tmp.js';

const schema = z.object({ count: z.number(), names: z.array(z.string()) });
type Data = z.infer<typeof schema>;

let dir: string;
let sink: MemorySink;
const cleanups: (() => Promise<void>)[] = [];

function open(name: string, secret = true): Promise<JsonStore<Data>> {
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 8, 30));
  return JsonStore.open<Data>({
    file: join(dir, name),
    secret,
    defaults: () => ({ count: 0, names: [] }),
    parse: zodParser(schema),
    log: new Logger({ level: 'debug', format: 'pretty', sink, clock }),
    clock,
  });
}

/** The id of a process that has exited (so no live process has it, short of a rare reuse). */
function exitedPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.once('exit', () => resolve(child.pid ?? 0));
  });
}

describe('JsonStore', () => {
  beforeEach(async () => {
    const made = await tempDir();
    dir = join(made.dir, 'data');
    cleanups.push(made.cleanup);
    sink = new MemorySink();
  });
  after(() => Promise.all(cleanups.map((c) => c())));

  it('starts from defaults without writing, and creates its folder private', async () => {
    const store = await open('a.json');
    assert.deepEqual(store.data, { count: 0, names: [] });
    assert.deepEqual(await readdir(dir), []);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
  });

  it('persists updates, secret stores as 0600 and others as 0644', async () => {
    const secret = await open('secret.json', true);
    await secret.update((d) => {
      d.count = 2;
      d.names.push('x');
    });
    const plain = await open('plain.json', false);
    await plain.replace({ count: 1, names: [] });
    assert.equal((await stat(join(dir, 'secret.json'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'plain.json'))).mode & 0o777, 0o644);
    const reopened = await open('secret.json');
    assert.deepEqual(reopened.data, { count: 2, names: ['x'] });
  });

  it('lands rapid updates in order, the last one winning on disk', async () => {
    const store = await open('a.json');
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.update((d) => void (d.count = i + 1))));
    const onDisk = JSON.parse(await readFile(join(dir, 'a.json'), 'utf8')) as Data;
    assert.equal(onDisk.count, 20);
    assert.deepEqual((await readdir(dir)).sort(), ['a.json'], 'no temp files remain');
  });

  it('moves a corrupt file aside with a clear log line, keeping its bytes, and starts empty', async () => {
    await (await open('tokens.json')).replace({ count: 5, names: [] });
    await writeFile(join(dir, 'tokens.json'), '{"count": 5, "nam');
    const store = await open('tokens.json');
    assert.deepEqual(store.data, { count: 0, names: [] });
    const aside = (await readdir(dir)).filter((name) => name.startsWith('tokens.json.corrupt-'));
    assert.deepEqual(aside, ['tokens.json.corrupt-2026-11-22T08-30-00-000Z']);
    assert.equal(await readFile(join(dir, aside[0] ?? ''), 'utf8'), '{"count": 5, "nam');
    assert.match(sink.text, /ERROR .*tokens\.json could not be read \(.*\); kept it as tokens\.json\.corrupt-2026-11-22T08-30-00-000Z/);
    await store.update((d) => void (d.count = 1));
    assert.equal(await readFile(join(dir, aside[0] ?? ''), 'utf8'), '{"count": 5, "nam', 'the kept copy is never overwritten');
  });

  it('treats valid JSON of the wrong shape as corrupt too, and says what is wrong', async () => {
    await (await open('a.json')).replace({ count: 1, names: [] });
    await writeFile(join(dir, 'a.json'), '{"count": "three"}');
    await open('a.json');
    assert.match(sink.text, /a\.json could not be read \(.*count.*\)/);
    assert.equal((await readdir(dir)).filter((name) => name.includes('.corrupt-')).length, 1);
  });

  it('narrows a secret file that became readable by others, and warns', async () => {
    await (await open('tokens.json')).replace({ count: 1, names: [] });
    await chmod(join(dir, 'tokens.json'), 0o644);
    const store = await open('tokens.json');
    assert.equal(store.data.count, 1);
    assert.equal((await stat(join(dir, 'tokens.json'))).mode & 0o777, 0o600);
    assert.match(sink.text, /WARN .*readable by other users/);
  });

  it('removes temp files left by a write that was interrupted', async () => {
    await (await open('a.json')).replace({ count: 1, names: [] });
    const dead = await exitedPid();
    await writeFile(join(dir, `.a.json.${dead}.deadbeef.tmp`), '{"count": 9');
    await writeFile(join(dir, `.a.json.${process.pid}.cafe0001.tmp`), '{"count": 8');
    const store = await open('a.json');
    assert.equal(store.data.count, 1);
    assert.deepEqual(await readdir(dir), ['a.json']);
  });

  it("leaves another live process's temp file alone, so that process's write still lands", async () => {
    await (await open('a.json')).replace({ count: 1, names: [] });
    // Another process (the token refresh worker) is between writing its temp file and renaming it.
    const writer = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const temp = join(dir, `.a.json.${String(writer.pid)}.0badc0de.tmp`);
      await writeFile(temp, JSON.stringify({ count: 2, names: ['worker'] }));
      await open('a.json');
      await rename(temp, join(dir, 'a.json'));
      assert.deepEqual((await open('a.json')).data, { count: 2, names: ['worker'] });
    } finally {
      writer.kill('SIGKILL');
    }
  });
});
