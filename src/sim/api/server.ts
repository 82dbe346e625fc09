import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BodyTooLarge, describeError, readRequestBody, silentLogger, systemClock, type Logger } from "../../core/index.js";
import type { MtOutcome, Route, RouteContext } from "./context.js";
import { ApiError } from "./errors.js";
import { alertRoutes } from "./routes/alerts.js";
import { commandRoutes } from "./routes/commands.js";
import { simRoutes } from "./routes/sims.js";
import { superSimRoutes } from "./routes/supersim.js";
import { usageRoutes } from "./routes/usage.js";
import { sendCallback } from "./callbacks.js";
import { seedGateways, seedStore, seedSuperSim } from "./seed.js";
import { ApiStore, newSid, type AlertRecord, type CommandRecord, type SimRecord } from "./store.js";

import type { ApiSimulatorOptions, Fault, RecordedResponse, SimulatorCredentials } from "./options.js";

export type { ApiSimulatorOptions, Fault, RecordedResponse, SimulatorCredentials } from "./options.js";

/**
 * The Wireless API on loopback, faithful to twilio_wireless_v1.json: paths, field names and
 * types, list envelopes, Twilio error bodies, HTTP Basic (Account SID/token or API key) and KORE
 * OAuth2 bearer tokens, validated form bodies, 202 + `updating` for asynchronous SIM changes
 * with callbacks, Commands with a lifecycle, usage that follows traffic, fault injection.
 */
export class ApiSimulator {
  readonly store: ApiStore;
  readonly credentials: SimulatorCredentials;
  readonly gatewaySim: SimRecord;
  readonly product: "programmable-wireless" | "super-sim";
  /** Requests received, by "METHOD path" (retries show up here). */
  readonly requests: string[] = [];
  /** The fleet's SIMs (`fleet` option), in order. */
  readonly fleet: SimRecord[];
  /**
   * Requests refused for the account's concurrency (429), the most ever in flight at once, and
   * busyMs: requests in flight summed over time (ms), so busyMs / (limit × wall) is how much of
   * the account's concurrency a client kept in use, whatever the machine's speed.
   */
  readonly load = { refused: 0, peak: 0, inFlight: 0, busyMs: 0 };
  #held: Promise<void> | undefined;
  #loadAt = performance.now();
  readonly #server: Server;
  readonly #routes: Route[];
  readonly #ctx: RouteContext;
  readonly #log: Logger;
  readonly #tokens = new Map<string, number>();
  readonly #faults: Array<{ fault: Fault; path?: RegExp; times: number }> = [];
  readonly #recorders = new Set<(r: RecordedResponse) => void>();
  readonly #tokenTtlS: number;
  readonly #o: ApiSimulatorOptions;

