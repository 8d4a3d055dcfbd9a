#!/usr/bin/env node
// Runs teslahub from its TypeScript sources when they are here (a checkout: no build step to
// remember), otherwise from the compiled dist/ (the Docker image and packaged installs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);

let entry;
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = source;
} else if (existsSync(fileURLToPath(compiled))) {
  entry = compiled;
} else {
  process.stderr.write('teslahub: neither src/ nor dist/ found next to bin/ (fix: run "npm ci" in a checkout, or "npm run build")\n');
  process.exit(2);
}

const { main } = await import(entry.href);
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
