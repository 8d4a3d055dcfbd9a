import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { errorMessage } from '../../core/errors.js';
import { type Scenario, type ScenarioInput, scenarioSchema } from './schema.js';

/** A scenario that cannot be used; `issues` lists each problem as `path: message`. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  readonly issues: string[];

  constructor(source: string, issues: string[]) {
    super(`${source} is not a valid scenario:\n  ${issues.join('\n  ')}`);
    this.issues = issues;
  }
}

/** Zod issues as `vehicles[0].vin: must be …` lines. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    let path = '';
    for (const segment of issue.path) {
      path += typeof segment === 'number' ? `[${segment}]` : path === '' ? String(segment) : `.${String(segment)}`;
    }
    return `${path === '' ? '(scenario)' : path}: ${issue.message}`;
  });
}

/** Validates a scenario object (already parsed ones pass unchanged: every default and transform is idempotent). */
export function parseScenario(value: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(value ?? {});
  if (!result.success) throw new ScenarioError(source, describeIssues(result.error));
  return result.data;
}

/** Builds a scenario in code, with the defaults filled in; throws ScenarioError when it is invalid. */
export function defineScenario(input: ScenarioInput): Scenario {
  return parseScenario(input);
}

/** Reads a scenario from a YAML or JSON file (JSON is YAML, so one parser reads both). */
export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(file, [`cannot read the file: ${errorMessage(error)}`]);
  }
  let value: unknown;
  try {
    value = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ScenarioError(file, [`not valid YAML or JSON: ${errorMessage(error)}`]);
  }
  return parseScenario(value, file);
}
