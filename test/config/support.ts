import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, beforeEach } from 'node:test';
import { formatIssue } from '../../src/config/issues.js';
import type { LoadResult } from '../../src/config/load.js';
import { tempDir } from '../support/tmp.js';

/** Writes `name` (folders made as needed) under `dir`; returns its path. */
export async function writeConfigFile(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text);
  return file;
}

/** A rejected load's problems as printed, with file names relative to `dir`. */
export function printedIssues(result: LoadResult, dir: string): string[] {
  assert.equal(result.ok, false, 'expected the config to be rejected');
  return result.ok ? [] : result.issues.map((issue) => formatIssue(issue, (f) => f.replace(`${dir}/`, '')));
}

/** A new temporary folder for each test of the calling suite (handed to `use`); all removed after it. */
export function freshFolderEachTest(use: (dir: string) => void): void {
  let cleanups: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    const made = await tempDir();
    use(made.dir);
    cleanups.push(made.cleanup);
  });
  after(async () => {
    await Promise.all(cleanups.map((c) => c()));
    cleanups = [];
  });
}
