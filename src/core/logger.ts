import type { Clock } from './clock.js';
import { Redactor } from './redact.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'pretty' | 'json';
export type LogFields = Record<string, unknown>;

export interface LogSink {
  write(line: string): void;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  sink: LogSink;
  clock: Pick<Clock, 'now'>;
  redactor?: Redactor;
  namespace?: string;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Namespaced, levelled logging to one sink, as pretty text or JSON lines. Every line passes the
 * shared redactor last, so a secret registered anywhere in the process never reaches the output,
 * whichever field or message it hides in.
 */
export class Logger {
  readonly redactor: Redactor;
  private readonly state: { level: LogLevel };
  private readonly options: LoggerOptions;

  constructor(options: LoggerOptions, shared?: { level: LogLevel }) {
    this.options = options;
    this.redactor = options.redactor ?? new Redactor();
    this.state = shared ?? { level: options.level };
  }

  /** A logger for a sub-component; it shares level, sink and redactor with its parent. */
  child(namespace: string): Logger {
    const ns = this.options.namespace ? `${this.options.namespace}.${namespace}` : namespace;
    return new Logger({ ...this.options, redactor: this.redactor, namespace: ns }, this.state);
  }

  setLevel(level: LogLevel): void {
    this.state.level = level;
  }

  get level(): LogLevel {
    return this.state.level;
  }

  isEnabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.state.level];
  }

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  log(level: LogLevel, message: string, fields?: LogFields): void {
    if (!this.isEnabled(level)) return;
    const time = new Date(this.options.clock.now()).toISOString();
    const scrubbed = fields ? (this.redactor.scrubFields(fields) as LogFields) : undefined;
    const line =
      this.options.format === 'json'
        ? jsonLine(time, level, this.options.namespace, message, scrubbed, this.isEnabled('debug'))
        : prettyLine(time, level, this.options.namespace, message, scrubbed, this.isEnabled('debug'));
    this.options.sink.write(`${this.redactor.redact(line)}\n`);
  }
}

function serialiseError(error: Error, withStack: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  if (withStack && error.stack) out.stack = error.stack;
  if (error.cause !== undefined) out.cause = describeValue(error.cause, withStack);
  return out;
}

function describeValue(value: unknown, withStack: boolean): unknown {
  return value instanceof Error ? serialiseError(value, withStack) : value;
}

function jsonLine(time: string, level: LogLevel, namespace: string | undefined, message: string, fields: LogFields | undefined, withStack: boolean): string {
  const record: Record<string, unknown> = { time, level, ns: namespace ?? 'teslahub', msg: message };
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (!(key in record)) record[key] = describeValue(value, withStack);
  }
  return safeStringify(record);
}

function prettyLine(time: string, level: LogLevel, namespace: string | undefined, message: string, fields: LogFields | undefined, withStack: boolean): string {
  const parts = [time, level.toUpperCase().padEnd(5), `[${namespace ?? 'teslahub'}]`, message];
  let stack = '';
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue;
    if (value instanceof Error) {
      parts.push(`${key}=${JSON.stringify(value.message)}`);
      if (withStack && value.stack) stack = `\n${value.stack}`;
    } else {
      parts.push(`${key}=${typeof value === 'string' ? quoteIfNeeded(value) : safeStringify(value)}`);
    }
  }
  return parts.join(' ') + stack;
}

function quoteIfNeeded(text: string): string {
  return /^[\w.:/@+-]+$/.test(text) ? text : JSON.stringify(text);
}

function safeStringify(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === 'bigint') return inner.toString();
    if (typeof inner === 'object' && inner !== null) {
      if (seen.has(inner)) return '[circular]';
      seen.add(inner);
    }
    return inner;
  });
}

/** A sink that keeps lines in memory, for tests and for the secret-leak scan. */
export class MemorySink implements LogSink {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line.endsWith('\n') ? line.slice(0, -1) : line);
  }

  get text(): string {
    return this.lines.join('\n');
  }
}

export function streamSink(stream: NodeJS.WritableStream): LogSink {
  return { write: (line) => void stream.write(line) };
}
