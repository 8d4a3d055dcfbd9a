import { errorMessage, UserError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { type Command, parseCommandArgs } from './args.js';
import { type CliIO, EXIT_INTERNAL_ERROR, EXIT_OK, EXIT_USER_ERROR, println } from './io.js';

/**
 * Each command's module is loaded only when that command runs: the daemon never carries the code
 * of `telemetry`, `register` or `simulator` in memory, nor they the daemon's.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  'check-config': async () => (await import('./commands/check-config.js')).checkConfigCommand,
  keys: async () => (await import('./commands/keys.js')).keysCommand,
  login: async () => (await import('./commands/login.js')).loginCommand,
  register: async () => (await import('./commands/register.js')).registerCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  telemetry: async () => (await import('./commands/telemetry.js')).telemetryCommand,
  simulator: async () => (await import('./commands/simulator.js')).simulatorCommand,
};
/** Commands the daemon runs itself; not listed in the help. */
const INTERNAL: Readonly<Record<string, () => Promise<Command>>> = {
  '__refresh-tokens': async () => (await import('./commands/refresh-worker.js')).refreshWorkerCommand,
};

function lookup(name: string): (() => Promise<Command>) | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : Object.hasOwn(INTERNAL, name) ? INTERNAL[name] : undefined;
}

async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `teslahub ${VERSION}: your Teslas, Powerwalls and Wall Connectors over MQTT, from your own server`,
    '',
    'Usage: teslahub [command] [options]      (in a checkout: npm start -- [command] [options])',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    '  -c, --config FILE   config file (default ./config.yaml, or TESLAHUB_CONFIG)',
    '  -h, --help          help for a command',
    '',
    'Exit codes: 0 ok, 1 a problem you can fix (the message says how), 2 an internal error.',
  ].join('\n');
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') {
    println(io.stdout, VERSION);
    return EXIT_OK;
  }
  if (first === 'help' || ((first === '--help' || first === '-h') && rest.length === 0)) {
    println(io.stdout, await usage());
    return EXIT_OK;
  }
  const explicit = first !== undefined && !first.startsWith('-');
  const load = explicit ? lookup(first) : COMMANDS.run;
  if (!load) {
    println(io.stderr, `teslahub: unknown command "${first ?? ''}"`);
    println(io.stderr);
    println(io.stderr, await usage());
    return EXIT_USER_ERROR;
  }
  const named = await load();
  const args = explicit ? rest : argv;
  try {
    const parsed = parseCommandArgs(named, args);
    if (parsed.values.help === true) {
      println(io.stdout, named.usage);
      return EXIT_OK;
    }
    return await named.run(parsed, io);
  } catch (error) {
    if (error instanceof UserError) {
      println(io.stderr, `teslahub ${named.name}: ${error.message}`);
      if (error.fix) println(io.stderr, `fix: ${error.fix}`);
      return EXIT_USER_ERROR;
    }
    println(io.stderr, `teslahub ${named.name}: internal error: ${errorMessage(error)}`);
    if (error instanceof Error && error.stack) println(io.stderr, error.stack);
    return EXIT_INTERNAL_ERROR;
  }
}
