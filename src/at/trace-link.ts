import diagnostics from "node:diagnostics_channel";
import type { Link } from "./link.js";

/** Raw bytes in both directions, for `--trace` and debugging (the hex keeps control bytes visible). */
export const ioChannel = diagnostics.channel("cellgate:at:io");

export interface IoTrace {
  link: string;
  dir: "tx" | "rx";
  hex: string;
}

/** Decorates a Link so every byte written and read is published on `cellgate:at:io`. */
export function traceLink(link: Link): Link {
  const publish = (dir: "tx" | "rx", bytes: Uint8Array) => {
    if (ioChannel.hasSubscribers) {
      const shown = dir === "tx" ? maskSecrets(Buffer.from(bytes)) : Buffer.from(bytes);
      ioChannel.publish({ link: link.description, dir, hex: shown.toString("hex") } satisfies IoTrace);
    }
  };
  return {
    description: link.description,
    get isOpen() {
      return link.isOpen;
    },
    write: (bytes) => {
      publish("tx", bytes);
      return link.write(bytes);
    },
    onData: (cb) =>
      link.onData((bytes) => {
        publish("rx", bytes);
        cb(bytes);
      }),
    onClose: (cb) => link.onClose(cb),
    close: () => link.close(),
  };
}

// Commands that carry a PIN, PUK or password: their arguments never reach a trace.
const SECRET_ARGS = /(\+CPIN=|\+CPWD=|\+CLCK=|\+CPIN2=)[^\r\n]*/gi;

export function maskSecrets(bytes: Buffer): Buffer {
  const text = bytes.toString("latin1");
  const masked = text.replace(SECRET_ARGS, "$1<redacted>");
  return masked === text ? bytes : Buffer.from(masked, "latin1");
}
