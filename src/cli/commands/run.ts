import { join } from 'node:path';
import { SystemClock } from '../../core/clock.js';
import { errorMessage, UserError } from '../../core/errors.js';
import { Logger, streamSink } from '../../core/logger.js';
import { createDaemon } from '../../main.js';
import { VERSION } from '../../version.js';
import type { Command } from '../args.js';
import { stringOption } from '../args.js';
import { loadCliConfig } from '../config-context.js';
import { type CliIO, EXIT_INTERNAL_ERROR, EXIT_OK, println } from '../io.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'start the daemon (the default command)',
  usage: `Usage: teslahub [run] [--config FILE] [--data-dir DIR]

Starts the daemon. Without a config file (./config.yaml, --config or TESLAHUB_CONFIG) it runs
in demo mode. SIGINT or SIGTERM stop it in order: MQTT says offline, files are flushed, and the
process exits 0 (or 2 when a component did not stop cleanly).`,
  options: { 'data-dir': { type: 'string' } },
  async run(args, io) {
    const { loaded, onDefaults } = loadCliConfig(io, stringOption(args, 'config'), {
      requireFile: false,
      dataDir: stringOption(args, 'data-dir'),
    });
    const demo = onDefaults;
    if (demo) {
      printDemoNotice(io);
      // Demo data never mixes with a real installation's tokens.
      if (!stringOption(args, 'data-dir') && io.env.TESLAHUB_DATA_DIR === undefined) {
        loaded.config = { ...loaded.config, data_dir: join(io.cwd, 'data', 'demo') };
      }
    }
    const clock = new SystemClock();
    const log = new Logger({
      level: loaded.config.log_level,
      format: loaded.config.log_format,
      sink: streamSink(io.stdout),
      clock,
    });
    log.info(`teslahub ${VERSION} starting${demo ? ' in demo mode' : ''}`, {
      config: loaded.file ?? '(none)',
      dataDir: loaded.config.data_dir,
    });
    // Demo mode's code (the simulator, its PKI, the demo key) is loaded only in demo mode (docs/architecture.md#rules).
    const demoCode = demo ? await import('../demo.js') : undefined;
    const simulator = demoCode ? await demoCode.startDemoSimulator(loaded, clock, log) : undefined;
    const daemon = await createDaemon({ loaded, demo, clock, log, selfCommand: selfCommand() });
    if (demoCode && simulator) daemon.lifecycle.prepend(simulator.service).add(demoCode.demoLogin(daemon, log, simulator.email));
    return runUntilSignalled(daemon.lifecycle, log);
  },
};

/** How this very program was started, so the daemon can run helper processes of itself. */
export function selfCommand(): string[] | undefined {
  const script = process.argv[1];
  return script ? [process.execPath, script] : undefined;
}

function printDemoNotice(io: CliIO): void {
  const text = [
    `No config.yaml in ${io.cwd}, so teslahub runs in DEMO MODE: against its built-in Tesla`,
    'simulator (a pretend car, Powerwall and Wall Connector) with an embedded MQTT broker, so you',
    'can watch it work without a Tesla account; the broker address and the web page are logged',
    'below. To use your own Tesla instead: "cp config.example.yaml config.yaml", fill in',
    'tesla.client_id, tesla.client_secret and tesla.domain from your app on developer.tesla.com,',
    'run "npm start -- keys generate" and host the public key on that domain, then',
    '"npm start -- register" and "npm start", and click "Connect Tesla account" on the web page.',
    'README.md walks through every step.',
  ];
  println(io.stdout, text.join('\n'));
  println(io.stdout);
}

interface Stoppable {
  start(): Promise<void>;
  stop(): Promise<{ clean: boolean }>;
}

/** Starts, then waits for SIGINT/SIGTERM and stops in order. A second signal exits at once. */
export async function runUntilSignalled(lifecycle: Stoppable, log: Logger): Promise<number> {
  let stopRequested: ((signal: string) => void) | undefined;
  const stopSignal = new Promise<string>((resolve) => {
    stopRequested = resolve;
  });
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      log.warn(`second ${signal}: exiting without waiting`);
      process.exit(130);
    }
    signalled = true;
    stopRequested?.(signal);
  };
  const onRejection = (reason: unknown): void => {
    // One failed promise in one component must not take the house down; it is a bug to report.
    log.error('unhandled promise rejection (please report this)', { error: reason instanceof Error ? reason : errorMessage(reason) });
  };
  const onException = (error: Error): void => {
    log.error('uncaught exception; shutting down (please report this)', { error });
    process.exitCode = EXIT_INTERNAL_ERROR;
    stopRequested?.('uncaughtException');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  try {
    try {
      await lifecycle.start();
    } catch (error) {
      if (error instanceof UserError) throw error;
      log.error('start failed', { error: error instanceof Error ? error : errorMessage(error) });
      return EXIT_INTERNAL_ERROR;
    }
    log.info('running; stop with Ctrl+C or SIGTERM');
    const reason = await stopSignal;
    log.info(`stopping (${reason})`);
    const report = await lifecycle.stop();
    log.info(report.clean ? 'stopped' : 'stopped, but not every component stopped cleanly');
    if (reason === 'uncaughtException') return EXIT_INTERNAL_ERROR;
    return report.clean ? EXIT_OK : EXIT_INTERNAL_ERROR;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  }
}
