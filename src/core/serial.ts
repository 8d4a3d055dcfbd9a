/**
 * One piece of work at a time per key (per car, per car and domain): work for a key starts when
 * the previous work for that key has settled, whether it succeeded or failed; work for other keys
 * runs alongside. A key is forgotten as soon as its queue is empty, so the map stays as small as
 * the number of keys with work in flight.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
