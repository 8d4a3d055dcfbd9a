export type Listener<T> = (payload: T) => void | Promise<void>;

interface Registration {
  owner: object;
  type: PropertyKey;
  listener: Listener<never>;
}

/**
 * A typed in-process event bus. Every listener has an owner, so a component that stops removes all
 * of its listeners with one call and nothing keeps a stopped component alive. A listener that
 * throws or rejects is reported to `onError` and never disturbs the emitter or other listeners.
 */
export class EventBus<Events extends object> {
  private registrations: Registration[] = [];

  private readonly onError: (error: unknown, type: PropertyKey) => void;

  constructor(onError: (error: unknown, type: PropertyKey) => void) {
    this.onError = onError;
  }

  on<K extends keyof Events>(owner: object, type: K, listener: Listener<Events[K]>): void {
    this.registrations.push({ owner, type, listener: listener as Listener<never> });
  }

  /** Removes every listener registered by `owner`. */
  removeOwner(owner: object): void {
    this.registrations = this.registrations.filter((r) => r.owner !== owner);
  }

  emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    for (const registration of this.registrations) {
      if (registration.type !== type) continue;
      try {
        const result = (registration.listener as Listener<Events[K]>)(payload);
        if (result instanceof Promise) result.catch((error: unknown) => this.onError(error, type));
      } catch (error) {
        this.onError(error, type);
      }
    }
  }

  listenerCount(type?: keyof Events): number {
    return type === undefined ? this.registrations.length : this.registrations.filter((r) => r.type === type).length;
  }
}
