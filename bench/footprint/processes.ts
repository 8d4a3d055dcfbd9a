import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain JavaScript module of bin/, without type declarations.
import { fingerprint, STAMP } from '../../bin/dist-fingerprint.js';

/** The bench measures the compiled daemon: dist/ must be built from the sources as they are now. */
export function assertCompiled(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  let stamp = '';
  try {
    stamp = readFileSync(`${root}dist/${STAMP as string}`, 'utf8').trim();
  } catch {
    // no dist/ yet
  }
  if (stamp !== (fingerprint as (root: string) => string)(root)) {
    throw new Error(
      'dist/ is missing or older than src/: run "npm run build" (npm run bench:footprint does it first), and leave src/ alone while the bench runs',
    );
  }
}

export const BIN = fileURLToPath(new URL('../../bin/teslahub.js', import.meta.url));

/** A teslahub child process (compiled: bin/ runs the fresh dist/ that npm run build made). */
export class Child {
  readonly process: ChildProcess;
  output = '';

  constructor(args: string[], options: { cwd: string; nodeOptions?: string[]; env?: Record<string, string> }) {
    assertCompiled();
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('TESLAHUB_') && !key.startsWith('npm_')) env[key] = value;
    this.process = spawn(process.execPath, [...(options.nodeOptions ?? []), BIN, ...args], {
      cwd: options.cwd,
      env: { ...env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      // The tail is enough for errors and the lines waited for; a long run must not grow this.
      this.output = (this.output + chunk.toString()).slice(-200_000);
    };
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
  }

  get pid(): number {
    if (this.process.pid === undefined) throw new Error('the process did not start');
    return this.process.pid;
  }

  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (this.process.exitCode !== null)
        throw new Error(`the process exited (${this.process.exitCode}) before printing ${pattern}:\n${this.output.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how long the stop took. */
  async stop(graceMs = 20_000): Promise<number> {
    const started = Date.now();
    if (this.process.exitCode !== null || this.process.signalCode !== null) return 0;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    return Date.now() - started;
  }
}
