import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { DEVICES_FILE, DeviceRegistry, SAVE_BOUND_MS } from '../../src/model/device-registry.js';
import { waitUntil } from '../support/net.js';
import { tempDir } from '../support/tmp.js';

async function onDisk(dir: string): Promise<{ sites: Record<string, { live?: { solar_power?: number } }> } | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, DEVICES_FILE), 'utf8')) as { sites: Record<string, { live?: { solar_power?: number } }> };
  } catch {
    return undefined;
  }
}

/** A durable write renames a new file over the old one: a new inode per write. */
async function inode(dir: string): Promise<number | undefined> {
  return stat(join(dir, DEVICES_FILE)).then(
    (s) => s.ino,
    () => undefined,
  );
}

describe('the device store on disk', () => {
  let clock: FakeClock;
  let dir: string;
  let cleanup: () => Promise<void>;
  let registry: DeviceRegistry;
  const bus = new EventBus<DaemonEvents>((error) => {
    throw error;
  });

  beforeEach(async () => {
    clock = new FakeClock(Date.UTC(2026, 5, 22, 19, 0));
    ({ dir, cleanup } = await tempDir('teslahub-devices-'));
    registry = await DeviceRegistry.open(dir, bus, new Logger({ level: 'error', format: 'pretty', sink: new MemorySink(), clock }), clock);
  });
  afterEach(async () => {
    await registry.stop();
    await cleanup();
  });

  it('writes many readings as one save per window, and a crash loses at most the window', async () => {
    for (let i = 0; i < 100; i += 1) {
      for (let site = 1; site <= 20; site += 1) registry.updateSite(String(site), (s) => void (s.live = { solar_power: i }));
      await clock.advance(SAVE_BOUND_MS / 200);
    }
    // Half a window in: nothing on disk yet (the window is the loss bound).
    assert.equal(await onDisk(dir), undefined);
    await clock.advance(SAVE_BOUND_MS / 2);
    // No stop: what is on disk now is what a crash would leave.
    assert.ok(await waitUntil(async () => (await onDisk(dir)) !== undefined, 5_000), 'saved once the window closed');
    const saved = await onDisk(dir);
    assert.equal(Object.keys(saved?.sites ?? {}).length, 20);
    assert.ok((saved?.sites['7']?.live?.solar_power ?? -1) >= 99, 'the latest reading of the window');
  });

  it('saves within the bound while readings keep coming, not only when they pause', async () => {
    const inodes = new Set<number>();
    for (let second = 0; second < (3 * SAVE_BOUND_MS) / 1000; second += 1) {
      registry.updateSite('1', (s) => void (s.live = { solar_power: second }));
      await clock.advance(1000);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const now = await inode(dir);
      if (now !== undefined) inodes.add(now);
    }
    assert.ok(inodes.size >= 2 && inodes.size <= 3, `one write per window under a steady stream (${inodes.size} writes in 3 windows)`);
    const saved = await onDisk(dir);
    assert.ok((saved?.sites['1']?.live?.solar_power ?? -1) >= (2 * SAVE_BOUND_MS) / 1000 - 1, 'at most one window behind');
  });

  it('writes what is not saved yet on a clean stop, compactly', async () => {
    registry.updateSite('42', (s) => void (s.live = { solar_power: 4200 }));
    await registry.stop();
    const text = await readFile(join(dir, DEVICES_FILE), 'utf8');
    assert.equal((JSON.parse(text) as { sites: Record<string, { live: { solar_power: number } }> }).sites['42']?.live.solar_power, 4200);
    assert.equal(text.split('\n').length, 2, 'one line: no indentation in a file of megabytes');
  });
});
