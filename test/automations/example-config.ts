import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The automation examples exactly as config.example.yaml ships them (commented out): uncommented
 * the way the config example test does it, so what is tested is what users copy.
 */
const EXAMPLE = readFileSync(new URL('../../config.example.yaml', import.meta.url), 'utf8');

function uncomment(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(\s*)# (\s*(?:- )?[a-z0-9_]+:(?: .*)?)$/, '$1$2'))
    .join('\n');
}

const TAGS = [
  { tag: '!secret', resolve: (v: string) => v },
  { tag: '!include', resolve: (v: string) => v },
];

/** Every example automation in config.example.yaml, as plain data. */
export function exampleAutomations(): Record<string, unknown>[] {
  const live = parse(uncomment(EXAMPLE), { customTags: TAGS }) as { automations?: Record<string, unknown>[] };
  return live.automations ?? [];
}

/** The automations of the YAML example in the README's Automations section. */
export function readmeAutomations(): Record<string, unknown>[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Automations'), readme.indexOf('\n## ', readme.indexOf('\n## Automations') + 1));
  const block = /```yaml\n(automations:[\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the README has no automations example');
  return (parse(block) as { automations: Record<string, unknown>[] }).automations;
}

/** The example automation with this id, as plain data; ids in entity names replaced as asked. */
export function exampleAutomation(id: string, replace: Record<string, string> = {}): Record<string, unknown> {
  const live = parse(uncomment(EXAMPLE), { customTags: TAGS }) as { automations?: { id: string }[] };
  const found = live.automations?.find((automation) => automation.id === id);
  if (!found) throw new Error(`config.example.yaml has no automation "${id}"`);
  let json = JSON.stringify(found);
  for (const [from, to] of Object.entries(replace)) json = json.split(from).join(to);
  return JSON.parse(json) as Record<string, unknown>;
}

/** YAML (JSON is YAML) for a list of example automations. */
export function exampleYaml(ids: string[], replace: Record<string, string> = {}): string {
  return JSON.stringify(ids.map((id) => exampleAutomation(id, replace)));
}
