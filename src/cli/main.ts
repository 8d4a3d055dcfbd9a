import { errorMessage, UserError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { type Command, parseCommandArgs } from './args.js';
import { checkConfigCommand } from './commands/check-config.js';
import { keysCommand } from './commands/keys.js';
import { loginCommand } from './commands/login.js';
import { registerCommand } from './commands/register.js';
import { statusCommand } from './commands/status.js';
import { refreshWorkerCommand } from './commands/refresh-worker.js';
import { runCommand } from './commands/run.js';
import { simulatorCommand } from './commands/simulator.js';
import { telemetryCommand } from './commands/telemetry.js';
import { type CliIO, EXIT_INTERNAL_ERROR, EXIT_OK, EXIT_USER_ERROR, println } from './io.js';

const COMMANDS: Command[] = [runCommand, checkConfigCommand, keysCommand, loginCommand, registerCommand, statusCommand, telemetryCommand, simulatorCommand];
/** Commands the daemon runs itself; not listed in the help. */
const INTERNAL: Command[] = [refreshWorkerCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `teslahub ${VERSION}: your Teslas, Powerwalls and Wall Connectors over MQTT, from your own server`,
    '',
    'Usage: teslahub [command] [options]      (in a checkout: npm start -- [command] [options])',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
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
    println(io.stdout, usage());
    return EXIT_OK;
  }
  const named = first !== undefined && !first.startsWith('-') ? [...COMMANDS, ...INTERNAL].find((c) => c.name === first) : runCommand;
  if (!named) {
    println(io.stderr, `teslahub: unknown command "${first ?? ''}"`);
    println(io.stderr);
    println(io.stderr, usage());
    return EXIT_USER_ERROR;
  }
  const args = named === runCommand && first !== 'run' ? argv : rest;
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
