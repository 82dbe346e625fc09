import { SerialPort } from "serialport";
import { CellgateError } from "../core/index.js";
import { LinkListeners, type Link } from "./link.js";

export interface SerialLinkOptions {
  /** Any path the OS can open, including /dev/serial/by-id/... symlinks. */
  path: string;
  baudRate?: number;
}

/**
 * Opens a serial port with the real native binding. A data listener is attached from the
 * start: the binding only notices a vanished device while the port is being read.
 */
export async function openSerialLink(opts: SerialLinkOptions): Promise<Link> {
  const port = new SerialPort({ path: opts.path, baudRate: opts.baudRate ?? 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => {
    port.open((err) => {
      if (err) {
        reject(new CellgateError("CG_ERR_LINK_OPEN", `cannot open ${opts.path}: ${err.message}`, { path: opts.path }, { cause: err }));
      } else {
        resolve();
      }
    });
  });
  return new SerialLink(port, opts.path);
}

class SerialLink implements Link {
  readonly #l = new LinkListeners();
  #closing = false;

  constructor(
    readonly port: SerialPort,
    readonly description: string,
  ) {
    port.on("data", (chunk: Buffer) => this.#l.emitData(chunk));
    port.on("close", (err?: Error & { disconnected?: boolean }) => {
      this.#l.emitClose(
        this.#closing
          ? undefined
          : new CellgateError("CG_ERR_LINK_LOST", `${description} went away${err ? `: ${err.message}` : ""}`, { path: description }, { cause: err }),
      );
    });
    port.on("error", (err: Error) => {
      // An error on an open port (EIO after an unplug) means the port is unusable.
      this.#l.emitClose(new CellgateError("CG_ERR_LINK_LOST", `${description}: ${err.message}`, { path: description }, { cause: err }));
      if (port.isOpen) port.close(() => {});
    });
  }

  get isOpen(): boolean {
    return !this.#l.closed && this.port.isOpen;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.isOpen) {
      return Promise.reject(new CellgateError("CG_ERR_LINK_WRITE", `${this.description} is not open`, { path: this.description }));
    }
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(bytes), (err) => {
        if (err) {
          reject(new CellgateError("CG_ERR_LINK_WRITE", `write to ${this.description} failed: ${err.message}`, { path: this.description }, { cause: err }));
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
}
