import type { Link } from "../../at/index.js";
import { openPty, type PtyBackend, type PtyPeer } from "./pty.js";
import type { ModemSimulator } from "./simulator.js";

/**
 * The simulator behind a pseudo-terminal at `link`: what the engine opens with the real
 * serialport binding. unplug() makes the device vanish (the host sees EIO, the symlink goes);
 * replug() brings it back under the same name, the modem freshly booted.
 */
export class PtyModem {
  #peer: PtyPeer;

  private constructor(
    readonly sim: ModemSimulator,
    peer: PtyPeer,
  ) {
    this.#peer = peer;
    this.#wire();
  }

  static async serve(sim: ModemSimulator, link: string, backend?: PtyBackend): Promise<PtyModem> {
    return new PtyModem(sim, await openPty(link, backend));
  }

  get backend(): PtyBackend {
    return this.#peer.backend;
  }

  get link(): string {
    return this.#peer.link;
  }

  async unplug(): Promise<void> {
    await this.#peer.close();
  }

  async replug(opts: { reboot?: boolean } = {}): Promise<void> {
    this.#peer = await openPty(this.#peer.link, this.#peer.backend);
    this.#wire();
    if (opts.reboot ?? true) this.sim.reboot();
  }

  async close(): Promise<void> {
    this.sim.connect(() => {});
    await this.#peer.close();
  }

  #wire(): void {
    const p = this.#peer;
    this.sim.connect((bytes) => p.write(bytes));
    p.onData((bytes) => this.sim.input(bytes));
  }
}

/** The simulator on the far end of an in-process link (createLinkPair), no pty involved. */
export function serveInProcess(sim: ModemSimulator, link: Pick<Link, "write" | "onData">): void {
  sim.connect((bytes) => void link.write(bytes).catch(() => {}));
  link.onData((bytes) => sim.input(bytes));
}
