import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { processAlive } from '../core/process-alive.js';
import { writeFileDurable } from '../storage/durable-file.js';

export const REFRESH_LOCK_FILE = 'tokens.refresh.lock';
/** A lock whose worker never announced itself is abandoned after this long. */
const UNCLAIMED_LOCK_MS = 30_000;

interface LockContent {
  pid: number | null;
  started: number;
}

export function lockPath(dataDir: string): string {
  return join(dataDir, REFRESH_LOCK_FILE);
}

export async function writeLock(dataDir: string, content: LockContent): Promise<void> {
  await writeFileDurable(lockPath(dataDir), JSON.stringify(content), 0o600);
}

export function removeLock(dataDir: string): void {
  try {
    unlinkSync(lockPath(dataDir));
  } catch {
    // already gone
  }
}

function readLock(dataDir: string): LockContent | undefined {
  try {
    return JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockContent;
  } catch {
    return undefined;
  }
}

/**
 * Waits while a refresh worker of an earlier (killed) daemon may still be exchanging or saving
 * tokens: using the old refresh token meanwhile would burn the account's login. Returns whether
 * a worker was waited for.
 */
export async function waitForRefreshWorker(dataDir: string, clock: Clock, timeoutMs = 60_000): Promise<boolean> {
  const deadline = clock.now() + timeoutMs;
  let waited = false;
  for (;;) {
    const lock = readLock(dataDir);
    if (!lock) return waited;
    const claimedAndRunning = lock.pid !== null && processAlive(lock.pid);
    const unclaimedButYoung = lock.pid === null && clock.now() - lock.started < UNCLAIMED_LOCK_MS;
    if (!claimedAndRunning && !unclaimedButYoung) {
      removeLock(dataDir);
      return waited;
    }
    if (clock.now() > deadline) return waited;
    waited = true;
    await clock.sleep(100);
  }
}
