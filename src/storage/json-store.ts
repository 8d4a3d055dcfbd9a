import { chmod, rename, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { type Adapter, Low } from 'lowdb';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { ensureDirectory, PUBLIC_FILE_MODE, readFileIfExists, removeStaleTemps, SECRET_FILE_MODE, writeFileDurable } from './durable-file.js';

export interface JsonStoreOptions<T> {
  file: string;
  /** Secret stores (tokens, sessions) are mode 0600; others 0644. */
  secret: boolean;
  defaults: () => T;
  /** Turns parsed JSON into T, throwing with a readable message when the shape is wrong. */
  parse: (raw: unknown) => T;
  log: Logger;
  clock: Pick<Clock, 'now'>;
  /** Indented for people (the default), or compact for large, machine-kept files. */
  compact?: boolean;
}

/**
 * lowdb's adapter contract on top of durable writes. Writes are serialised, so two updates in
 * quick succession land in order and never share a temp file.
 */
class DurableJsonAdapter<T> implements Adapter<T> {
  private queue: Promise<void> = Promise.resolve();
  private readonly options: JsonStoreOptions<T>;

  constructor(options: JsonStoreOptions<T>) {
    this.options = options;
  }

  get mode(): number {
    return this.options.secret ? SECRET_FILE_MODE : PUBLIC_FILE_MODE;
  }

  async read(): Promise<T | null> {
    const { file, log } = this.options;
    // Our own writes land first, so a temp file with our pid is never one of them.
    await this.queue;
    await ensureDirectory(dirname(file));
    const stale = await removeStaleTemps(file);
    if (stale.length > 0) log.debug('removed temp files of an interrupted write', { file, count: stale.length });
    const text = await readFileIfExists(file);
    if (text === undefined) return null;
    await this.tightenMode();
    let data: T;
    try {
      data = this.options.parse(JSON.parse(text) as unknown);
    } catch (error) {
      await this.moveAside(errorMessage(error));
      return null;
    }
    return data;
  }

  write(data: T): Promise<void> {
    // Serialised at once: changes made while the write is under way belong to the next one.
    const content = `${this.options.compact === true ? JSON.stringify(data) : JSON.stringify(data, null, 2)}\n`;
    const next = this.queue.then(() => writeFileDurable(this.options.file, content, this.mode));
    // A failed write must not poison the writes queued behind it; the caller still sees the error.
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A secret file someone made readable to others is narrowed back, and we say so. */
  private async tightenMode(): Promise<void> {
    if (!this.options.secret) return;
    const { mode } = await stat(this.options.file);
    if ((mode & 0o077) !== 0) {
      await chmod(this.options.file, SECRET_FILE_MODE);
      this.options.log.warn('secret file was readable by other users; restricted it to mode 0600', {
        file: this.options.file,
        was: (mode & 0o777).toString(8),
      });
    }
  }

  private async moveAside(reason: string): Promise<void> {
    const { file, clock, log } = this.options;
    const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
    const aside = `${file}.corrupt-${stamp}`;
    await rename(file, aside);
    log.error(`${basename(file)} could not be read (${reason}); kept it as ${basename(aside)} and started from an empty store`, { file, movedTo: aside });
  }
}

/** A `parse` function from a zod schema, whose errors read as one line per problem. */
export function zodParser<T>(schema: z.ZodType<T>): (raw: unknown) => T {
  return (raw) => {
    const result = schema.safeParse(raw);
    if (!result.success) throw new Error(z.prettifyError(result.error).replace(/\n\s*/g, '; '));
    return result.data;
  };
}

/** A small JSON document on disk, read once at open and written durably on every change. */
export class JsonStore<T> {
  private readonly db: Low<T>;

  private constructor(db: Low<T>) {
    this.db = db;
  }

  static async open<T>(options: JsonStoreOptions<T>): Promise<JsonStore<T>> {
    const db = new Low<T>(new DurableJsonAdapter(options), options.defaults());
    await db.read();
    return new JsonStore(db);
  }

  get data(): Readonly<T> {
    return this.db.data;
  }

  /** Changes the data in place and waits until the new version is on disk. */
  async update(change: (draft: T) => void): Promise<void> {
    await this.db.update(change);
  }

  /** Reads the file again, after another process (the token refresh worker) wrote it. */
  async reload(): Promise<void> {
    await this.db.read();
  }

  /** Writes the data as it is now (after changes made in place through a typed view of `data`). */
  async save(): Promise<void> {
    await this.db.write();
  }

  async replace(next: T): Promise<void> {
    this.db.data = next;
    await this.db.write();
  }
}
