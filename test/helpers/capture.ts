import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/core/index.js";

/** A debug-level logger whose every line is kept, so a test can grep all of it. */
export function captureLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger({ stream, level: "debug" }), lines };
}

export interface CallbackHit {
  method: string;
  path: string;
  /** The URL as called (for checking X-Twilio-Signature). */
  url: string;
  params: URLSearchParams;
  signature: string | undefined;
}

/** A loopback HTTP server standing in for an operator's callback endpoint. */
export async function callbackServer(): Promise<{
  url: string;
  hits: CallbackHit[];
  next(): Promise<CallbackHit>;
  close(): Promise<void>;
}> {
  const hits: CallbackHit[] = [];
  const waiters: Array<(h: CallbackHit) => void> = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const u = new URL(req.url ?? "/", "http://x");
      const sig = req.headers["x-twilio-signature"];
      const hit = {
        method: req.method ?? "",
        path: u.pathname,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url ?? "/"}`,
        params: req.method === "GET" ? u.searchParams : new URLSearchParams(body),
        signature: typeof sig === "string" ? sig : undefined,
      };
      hits.push(hit);
      res.writeHead(204).end();
      const w = waiters.shift();
      if (w) w(hit);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  let seen = 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hits,
    next: () => (seen < hits.length ? Promise.resolve(hits[seen++]!) : new Promise((r) => waiters.push((h) => (seen++, r(h))))),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
