import { resolve } from 'node:path';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIO {
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Where defaults such as ./config.yaml are looked up. */
  cwd: string;
  /**
   * Where the user typed the command, for paths given as arguments. Differs from `cwd` under
   * `npm start`, which always runs in the package root (npm passes the original folder as INIT_CWD).
   */
  argsCwd?: string;
}

/** Resolves a path the user typed on the command line. */
export function argPath(io: CliIO, path: string): string {
  return resolve(io.argsCwd ?? io.cwd, path);
}

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_INTERNAL_ERROR = 2;

export function println(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}
