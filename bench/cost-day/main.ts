import { parseArgs } from 'node:util';
import { renderReport, runBench, traceLines } from './bench.js';
import { DAYS } from './days.js';
import { POLICY_NAMES, type PolicyName } from './policy.js';

/**
 * npm run bench:cost [-- --days commuter,weekend --hours 24 --jobs 4 --trace --streaming builtin|mqtt]
 * Progress goes to stderr; the report to stdout, its last line one JSON object.
 */
const { values } = parseArgs({
  options: {
    days: { type: 'string' },
    hours: { type: 'string', default: '24' },
    jobs: { type: 'string', default: '4' },
    /** Also print every request about the car, per run, to stderr. */
    trace: { type: 'boolean', default: false },
    /** How the streaming days reach the daemon: teslahub's built-in receiver, or Tesla's server and MQTT. */
    streaming: { type: 'string', default: 'builtin' },
    /** Only these policies (teslahub, baseline, streaming). */
    policies: { type: 'string' },
  },
});

const wanted = values.days?.split(',').map((d) => d.trim());
const plans = wanted ? DAYS.filter((d) => wanted.includes(d.key)) : DAYS;
const unknown = wanted?.filter((key) => !DAYS.some((d) => d.key === key)) ?? [];
const hours = Number(values.hours);
const jobs = Number(values.jobs);
const streamingPath = values.streaming;
const policies = values.policies?.split(',').map((p) => p.trim());
const badPolicy = policies?.some((p) => !(POLICY_NAMES as readonly string[]).includes(p)) === true;
if (
  badPolicy ||
  (streamingPath !== 'builtin' && streamingPath !== 'mqtt') ||
  unknown.length > 0 ||
  plans.length === 0 ||
  !(hours > 0 && hours <= 24) ||
  !(Number.isInteger(jobs) && jobs >= 1)
) {
  process.stderr.write(
    `usage: npm run bench:cost -- [--days ${DAYS.map((d) => d.key).join(',')}] [--hours 1-24] [--jobs N] [--streaming builtin|mqtt] [--policies ${POLICY_NAMES.join(',')}]\n`,
  );
  process.exit(2);
}

const started = performance.now();
const results = await runBench({
  plans,
  hours,
  jobs,
  streamingPath,
  ...(policies ? { policies: policies as PolicyName[] } : {}),
  progress: (line) => process.stderr.write(`${line}\n`),
});
process.stderr.write(`${results.length} runs in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
if (values.trace) process.stderr.write(`${traceLines(plans, results).join('\n')}\n`);
process.stdout.write(`${renderReport(plans, results, streamingPath).join('\n')}\n`);