  private constructor(o: ApiSimulatorOptions, server: Server) {
    this.#server = server;
    this.#o = o;
    this.#log = (o.log ?? silentLogger).child({ mod: "api-sim" });
    this.#tokenTtlS = o.tokenTtlS ?? 3600;
    const clock = o.clock ?? systemClock;
    this.credentials = {
      accountSid: o.accountSid ?? newSid("AC"),
      authToken: o.authToken ?? randomBytes(16).toString("hex"),
      apiKeySid: newSid("SK"),
      apiKeySecret: randomBytes(16).toString("hex"),
      clientId: `cg-${randomBytes(6).toString("hex")}`,
      clientSecret: randomBytes(24).toString("base64url"),
    };
    this.store = new ApiStore(this.credentials.accountSid);
    const now = new Date(clock.now());
    this.product = o.product ?? "programmable-wireless";
    if (o.product === "super-sim") {
      this.gatewaySim = seedSuperSim(this.store, o.iccid ?? "8988307000012345678", now);
      this.fleet = seedGateways(this.store, o.fleet ?? 0, {
        product: "super-sim",
        like: { fleetSid: this.gatewaySim.fleetSid! },
        now,
      });
      this.#routes = [...superSimRoutes, ...alertRoutes]; // the Monitor API's alerts: Super SIM's attach errors
    } else {
      this.gatewaySim = seedStore(this.store, {
        iccid: o.iccid ?? "8988307000012345678",
        now,
        ...(o.otherSims !== undefined ? { otherSims: o.otherSims } : {}),
      }).sim;
      const planSid = this.gatewaySim.ratePlanSid!;
      this.fleet = seedGateways(this.store, o.fleet ?? 0, { product: "programmable-wireless", like: { planSid }, now });
      this.#routes = [...simRoutes, ...commandRoutes, ...usageRoutes];
    }
    this.#ctx = {
      store: this.store,
      base: "",
      clock,
      asyncMs: o.asyncMs ?? 300,
      product: this.product,
      deliveryRetryMs: o.deliveryRetryMs ?? 30_000,
      queueLimit: o.queueLimit ?? 100,
      callback: (url, method, params) => this.#callback(url, method, params),
    };
  }

  static async start(o: ApiSimulatorOptions = {}): Promise<ApiSimulator> {
    const server = createServer();
    const sim = new ApiSimulator(o, server);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => void sim.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(o.port ?? 0, o.host ?? "127.0.0.1", () => resolve());
    });
    const { address, port } = server.address() as AddressInfo;
    sim.#ctx.base = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
    return sim;
  }

  get baseUrl(): string {
    return this.#ctx.base;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** The next `times` requests (matching `path`) get this fault. */
  inject(fault: Fault, o: { times?: number; path?: RegExp } = {}): void {
    this.#faults.push({ fault, times: o.times ?? 1, ...(o.path ? { path: o.path } : {}) });
  }

  /** Every answer the simulator gives, with its operation (the conformance tests validate them). */
  onResponse(cb: (r: RecordedResponse) => void): () => void {
    this.#recorders.add(cb);
    return () => this.#recorders.delete(cb);
  }

  /** Invalidates every OAuth2 token issued so far (a client must fetch a new one). */
  revokeTokens(): void {
    this.#tokens.clear();
  }

  /** Delivers MT Commands through this function (the modem bridge sets it). */
  setMtDelivery(fn: ((cmd: CommandRecord, sim: SimRecord) => MtOutcome) | undefined): void {
    if (fn) this.#ctx.deliverMt = fn;
    else delete this.#ctx.deliverMt;
  }

  /** Calls a callback URL the way the API does (form parameters). */
  callback(url: string, method: "GET" | "POST", params: Record<string, string>): void {
    this.#callback(url, method, params);
  }

  /** Answers (past the concurrency check) wait until the returned function is called: requests in flight, held there. */
  holdAnswers(): () => void {
    let release!: () => void;
    this.#held = new Promise<void>((r) => (release = r));
    return () => {
      this.#held = undefined;
      release();
    };
  }

  /** The carrier refuses the SIM's attach for rate limiting (Twilio 83703, Super SIM) and logs the alert now. */
  refuseAttach(simSid: string = this.gatewaySim.sid): AlertRecord {
    const text = "Attachment Rejected Due To Rate Limiting: the device attempted to attach too frequently";
    const a: AlertRecord = {
      sid: newSid("NO"),
      errorCode: "83703",
      logLevel: "error",
      text,
      resourceSid: simSid,
      at: this.#ctx.clock.now(),
    };
    this.store.alerts.push(a);
    return a;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /**
   * An MO Command from a SIM (a reply, a report): listed as `from_sim`, `received`, and POSTed
   * (signed) to the SIM's commands_callback_url — the Fleet's sms_commands_url on Super SIM.
   */
  receiveMo(simSid: string, content: { text: string } | { base64: string }): CommandRecord {
    const now = new Date(this.#ctx.clock.now());
    const binary = "base64" in content;
    const cmd: CommandRecord = {
      sid: newSid(this.product === "super-sim" ? "HC" : "DC"),
      simSid,
      command: binary ? content.base64 : content.text,
      commandMode: binary ? "binary" : "text",
      transport: "sms",
      deliveryReceiptRequested: false,
      status: "received",
      direction: "from_sim",
      callbackUrl: null,
      callbackMethod: "POST",
      includeSid: "none",
      dateCreated: now,
      dateUpdated: now,
    };
    this.store.addCommand(cmd);
    this.store.traffic.push({ kind: "command", simSid, at: now.getTime(), direction: "from_sim" });
    const sim = this.store.findSim(simSid);
    const fleet = sim?.fleetSid ? this.store.findFleet(sim.fleetSid) : undefined;
    const hook =
      this.product === "super-sim"
        ? fleet?.smsCommandsUrl
          ? { url: fleet.smsCommandsUrl, method: fleet.smsCommandsMethod }
          : null
        : sim?.commandsCallbackUrl
          ? { url: sim.commandsCallbackUrl, method: sim.commandsCallbackMethod }
          : null;
    if (hook)
      this.#callback(hook.url, hook.method, {
        AccountSid: this.store.accountSid,
        SimSid: simSid,
        ...(sim?.uniqueName ? { SimUniqueName: sim.uniqueName } : {}),
        CommandSid: cmd.sid,
        Command: cmd.command,
        ...(this.product === "super-sim" ? { Payload: cmd.command, PayloadType: "text" } : { CommandMode: cmd.commandMode }),
        Status: "received",
        Direction: "from_sim",
      });
    return cmd;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    this.requests.push(`${req.method} ${url.pathname}`);
    const load = this.load;
    this.#inFlight(+1);
    load.peak = Math.max(load.peak, load.inFlight);
    try {
      if (this.#o.concurrency !== undefined && load.inFlight > this.#o.concurrency) {
        // Over the account's concurrency: refused before anything is done, safe to retry.
        load.refused++;
        const e = new ApiError(429, 20429, "Too many requests", { "retry-after": "1" });
        for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
        return this.#send(res, 429, e.body(), "error", req.method ?? "GET", url.pathname);
      }
      if (await this.#fault(url.pathname, req, res)) return;
      await this.#held;
      const body = await readRequestBody(req, 64 * 1024).catch((err: unknown) => {
        throw err instanceof BodyTooLarge ? new ApiError(413, 20001, "Request body too large") : err;
      });
      if (this.#o.latencyMs) await new Promise((r) => setTimeout(r, this.#o.latencyMs));
      if (req.method === "POST" && url.pathname === "/api-services/v1/auth/token") return this.#token(body, req, res);
      this.#authenticate(req);
      const route = this.#routes.find((r) => r.method === req.method && r.path.test(url.pathname));
      if (route === undefined) throw new ApiError(404, 20404, `The requested resource ${url.pathname} was not found`);
      const params = route.path.exec(url.pathname)!.slice(1).map(decodeURIComponent);
      const out = route.handle(this.#ctx, params, url.searchParams, new URLSearchParams(body));
      if (this.#faultAfter(url.pathname, req, res)) return;
      this.#send(res, out.status, out.body, route.operationId, req.method!, url.pathname);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, 20500, `Internal error: ${describeError(err)}`);
      if (!(err instanceof ApiError)) this.#log.error({ err: describeError(err) }, "simulator route failed");
      for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
      this.#send(res, e.status, e.body(), "error", req.method ?? "GET", url.pathname);
    } finally {
      this.#inFlight(-1);
    }
  }

  #inFlight(delta: 1 | -1): void {
    const now = performance.now();
    this.load.busyMs += this.load.inFlight * (now - this.#loadAt);
    this.#loadAt = now;
    this.load.inFlight += delta;
  }

  #takeFault(path: string, after: boolean): Fault | undefined {
    const i = this.#faults.findIndex(
      (f) => (f.path === undefined || f.path.test(path)) && ("after" in f.fault && f.fault.after === true) === after,
    );
    if (i < 0) return undefined;
    const f = this.#faults[i]!;
    if (--f.times <= 0) this.#faults.splice(i, 1);
    return f.fault;
  }

  async #fault(path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const fault = this.#takeFault(path, false);
    if (fault === undefined) return false;
    if ("delayMs" in fault) {
      await new Promise((r) => setTimeout(r, fault.delayMs));
      return false;
    }
    return this.#answerFault(fault, path, req, res);
  }

  /** A fault that strikes after the request was carried out (the Command exists, the answer is lost). */
  #faultAfter(path: string, req: IncomingMessage, res: ServerResponse): boolean {
    const fault = this.#takeFault(path, true);
    return fault !== undefined && !("delayMs" in fault) && this.#answerFault(fault, path, req, res);
  }

  #answerFault(fault: Exclude<Fault, { delayMs: number }>, path: string, req: IncomingMessage, res: ServerResponse): boolean {
    if ("reset" in fault) {
      req.socket.destroy();
      return true;
    }
    const status = fault.status;
    const e =
      status === 429
        ? new ApiError(
            429,
            20429,
            "Too many requests",
            fault.retryAfterS !== undefined ? { "retry-after": String(fault.retryAfterS) } : {},
          )
        : status === 401
          ? unauthorized()
          : new ApiError(status, 20500, "Internal Server Error");
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    this.#send(res, e.status, e.body(), "error", req.method ?? "GET", path);
    return true;
  }

  #authenticate(req: IncomingMessage): void {
    const h = req.headers.authorization ?? "";
    const c = this.credentials;
    if (h.startsWith("Basic ")) {
      const [user, pass] = Buffer.from(h.slice(6), "base64").toString().split(/:(.*)/s);
      if ((user === c.accountSid && pass === c.authToken) || (user === c.apiKeySid && pass === c.apiKeySecret)) return;
    } else if (h.startsWith("Bearer ")) {
      const until = this.#tokens.get(h.slice(7));
      if (until !== undefined && this.#ctx.clock.now() < until) return;
    }
    throw unauthorized();
  }

  /** KORE's token endpoint: client credentials in, a bearer token out. */
  #token(body: string, req: IncomingMessage, res: ServerResponse): void {
    const f = new URLSearchParams(body);
    let [id, secret] = [f.get("client_id"), f.get("client_secret")];
    const h = req.headers.authorization ?? "";
    if (h.startsWith("Basic ")) [id, secret] = Buffer.from(h.slice(6), "base64").toString().split(/:(.*)/s) as [string, string];
    if (
      f.get("grant_type") !== "client_credentials" ||
      id !== this.credentials.clientId ||
      secret !== this.credentials.clientSecret
    ) {
      this.#send(
        res,
        401,
        { error: "invalid_client", error_description: "client authentication failed" },
        "token",
        "POST",
        "/api-services/v1/auth/token",
      );
      return;
    }
    const token = randomBytes(24).toString("base64url");
    this.#tokens.set(token, this.#ctx.clock.now() + this.#tokenTtlS * 1000);
    this.#send(
      res,
      200,
      { access_token: token, token_type: "Bearer", expires_in: this.#tokenTtlS },
      "token",
      "POST",
      "/api-services/v1/auth/token",
    );
  }

  #send(res: ServerResponse, status: number, body: unknown, operationId: string, method: string, path: string): void {
    for (const r of this.#recorders) r({ operationId, method, path, status, body });
    // Twilio's view of the account's concurrency, this request included (sent where a limit is simulated).
    if (this.#o.concurrency !== undefined) res.setHeader("twilio-concurrent-requests", String(this.load.inFlight));
    if (status === 204) {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  #callback(url: string, method: "GET" | "POST", params: Record<string, string>): void {
    sendCallback(this.credentials.authToken, url, method, params, this.#log);
  }
}

/** Twilio's answer to credentials it does not accept (a rotated auth token, a revoked key). */
function unauthorized(): ApiError {
  return new ApiError(401, 20003, "Authentication Error - invalid username", { "www-authenticate": 'Basic realm="Twilio API"' });
}
