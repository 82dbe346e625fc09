import { stat } from "node:fs/promises";
import { SerialPort } from "serialport";
import { CellgateError } from "../core/index.js";
import { LinkListeners, type Link } from "./link.js";

export interface SerialLinkOptions {
  /** Any path the OS can open, including /dev/serial/by-id/... symlinks. */
  path: string;
  baudRate?: number;
  /**
   * How often to check that the device node is still there and still the same device (0: never).
   * The binding does not always report a vanished device (serialport#2351; seen here under load
   * on a pty whose master closed), so the link looks for itself.
   */
  watchMs?: number;
}

/**
 * Opens a serial port with the real native binding. A data listener is attached from the
 * start: the binding only notices a vanished device while the port is being read.
 */
export async function openSerialLink(opts: SerialLinkOptions): Promise<Link> {
  const port = new SerialPort({ path: opts.path, baudRate: opts.baudRate ?? 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => {
    port.open((err) => {
      if (err) reject(openError(opts.path, err));
      else {
        resolve();
      }
    });
  });
  const link = new SerialLink(port, opts.path);
  await link.watch(opts.watchMs ?? 1000);
  return link;
}

/**
 * The binding takes an exclusive lock on the port: "Cannot lock port" means another process
 * holds it — on a gateway, the running daemon, which owns the modem while it runs.
 */
function openError(path: string, err: Error): CellgateError<"CG_ERR_LINK_OPEN"> {
  if (/cannot lock port|resource temporarily unavailable/i.test(err.message)) {
    return new CellgateError(
      "CG_ERR_LINK_OPEN",
      `${path} is held by another process: if cellgate is running, it holds its modem port — go through it ` +
        "(leave out --port, or pass --socket) or stop it first (systemctl stop cellgate)",
      { path, busy: true },
      { cause: err },
    );
  }
  return new CellgateError("CG_ERR_LINK_OPEN", `cannot open ${path}: ${err.message}`, { path }, { cause: err });
}

/** dev:ino:rdev of what a path resolves to, undefined when it is gone. */
async function nodeId(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return `${s.dev}:${s.ino}:${s.rdev}`;
  } catch {
    return undefined;
  }
}

class SerialLink implements Link {
  readonly #l = new LinkListeners();
  #closing = false;
  #watch: NodeJS.Timeout | undefined;

  constructor(
    readonly port: SerialPort,
    readonly description: string,
  ) {
    port.on("data", (chunk: Buffer) => this.#l.emitData(chunk));
    port.on("close", (err?: Error & { disconnected?: boolean }) => {
      this.#lose(this.#closing ? undefined : `went away${err ? `: ${err.message}` : ""}`, err);
    });
    port.on("error", (err: Error) => {
      // An error on an open port (EIO after an unplug) means the port is unusable.
      this.#lose(err.message, err);
    });
  }

  /** Starts checking that the device node still names the device we opened. */
  async watch(everyMs: number): Promise<void> {
    if (everyMs <= 0) return;
    const opened = await nodeId(this.description);
    this.#watch = setInterval(() => {
      void nodeId(this.description).then((now) => {
        if (now !== opened) this.#lose(now === undefined ? "device node gone" : "device node replaced");
      });
    }, everyMs);
    this.#watch.unref();
  }

  get isOpen(): boolean {
    return !this.#l.closed && this.port.isOpen;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.isOpen) {
      return Promise.reject(
        new CellgateError("CG_ERR_LINK_WRITE", `${this.description} is not open`, { path: this.description }),
      );
    }
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(bytes), (err) => {
        if (err) {
          reject(
            new CellgateError(
              "CG_ERR_LINK_WRITE",
              `write to ${this.description} failed: ${err.message}`,
              { path: this.description },
              { cause: err },
            ),
          );
        } else {
          resolve();
        }
      });
    });
  }

  onData(cb: (bytes: Uint8Array) => void): () => void {
    return this.#l.addData(cb);
  }

  onClose(cb: (err?: Error) => void): () => void {
    return this.#l.addClose(cb);
  }

  close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#watch);
    if (!this.port.isOpen) {
      this.#l.emitClose();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.port.close(() => {
        this.#l.emitClose();
        resolve();
      });
    });
  }

  /** The port is gone (`reason`), or closed by us (undefined): tell the listeners once, free the fd. */
  #lose(reason: string | undefined, cause?: Error): void {
    clearInterval(this.#watch);
    const err =
      reason === undefined
        ? undefined
        : new CellgateError("CG_ERR_LINK_LOST", `${this.description}: ${reason}`, { path: this.description }, { cause });
    this.#l.emitClose(err);
    if (this.port.isOpen && !this.#closing) this.port.close(() => {});
  }
}
