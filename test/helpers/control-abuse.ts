import { createConnection } from "node:net";
import { join } from "node:path";
import type { E2eWorld } from "./e2e.js";

/** Lines to the control socket that a client must not be able to crash it with. */
export const ABUSE = [
  "null",
  "[]",
  '"status"',
  "{ torn",
  '{"method":"__proto__"}',
  '{"method":"send","params":{"text":""}}',
  "x".repeat(70_000),
];

/** One line to the daemon's control socket; resolves with the answer line (or nothing when it hung up). */
export function control(w: E2eWorld, line: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = createConnection(join(w.dir, "control.sock"));
    let buf = "";
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(buf);
    };
    const timer = setTimeout(done, 30_000);
    sock.setEncoding("utf8");
    sock.on("error", done);
    sock.once("connect", () => sock.write(`${line}\n`));
    sock.on("data", (c: string) => {
      buf += c;
      if (buf.includes("\n")) done();
    });
    sock.on("close", done);
  });
}
