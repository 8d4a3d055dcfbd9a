import { type LoadedConfig, loadConfig, locateConfigFile } from '../config/load.js';
import { dataDirProblem } from '../config/data-dir-check.js';
import { formatIssue } from '../config/issues.js';
import { UserError } from '../core/errors.js';
import { argPath, type CliIO, println } from './io.js';

export interface CliConfig {
  loaded: LoadedConfig;
  /** True when no config file exists and defaults are in use. */
  onDefaults: boolean;
}

/**
 * Finds and loads the config for a command. A missing file is an error when one was named
 * (`--config` or TESLAHUB_CONFIG) or `requireFile` is set; otherwise defaults apply.
 */
export function loadCliConfig(io: CliIO, explicit: string | undefined, options: { requireFile: boolean; dataDir?: string | undefined }): CliConfig {
  const located = locateConfigFile(explicit === undefined ? undefined : argPath(io, explicit), io.env, io.cwd);
  if (!located.exists && (located.explicit || options.requireFile)) {
    throw new UserError(
      `no config file at ${located.file}`,
      located.explicit
        ? 'check the path given with --config or TESLAHUB_CONFIG, or create the file from config.example.yaml'
        : 'create one with "cp config.example.yaml config.yaml", or name it with --config',
    );
  }
  const result = loadConfig({ file: located.exists ? located.file : undefined, cwd: io.cwd, env: io.env });
  if (!result.ok) {
    const where = result.file ?? 'the configuration';
    println(io.stderr, `${where} has ${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}:`);
    for (const issue of result.issues) println(io.stderr, `  ${formatIssue(issue, (file) => relativeTo(io.cwd, file))}`);
    throw new UserError('the configuration is not valid', 'correct the problems listed above, then run "teslahub check-config"');
  }
  const loaded = result.loaded;
  if (options.dataDir) {
    const dataDir = argPath(io, options.dataDir);
    const problem = dataDirProblem(dataDir);
    if (problem) throw new UserError(`--data-dir: ${problem.problem}`, problem.fix.replace('data_dir', '--data-dir'));
    loaded.config = { ...loaded.config, data_dir: dataDir };
  }
  return { loaded, onDefaults: !located.exists };
}

export function relativeTo(cwd: string, file: string): string {
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}
