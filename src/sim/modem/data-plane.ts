import { createServer, type Server } from "node:net";
import type { ModemSimulator } from "./simulator.js";

/**
 * The far end of the simulated data path: a TCP listener on loopback that accepts while the
 * simulated module carries data and refuses (the port closed) while it does not, so a probe
 * against `tcp://127.0.0.1:<port>` sees what a probe through a real bearer would. It follows
 * the module's state every `followMs` (the network's view, not a test's expectation).
 */
export class DataPlane {
  readonly #sim: ModemSimulator;
  #server: Server | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #forcedDown = false;
  #accepted = 0;
  #switching: Promise<void> = Promise.resolve();

  private constructor(
    sim: ModemSimulator,
    readonly port: number,
  ) {
    this.#sim = sim;
  }

  static async start(sim: ModemSimulator, o: { port?: number; followMs?: number } = {}): Promise<DataPlane> {
    const port = o.port ?? (await freeLoopbackPort());
    const plane = new DataPlane(sim, port);
    await plane.#follow();
    plane.#timer = setInterval(() => void plane.#follow(), o.followMs ?? 50);
    return plane;
  }

  get listening(): boolean {
    return this.#server !== undefined;
  }

  /** Connections the far end accepted so far: the probes that got through. */
  get accepted(): number {
    return this.#accepted;
  }

  /** Takes the far end down whatever the module says (a server outage), or back. */
  forceDown(down: boolean): Promise<void> {
    this.#forcedDown = down;
    return this.#follow();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#forcedDown = true;
    await this.#follow();
  }

  #follow(): Promise<void> {
    this.#switching = this.#switching.then(async () => {
      const up = !this.#forcedDown && this.#sim.dataFlows();
      if (up && this.#server === undefined) this.#server = await listen(this.port, () => this.#accepted++);
      else if (!up && this.#server !== undefined) {
        const s = this.#server;
        this.#server = undefined;
        await new Promise((r) => s.close(r));
      }
    });
    return this.#switching;
  }
}

async function listen(port: number, accepted: () => void = () => {}): Promise<Server> {
  const s = createServer((socket) => {
    accepted();
    socket.on("error", () => {}); // a probe hangs up with a reset (tcpProbe): ECONNRESET here is its goodbye
    socket.end();
  });
  await new Promise<void>((resolve, reject) => {
    s.once("error", reject);
    s.listen(port, "127.0.0.1", () => resolve());
  });
  return s;
}

async function freeLoopbackPort(): Promise<number> {
  const s = await listen(0);
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}
