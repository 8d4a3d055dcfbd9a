import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Why the daemon could not keep its files in `dir` (an absolute path), or undefined when it can:
 * checked with the rest of the config, so `check-config` says it and `run` never gets as far as
 * an EEXIST from mkdir.
 */
export function dataDirProblem(dir: string): { problem: string; fix: string } | undefined {
  let path = dir;
  for (;;) {
    const kind = kindOf(path);
    if (kind === 'folder') return undefined;
    if (kind === 'other') {
      return path === dir
        ? { problem: `${dir} is a file, not a folder`, fix: 'point data_dir at a folder, or remove the file' }
        : { problem: `${path} is a file, so the folder ${dir} cannot be made`, fix: 'point data_dir at a folder, or move that file away' };
    }
    const parent = dirname(path);
    if (parent === path) return undefined;
    path = parent;
  }
}

function kindOf(path: string): 'folder' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'other';
  } catch {
    // Not there (yet), or under a file (ENOTDIR): the walk goes on to the parent.
    return 'missing';
  }
}
