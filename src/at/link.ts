/**
 * The transport under the AT engine: bytes in, bytes out, and a close notification.
 * The serial port, the in-process pair and the tracing decorator all implement it
 * (warthog618/modem's io.ReadWriter + trace decorator).
 */
export interface Link {
  /** Human-readable name for logs (`/dev/ttyUSB2`, `memory:a`). */
  readonly description: string;
  write(bytes: Uint8Array): Promise<void>;
  /** Subscribe to received bytes; returns the unsubscribe function. */
  onData(cb: (bytes: Uint8Array) => void): () => void;
  /** Called once when the link closes; `err` is set when it was lost rather than closed by us. */
  onClose(cb: (err?: Error) => void): () => void;
  readonly isOpen: boolean;
  close(): Promise<void>;
}

/** Shared plumbing for Link implementations: listener sets and a once-only close. */
export class LinkListeners {
  readonly data = new Set<(bytes: Uint8Array) => void>();
  readonly close = new Set<(err?: Error) => void>();
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  emitData(bytes: Uint8Array): void {
    for (const cb of [...this.data]) cb(bytes);
  }

  emitClose(err?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const cb of [...this.close]) cb(err);
    this.data.clear();
    this.close.clear();
  }

  addData(cb: (bytes: Uint8Array) => void): () => void {
    this.data.add(cb);
    return () => this.data.delete(cb);
  }

  addClose(cb: (err?: Error) => void): () => void {
    if (this.#closed) {
      queueMicrotask(() => cb());
      return () => {};
    }
    this.close.add(cb);
    return () => this.close.delete(cb);
  }
}
