/**
 * A small typed event emitter. Each listener runs inside its own try/catch, so one failing
 * subscriber neither breaks the emitter's caller nor starves the listeners after it
 * (zigbee2mqtt's eventBus rule). Delivery is synchronous and in registration order.
 */
export type EventMap = Record<string, unknown[]>;

type Listener = (...args: unknown[]) => void;

export class Emitter<E extends EventMap> {
  // Stored untyped; on() and emit() keep the event → arguments pairing typed for callers.
  #listeners = new Map<keyof E, Set<Listener>>();
  readonly #onListenerError: (event: string, err: unknown) => void;

  constructor(onListenerError: (event: string, err: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  on<K extends keyof E>(event: K, fn: (...args: E[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const l = fn as unknown as Listener;
    set.add(l);
    return () => set.delete(l);
  }

  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const fn of [...set]) {
      try {
        fn(...args);
      } catch (err) {
        this.#onListenerError(String(event), err);
      }
    }
  }

  listenerCount(event: keyof E): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}
