import type { ServerResponse } from 'node:http';
import type { Clock, Timer } from '../core/clock.js';

export interface SseMessage {
  /** The event name the browser listens for; "message" when absent. */
  event?: string;
  /** Any JSON value; sent as one data line (JSON never contains a raw newline). */
  data: unknown;
  id?: string;
}

/**
 * One server-sent event in the text/event-stream framing: optional `event:` and `id:` fields, the
 * data as a single `data:` line, and the blank line that ends the event. Field values must not
 * contain line breaks, or the browser would read them as new fields; they are refused.
 */
export function formatSseEvent(message: SseMessage): string {
  const lines: string[] = [];
  if (message.event !== undefined) lines.push(`event: ${singleLine(message.event, 'event')}`);
  if (message.id !== undefined) lines.push(`id: ${singleLine(message.id, 'id')}`);
  lines.push(`data: ${JSON.stringify(message.data) ?? 'null'}`);
  return `${lines.join('\n')}\n\n`;
}

/** A comment line: ignored by the browser, keeps proxies and idle timers from closing the stream. */
export function formatSseComment(text: string): string {
  return `: ${singleLine(text, 'comment')}\n\n`;
}

function singleLine(value: string, field: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`an SSE ${field} cannot contain a line break`);
  return value;
}

const HEARTBEAT_MS = 25_000;
/**
 * Unsent bytes a client may fall behind by. A browser that stops reading (a sleeping laptop, a
 * stalled proxy) is dropped past this, instead of the daemon buffering the stream for it; it
 * reconnects by itself and starts from a fresh snapshot.
 */
export const SSE_BACKLOG_BYTES = 256 * 1024;

interface Client {
  res: ServerResponse;
}

/**
 * The open /api/events streams. `broadcast` writes one event to every client; a client whose
 * socket is gone is dropped. A heartbeat comment goes out while any client listens.
 */
export class SseChannel {
  private readonly clients = new Set<Client>();
  private heartbeat: Timer | undefined;
  private readonly clock: Clock;
  private readonly retryMs: number;
  private readonly backlogBytes: number;

  constructor(clock: Clock, options: { retryMs?: number; backlogBytes?: number } = {}) {
    this.clock = clock;
    this.retryMs = options.retryMs ?? 3_000;
    this.backlogBytes = options.backlogBytes ?? SSE_BACKLOG_BYTES;
  }

  get size(): number {
    return this.clients.size;
  }

  /** Takes over the response as an event stream; `initial` events go to this client only. */
  open(res: ServerResponse, initial: readonly SseMessage[] = []): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Tells buffering reverse proxies (nginx) to pass events through at once.
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${this.retryMs}\n\n`);
    for (const message of initial) res.write(formatSseEvent(message));
    const client: Client = { res };
    this.clients.add(client);
    res.on('close', () => {
      this.clients.delete(client);
      if (this.clients.size === 0) this.stopHeartbeat();
    });
    this.startHeartbeat();
  }

  broadcast(message: SseMessage): void {
    if (this.clients.size === 0) return;
    this.write(formatSseEvent(message));
  }

  /** Ends every stream (at shutdown). */
  close(): void {
    this.stopHeartbeat();
    for (const client of this.clients) client.res.end();
    this.clients.clear();
  }

  private write(text: string): void {
    for (const client of this.clients) {
      if (client.res.writableEnded || client.res.destroyed) {
        this.clients.delete(client);
        continue;
      }
      if (client.res.writableLength + text.length > this.backlogBytes) {
        this.clients.delete(client);
        client.res.destroy();
        continue;
      }
      client.res.write(text);
    }
    if (this.clients.size === 0) this.stopHeartbeat();
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    const beat = (): void => {
      this.heartbeat = this.clock.setTimeout(() => {
        this.write(formatSseComment('keep-alive'));
        beat();
      }, HEARTBEAT_MS);
    };
    beat();
  }

  private stopHeartbeat(): void {
    this.heartbeat?.cancel();
    this.heartbeat = undefined;
  }
}
