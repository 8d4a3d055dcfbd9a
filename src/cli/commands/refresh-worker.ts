import { type Clock, SystemClock } from '../../core/clock.js';
import { ScaledClock } from '../../core/scaled-clock.js';
import { Logger } from '../../core/logger.js';
import { OAuthClient } from '../../auth/oauth-client.js';
import { tokenRequests } from '../../auth/oauth-fetch.js';
import { removeLock, writeLock } from '../../auth/refresh-lock.js';
import { type RefreshWorkerInput, saveRefreshed } from '../../auth/refresher.js';
import { refreshGrant } from '../../auth/token-exchange.js';
import { openTokenStore } from '../../storage/token-store.js';
import type { Command } from '../args.js';
import { EXIT_INTERNAL_ERROR, EXIT_OK } from '../io.js';

/**
 * Internal: one token refresh in its own process (see DetachedRefresher). Reads its input as
 * JSON on stdin (secrets never go on a command line), saves the new tokens, prints the outcome.
 */
export const refreshWorkerCommand: Command = {
  name: '__refresh-tokens',
  summary: '(internal) refresh the Tesla tokens in a separate process',
  usage: 'Internal command used by the daemon; not meant to be run by hand.',
  options: {},
  async run(args, io) {
    const [dataDir] = args.positionals;
    if (!dataDir) return EXIT_INTERNAL_ERROR;
    // A lock with a pid is judged by whether that process lives, never by its time, so the
    // machine's clock does here before the daemon's time arrives on stdin.
    await writeLock(dataDir, { pid: process.pid, started: new SystemClock().now() });
    try {
      const input = JSON.parse(await readAll(process.stdin)) as RefreshWorkerInput;
      const clock = daemonClock(input);
      const log = new Logger({ level: 'warn', format: 'json', sink: { write: (line) => void io.stderr.write(line) }, clock });
      log.redactor.add(input.refreshToken);
      log.redactor.add(input.settings.clientSecret);
      const store = await openTokenStore(dataDir, log, clock);
      const outcome = await refreshGrant(new OAuthClient(input.settings, clock, { fetch: tokenRequests() }), input.refreshToken, () => clock.now());
      await saveRefreshed(store, outcome);
      // The parent may be gone; its pipe then fails, which changes nothing: the tokens are saved.
      io.stdout.on?.('error', () => undefined);
      io.stdout.write(`${JSON.stringify(outcome)}\n`);
      return outcome.kind === 'failed' ? EXIT_INTERNAL_ERROR : EXIT_OK;
    } finally {
      removeLock(dataDir);
    }
  },
};

/** The daemon's time: the machine's, shifted by the offset the daemon handed over. */
function daemonClock(input: RefreshWorkerInput): Clock {
  const machine = new SystemClock();
  const offset = input.clockOffsetMs;
  if (typeof offset !== 'number' || !Number.isFinite(offset) || offset === 0) return machine;
  return new ScaledClock({ start: machine.now() + offset, speed: 1, base: machine });
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}
