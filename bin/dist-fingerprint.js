// What dist/ was compiled from: names, sizes and times of the TypeScript sources, and the build
// settings. bin/teslahub.js runs dist/ only when its stamp matches the sources beside it.
// `node bin/dist-fingerprint.js --write` stamps dist/ (npm run build does it after tsc).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STAMP = '.source-fingerprint';

export function fingerprint(root) {
  const hash = createHash('sha256');
  const walk = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const { size, mtimeMs } = statSync(path);
        hash.update(`${path.slice(root.length)}\0${size}\0${mtimeMs}\n`);
      }
    }
  };
  walk(join(root, 'src'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(`${file}\0${readFileSync(path, 'utf8')}\n`);
  }
  return hash.digest('hex');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === '--write') {
  const root = fileURLToPath(new URL('..', import.meta.url));
  writeFileSync(join(root, 'dist', STAMP), `${fingerprint(root)}\n`);
}
