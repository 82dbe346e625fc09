import { chmod, mkdir, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { dirname } from "node:path";
import { CellgateError, describeError, isCellgateError, silentLogger, type Logger } from "../core/index.js";
import { socketAnswers } from "./client/index.js";
import { parseControlRequest, type ControlHandlers } from "./control-protocol.js";

/**
 * The control socket: the CLI reaches a running daemon here, since the modem's port cannot be
 * opened twice. One JSON request per line, one JSON answer per line (control-protocol.ts).
 * Every request is validated before a handler sees it, and nothing a client sends or does
 * (garbage, `null`, a line too long, hanging up early) can throw out of a connection.
 */
const MAX_LINE = 64 * 1024;

export class ControlServer {
  readonly #server: Server;
  readonly #path: string;
  readonly #log: Logger;
  readonly #open: Set<Socket>;

  private constructor(path: string, server: Server, log: Logger, open: Set<Socket>) {
    this.#path = path;
    this.#server = server;
    this.#log = log;
    this.#open = open;
  }

  static async listen(path: string, handlers: ControlHandlers, o: { log?: Logger; mode?: number } = {}): Promise<ControlServer> {
    const log = (o.log ?? silentLogger).child({ mod: "control" });
    await mkdir(dirname(path), { recursive: true });
    // A socket left by a crash: nothing listens on it any more, so it can go.
    if (await socketAnswers(path))
      throw new CellgateError("CG_ERR_CONTROL_REQUEST", `another cellgate daemon already listens on ${path}`, { path });
    await rm(path, { force: true });
    const open = new Set<Socket>();
    const server = createServer((sock) => {
      open.add(sock);
      sock.once("close", () => open.delete(sock));
      serve(sock, handlers, log);
    });
    server.on("error", (err) => log.error({ err: describeError(err) }, "control socket error"));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => resolve());
    });
    await chmod(path, o.mode ?? 0o660);
    return new ControlServer(path, server, log, open);
  }

  /** Stops listening and hangs up on clients still connected (close() alone waits for each to leave). */
  async close(): Promise<void> {
    const closed = new Promise<void>((r) => this.#server.close(() => r()));
    for (const sock of this.#open) sock.destroy();
    await closed;
    await rm(this.#path, { force: true });
    this.#log.debug({ path: this.#path }, "control socket closed");
  }
}

function serve(sock: Socket, handlers: ControlHandlers, log: Logger): void {
  let buf = "";
  let closed = false;
  const send = (out: unknown) => {
    if (closed || sock.destroyed) return;
    let line: string;
    try {
      line = JSON.stringify(out);
    } catch (err) {
      line = JSON.stringify(failure(err));
    }
    sock.write(`${line}\n`);
  };
  sock.setEncoding("utf8");
  sock.on("error", () => {});
  sock.on("close", () => (closed = true));
  sock.on("data", (chunk: string) => {
    if (closed) return;
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      answer(line, handlers, log).then(send, (err: unknown) => send(failure(err)));
    }
    if (buf.length > MAX_LINE) {
      send(failure(new CellgateError("CG_ERR_CONTROL_REQUEST", `request longer than ${MAX_LINE} bytes`)));
      closed = true;
      buf = "";
      sock.end();
    }
  });
}

async function answer(line: string, handlers: ControlHandlers, log: Logger): Promise<unknown> {
  try {
    const req = parseControlRequest(line);
    const handler = handlers[req.method] as (p: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(req.params) };
  } catch (err) {
    log.debug({ err: describeError(err) }, "control request failed");
    return failure(err);
  }
}

function failure(err: unknown): { ok: false; error: { code: string; message: string; detail?: unknown } } {
  return {
    ok: false,
    error: {
      code: isCellgateError(err) ? err.code : "CG_ERR_CONTROL_REQUEST",
      message: err instanceof Error ? err.message : String(err),
      ...(isCellgateError(err) && Object.keys(err.detail).length ? { detail: err.detail } : {}),
    },
  };
}
