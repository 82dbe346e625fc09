import { CellgateError } from "../core/index.js";
import { LinkListeners, type Link } from "./link.js";

/**
 * Two in-process Links joined back to back: what one writes the other receives, on a later
 * microtask, one write per data event (so tests control exactly how bytes are split).
 */
export function createLinkPair(names: [string, string] = ["memory:a", "memory:b"]): [Link, Link] {
  const a = new MemoryLink(names[0]);
  const b = new MemoryLink(names[1]);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class MemoryLink implements Link {
  peer: MemoryLink | undefined;
  readonly #l = new LinkListeners();

  constructor(readonly description: string) {}

  get isOpen(): boolean {
    return !this.#l.closed;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.#l.closed) {
      return Promise.reject(new CellgateError("CG_ERR_LINK_WRITE", `${this.description} is closed`));
    }
    const copy = Uint8Array.from(bytes);
    const peer = this.peer;
    queueMicrotask(() => peer?.receive(copy));
    return Promise.resolve();
  }

  receive(bytes: Uint8Array): void {
    if (!this.#l.closed) this.#l.emitData(bytes);
  }

  onData(cb: (bytes: Uint8Array) => void): () => void {
    return this.#l.addData(cb);
  }

  onClose(cb: (err?: Error) => void): () => void {
    return this.#l.addClose(cb);
  }

  /** Closing one side is seen by the other as a lost link (like a hangup). */
  close(): Promise<void> {
    this.#l.emitClose();
    const peer = this.peer;
    if (peer?.isOpen) {
      queueMicrotask(() => peer.hangup());
    }
    return Promise.resolve();
  }

  hangup(): void {
    this.#l.emitClose(new CellgateError("CG_ERR_LINK_LOST", `${this.description}: peer closed`));
  }
}
