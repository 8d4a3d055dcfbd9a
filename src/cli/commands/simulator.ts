import { type Clock, SystemClock } from '../../core/clock.js';
import { UserError } from '../../core/errors.js';
import { Logger, streamSink } from '../../core/logger.js';
import { ScaledClock } from '../../core/scaled-clock.js';
import type { Scenario, Simulator } from '../../simulator/index.js';
import type { Command } from '../args.js';
import { stringOption } from '../args.js';
import { argPath, type CliIO, println } from '../io.js';
import { runUntilSignalled } from './run.js';

export const simulatorCommand: Command = {
  name: 'simulator',
  summary: "run the Fleet API simulator (Tesla's API, login and a pretend car and home)",
  usage: `Usage: teslahub simulator [--port P] [--host H] [--scenario FILE] [--speed N] [--start TIME] [--verbose]

Runs a stand-in for Tesla's Fleet API and its login server on this machine: a car that drives,
charges and falls asleep, a home with a Powerwall, solar and a Wall Connector, each region under
its own path (/na, /eu, /cn), and test controls under /__sim/. Point a teslahub at it with the
lines it prints. Every request is logged and priced the way Tesla bills it (GET /__sim/billing).

--port P         port to listen on (default 0: any free port; the URL is printed)
--host H         address to listen on (default 127.0.0.1)
--scenario FILE  a YAML or JSON scenario (default: the built-in demo)
--speed N        simulated seconds per real second (e.g. 60: an hour per minute)
--start TIME     simulated start time, ISO 8601 (e.g. 2026-06-21T07:00:00-07:00); default now
--verbose        log every request

SIGINT or SIGTERM stop it (exit 0).`,
  options: {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    scenario: { type: 'string', short: 's' },
    speed: { type: 'string' },
    start: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run(args, io) {
    // Loaded only for this command: the daemon's other commands never carry the simulator.
    const { Simulator } = await import('../../simulator/index.js');
    const port = parsePort(stringOption(args, 'port'));
    const clock = makeClock(stringOption(args, 'speed'), stringOption(args, 'start'));
    const scenarioFile = stringOption(args, 'scenario');
    const scenario = scenarioFile === undefined ? undefined : await readScenario(argPath(io, scenarioFile));
    const log = new Logger({ level: args.values.verbose === true ? 'debug' : 'info', format: 'pretty', sink: streamSink(io.stdout), clock });
    const simulator = new Simulator({
      clock,
      port,
      host: stringOption(args, 'host') ?? '127.0.0.1',
      log: log.child('simulator'),
      // A long-running demo keeps the bill exact but not every request.
      requestLogLimit: 50_000,
      ...(scenario ? { scenario } : {}),
    });
    return runUntilSignalled(
      {
        start: async () => {
          await simulator.start();
          await printWelcome(io, simulator, scenario?.name ?? 'demo', clock);
        },
        stop: async () => {
          await simulator.stop();
          return { clean: true };
        },
      },
      log,
    );
  },
};

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UserError(`--port ${text} is not a port number`, 'use a whole number from 0 to 65535 (0 picks a free port)');
  }
  return port;
}

function makeClock(speedText: string | undefined, startText: string | undefined): Clock {
  if (speedText === undefined && startText === undefined) return new SystemClock();
  const speed = speedText === undefined ? 1 : Number(speedText);
  if (!Number.isFinite(speed) || speed <= 0)
    throw new UserError(`--speed ${speedText ?? ''} is not a positive number`, 'use e.g. --speed 60 for one simulated hour per real minute');
  const start = startText === undefined ? new SystemClock().now() : Date.parse(startText);
  if (Number.isNaN(start)) throw new UserError(`--start ${startText ?? ''} is not a time`, 'write it as ISO 8601, e.g. 2026-06-21T07:00:00-07:00');
  return new ScaledClock({ start, speed });
}

async function readScenario(file: string): Promise<Scenario> {
  const { loadScenario, ScenarioError } = await import('../../simulator/index.js');
  try {
    return await loadScenario(file);
  } catch (error) {
    if (error instanceof ScenarioError) throw new UserError(error.message, 'correct the scenario file (each line above names the field)');
    throw error;
  }
}

async function printWelcome(io: CliIO, simulator: Simulator, name: string, clock: Clock): Promise<void> {
  const { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, REGIONS } = await import('../../simulator/index.js');
  const speed = clock instanceof ScaledClock ? `, ${clock.speed}× real time` : '';
  const lines = [
    `Fleet API simulator running (scenario: ${name}${speed}; simulated time ${new Date(clock.now()).toISOString()})`,
    `  auth:      ${simulator.authBaseUrl}   (OAuth under /oauth2/v3/, issuer ${simulator.issuer})`,
    ...REGIONS.map((region) => `  fleet ${region}:  ${simulator.regionBaseUrl(region)}`),
    `  controls:  ${simulator.url}/__sim/world   (also /__sim/requests, /__sim/billing, /__sim/faults)`,
    `  client:    id ${DEMO_CLIENT_ID}, secret ${DEMO_CLIENT_SECRET} (logins are approved at once)`,
    '',
    'To point teslahub at it, put this in config.yaml:',
    '  tesla:',
    `    client_id: ${DEMO_CLIENT_ID}`,
    `    client_secret: ${DEMO_CLIENT_SECRET}`,
    `    api_base_url: ${simulator.regionBaseUrl('na')}`,
    `    auth_base_url: ${simulator.authBaseUrl}`,
    '',
  ];
  for (const line of lines) println(io.stdout, line);
}
