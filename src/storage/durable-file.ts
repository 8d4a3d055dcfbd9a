import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../core/errors.js';
import { processAlive } from '../core/process-alive.js';

export const SECRET_FILE_MODE = 0o600;
export const PUBLIC_FILE_MODE = 0o644;
export const DATA_DIR_MODE = 0o700;

function tempPrefix(file: string): string {
  return `.${basename(file)}.`;
}

/**
 * Replaces `file` so that a crash at any instant leaves either the old or the new complete
 * content: write a temp file beside it, fsync it, rename it over the target, fsync the folder.
 * The temp file is created with the final mode, so the content is never readable more widely.
 */
export async function writeFileDurable(file: string, content: string | Uint8Array, mode: number): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `${tempPrefix(file)}${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    // open() applies the umask; chmod makes the mode exact in both directions.
    await handle.chmod(mode);
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes a rename in `dir` durable: without it a power cut can bring the old name back. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some filesystems (and all of Windows) refuse fsync on a directory; the rename still happened.
    if (!['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'].includes(errnoCode(error) ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/** The file's text, or undefined when it does not exist. */
export async function readFileIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The process that writes a temp file, from its name; undefined for a name of another form.
 * Another process's temp file may be a write in progress (the token refresh worker saving while
 * the daemon starts), so only those of processes that are gone count as left behind.
 */
function writerOf(name: string, prefix: string): number | undefined {
  const pid = Number(name.slice(prefix.length).split('.')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function leftBehind(name: string, prefix: string): boolean {
  if (!name.startsWith(prefix) || !name.endsWith('.tmp')) return false;
  const pid = writerOf(name, prefix);
  // Our own pid: a process before us had it (a container's daemon is often pid 1 every time);
  // this process's own writes to the file are finished before it reads (see json-store.ts).
  return pid === undefined || pid === process.pid || !processAlive(pid);
}

/** Removes temp files an earlier process left behind when it died mid-write, never one being written. */
export async function removeStaleTemps(file: string): Promise<string[]> {
  const dir = dirname(file);
  const prefix = tempPrefix(file);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
  const stale = names.filter((name) => leftBehind(name, prefix));
  await Promise.all(stale.map((name) => unlink(join(dir, name)).catch(() => undefined)));
  return stale;
}

export async function ensureDirectory(dir: string, mode = DATA_DIR_MODE): Promise<void> {
  await mkdir(dir, { recursive: true, mode });
}
