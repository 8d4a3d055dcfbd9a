import { existsSync } from 'node:fs';
import type { Command } from '../args.js';
import { stringOption } from '../args.js';
import { loadCliConfig, relativeTo } from '../config-context.js';
import { EXIT_OK, println } from '../io.js';

export const checkConfigCommand: Command = {
  name: 'check-config',
  summary: 'validate the configuration and print every problem',
  usage: `Usage: teslahub check-config [--config FILE]

Reads the config (default ./config.yaml, or TESLAHUB_CONFIG), its !include files, secrets.yaml
and TESLAHUB_* environment overrides, and prints every problem at once as
"path: problem (fix: ...)" with the file and line. Exit code 0 when valid, 1 otherwise.`,
  options: {},
  async run(args, io) {
    const { loaded } = loadCliConfig(io, stringOption(args, 'config'), { requireFile: true });
    const { config } = loaded;
    const rel = (file: string): string => relativeTo(io.cwd, file);
    println(io.stdout, `${rel(loaded.file ?? 'config')} is valid.`);
    println(io.stdout, `  data_dir:    ${rel(config.data_dir)}`);
    println(io.stdout, `  mqtt:        ${config.mqtt.url ?? `embedded broker on ${config.mqtt.embedded.host}:${config.mqtt.embedded.port}`}`);
    println(io.stdout, `  web:         http://${config.http.host}:${config.http.port}/`);
    println(io.stdout, `  vehicles:    ${config.vehicles.length === 0 ? 'every vehicle on the account' : config.vehicles.length}`);
    println(io.stdout, `  energy:      ${config.energy_sites.length === 0 ? 'every energy site on the account' : config.energy_sites.length}`);
    println(io.stdout, `  automations: ${config.automations.length} (${config.automations.filter((a) => a.enabled).length} enabled)`);
    const notes: string[] = [];
    if (!config.tesla.client_id || !config.tesla.client_secret) {
      notes.push('tesla.client_id and tesla.client_secret are not set: the daemon cannot reach Tesla until they are (create an app on developer.tesla.com)');
    }
    if (!config.tesla.domain) {
      notes.push('tesla.domain is not set: it is needed to register the app and to pair the key with your cars');
    }
    if (!existsSync(config.tesla.private_key)) {
      notes.push(`no key pair at ${rel(config.tesla.private_key)}: run "teslahub keys generate"`);
    }
    for (const note of notes) println(io.stdout, `note: ${note}`);
    return EXIT_OK;
  },
};
