import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readRequestBody, systemClock, type Clock } from "../core/index.js";
import type { CallbackEvent } from "./feed.js";
import { validTwilioSignature } from "./twilio-signature.js";

export interface CallbackServerOptions {
  host: string;
  port: number;
  /** The URL Twilio calls, up to the path it calls here (behind a proxy: the public one). Default: where it listens. */
  publicUrl?: string;
  /** The account's Auth Token: every callback must carry its X-Twilio-Signature. */
  authToken: string;
  /** `Authorization` values that may read the feed (the API's credentials, as Basic). */
  feedAuthorizations: readonly string[];
  clock?: Clock;
  /** Each callback accepted (one JSON line on stdout, in the CLI). */
  onEvent?: (e: CallbackEvent) => void;
  /** Each callback refused, with why (a line on stderr, in the CLI). */
  onRefused?: (why: string, path: string, from: string) => void;
}

type Unsequenced = CallbackEvent extends infer E ? (E extends CallbackEvent ? Omit<E, "seq"> : never) : never;

/** Events kept for the runs that read the feed (the newest, in order). */
const KEPT = 100_000;
const BODY_MAX = 64 * 1024;

/**
 * `cellgate remote serve`: the endpoint Twilio calls back — a SIM's MO Commands (the gateways'
 * replies, via commands_callback_url or a Fleet's sms_commands_url), an MT Command's end (its
 * CallbackUrl), a SIM's change (its CallbackUrl). A callback without a valid X-Twilio-Signature
 * is refused (403) and nothing of it is kept. What is accepted goes to a feed that runs of
 * `cellgate remote … --via URL` read, with the API's credentials.
 */
export class CallbackServer {
  readonly #o: CallbackServerOptions;
  readonly #server: Server;
  readonly #clock: Clock;
  readonly #events: CallbackEvent[] = [];
  #seq = 0;
  #waiters: Array<() => void> = [];
  #publicUrl = "";

  private constructor(o: CallbackServerOptions, server: Server) {
    this.#o = o;
    this.#server = server;
    this.#clock = o.clock ?? systemClock;
  }

  static async start(o: CallbackServerOptions): Promise<CallbackServer> {
    const server = createServer();
    const s = new CallbackServer(o, server);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => void s.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(o.port, o.host, () => resolve());
    });
    const { address, port } = server.address() as AddressInfo;
    const local = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
    s.#publicUrl = (o.publicUrl ?? local).replace(/\/+$/, "");
    return s;
  }

  get publicUrl(): string {
    return this.#publicUrl;
  }

  get localUrl(): string {
    const { address, port } = this.#server.address() as AddressInfo;
    return `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  }

  async close(): Promise<void> {
    for (const w of this.#waiters.splice(0)) w();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    try {
      if (path === "/feed" || path === "/feed/info") return await this.#feed(req, res, path);
      const body = await readRequestBody(req, BODY_MAX);
      const from = req.socket.remoteAddress ?? "?";
      const url = `${this.#publicUrl}${req.url ?? "/"}`;
      const params = req.method === "POST" ? [...new URLSearchParams(body)] : [];
      const sig = req.headers["x-twilio-signature"];
      const header = typeof sig === "string" ? sig : undefined;
      if (!validTwilioSignature(this.#o.authToken, header, url, params)) {
        this.#o.onRefused?.(header === undefined ? "no X-Twilio-Signature" : "a forged X-Twilio-Signature", path, from);
        res.writeHead(403, { "content-type": "text/plain" }).end("signature required\n");
        return;
      }
      const all = req.method === "POST" ? params : [...new URL(req.url ?? "/", "http://x").searchParams];
      const event = this.#classify(Object.fromEntries(all));
      if (event) this.#push(event);
      res.writeHead(204).end();
    } catch (err) {
      res.writeHead(400, { "content-type": "text/plain" }).end(`${(err as Error).message}\n`);
    }
  }

  /** What a callback says, from its parameters (Twilio does not name its callbacks; their fields tell them apart). */
  #classify(p: Record<string, string>): Unsequenced | undefined {
    const at = this.#clock.now();
    const text = p.Command ?? p.Payload;
    if (p.Direction === "from_sim" && p.SimSid && text !== undefined)
      return { kind: "reply", sim: p.SimSid, text, commandSid: p.CommandSid ?? p.SmsCommandSid ?? null, at };
    const status = p.CommandStatus ?? (p.CommandSid ? p.Status : undefined);
    if (p.CommandSid && status) return { kind: "command-status", sim: p.SimSid ?? null, commandSid: p.CommandSid, status, at };
    if (p.SimSid) return { kind: "sim-status", sim: p.SimSid, status: p.Status ?? null, at };
    return undefined;
  }

  #push(e: Unsequenced): void {
    const event = { ...e, seq: ++this.#seq };
    this.#events.push(event);
    if (this.#events.length > KEPT) this.#events.splice(0, this.#events.length - KEPT);
    this.#o.onEvent?.(event);
    for (const w of this.#waiters.splice(0)) w();
  }

  async #feed(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!this.#authorized(req.headers.authorization)) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="cellgate remote serve"' }).end();
      return;
    }
    if (path === "/feed/info") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ publicUrl: this.#publicUrl }));
      return;
    }
    const q = new URL(req.url ?? "/", "http://x").searchParams;
    const after = Number(q.get("after") ?? 0) || 0;
    const waitMs = Math.min(30_000, Math.max(0, Number(q.get("waitMs") ?? 0) || 0));
    if (this.#seq <= after && waitMs > 0)
      await new Promise<void>((resolve) => {
        const t = this.#clock.setTimeout(resolve, waitMs);
        this.#waiters.push(() => (this.#clock.clearTimeout(t), resolve()));
        req.once("close", resolve);
      });
    const events = this.#events.filter((e) => e.seq > after).slice(0, 5000);
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ events, last: events.at(-1)?.seq ?? Math.max(after, 0) }));
  }

  #authorized(header: string | undefined): boolean {
    if (header === undefined) return false;
    const got = Buffer.from(header);
    return this.#o.feedAuthorizations.some((a) => {
      const want = Buffer.from(a);
      return want.length === got.length && timingSafeEqual(want, got);
    });
  }
}
