import { chmod, stat } from 'node:fs/promises';
import { errnoCode, errorMessage, UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { DATA_DIR_MODE, ensureDirectory } from './durable-file.js';

/**
 * Makes the data folder (mode 0700) or, when it already exists open to the group or others
 * (0755 from an earlier mkdir, a copied folder), narrows it to 0700 and says so: the files in it
 * are 0600, but names and temp files should not be on view either.
 */
export async function prepareDataDir(dir: string, log: Logger): Promise<void> {
  try {
    await ensureDirectory(dir);
  } catch (error) {
    throw new UserError(`cannot make the data folder ${dir}: ${errorMessage(error)}`, 'point data_dir at a folder this user may write, or create it');
  }
  const { mode } = await stat(dir);
  if ((mode & 0o077) === 0) return;
  const was = (mode & 0o777).toString(8);
  try {
    await chmod(dir, DATA_DIR_MODE);
    log.warn(`the data folder was open to other users (mode ${was}); restricted it to mode 700`, { dir });
  } catch (error) {
    log.warn(`the data folder is open to other users (mode ${was}) and could not be restricted (${errnoCode(error) ?? errorMessage(error)})`, {
      dir,
      fix: `chmod 700 ${dir}`,
    });
  }
}
