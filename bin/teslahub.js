#!/usr/bin/env node
// Runs teslahub in the lightest way this folder allows:
// - compiled dist/ when it is there and was built from the sources next to it (the Docker image,
//   packaged installs, and a checkout after its first `npm start`): plain Node, nothing else;
// - under `npm start` in a checkout whose dist/ is missing or older than src/: compiles once
//   (a minute at most, even on a Raspberry Pi), then runs dist/;
// - otherwise from the TypeScript sources through tsx, in this same process (tests, development).
// TESLAHUB_FROM_SOURCE=1 always runs the sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fingerprint, STAMP } from './dist-fingerprint.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceDir = join(root, 'src');
const compiledDir = join(root, 'dist');

function compiledIsFresh(print) {
  try {
    return readFileSync(join(compiledDir, STAMP), 'utf8').trim() === print;
  } catch {
    return false;
  }
}

/** tsc into a fresh folder, then swapped in whole: a half-built dist/ is never run. */
function compile(print) {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return false;
  }
  process.stderr.write('teslahub: compiling to dist/ once, so later starts are quicker and smaller (up to a minute)…\n');
  const staging = join(root, `.dist-${process.pid}.tmp`);
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', staging], { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    process.stderr.write('teslahub: compiling failed; running from the sources instead\n');
    return false;
  }
  writeFileSync(join(staging, STAMP), `${print}\n`);
  const old = join(root, `.dist-old-${process.pid}.tmp`);
  if (existsSync(compiledDir)) renameSync(compiledDir, old);
  renameSync(staging, compiledDir);
  rmSync(old, { recursive: true, force: true });
  return true;
}

function chooseEntry() {
  const compiled = join(compiledDir, 'cli', 'main.js');
  if (!existsSync(join(sourceDir, 'cli', 'main.ts'))) {
    if (existsSync(compiled)) return { file: compiled, tsx: false };
    process.stderr.write('teslahub: neither src/ nor dist/ found next to bin/ (fix: run "npm ci" in a checkout, or "npm run build")\n');
    process.exit(2);
  }
  if (process.env.TESLAHUB_FROM_SOURCE !== '1') {
    const print = fingerprint(root);
    if (compiledIsFresh(print)) return { file: compiled, tsx: false };
    if (process.env.npm_lifecycle_event === 'start' && compile(print)) return { file: compiled, tsx: false };
  }
  return { file: join(sourceDir, 'cli', 'main.ts'), tsx: true };
}

const entry = chooseEntry();
if (entry.tsx) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import(pathToFileURL(entry.file).href);
const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  // Under npm start, paths typed by the user are relative to where they typed them.
  argsCwd: process.env.npm_lifecycle_event === 'start' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd(),
});
// Exit explicitly: a stopped daemon must not linger on a stray handle.
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
