import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from "mqtt";
import {
  CellgateError,
  describeError,
  silentLogger,
  stableStringify,
  systemClock,
  Emitter,
  type Clock,
  type Logger,
} from "../core/index.js";
import { commandSendListener } from "./command-send.js";
import type { OutboxEntry } from "./outbox.js";
import {
  topicMatches,
  redactUrl,
  type CommandSendHandler,
  type Incoming,
  type MqttLinkEvents,
  type MqttLinkOptions,
  type MqttLinkState,
  type PublishExtras,
} from "./link-types.js";
import { TOPIC_RULES, type QueuedTopic, type RetainedTopic, type Stamp, type StatusPayload, type Topics } from "./topics.js";

/**
 * The connection to the broker, one state at a time: before start, trying (attempt n), up, down
 * until the next try at `retryAt` (the link's own back-off, not MQTT.js's), or stopped.
 */
type Session =
  | { kind: "idle"; since: number }
  | { kind: "connecting"; since: number; attempt: number }
  | { kind: "up"; since: number }
  | { kind: "down"; since: number; attempt: number; retryAt: number }
  | { kind: "stopped"; since: number };

/**
 * cellgate's one connection to the local broker. The Will is a retained `status` offline
 * (QoS 1); `online` is published on every connect and every retained snapshot republished.
 * Retained snapshots go out only when they change (stable JSON without ts/clock). QoS 1
 * messages that must not be lost go straight to the broker when it is up and nothing is
 * queued, else through the durable outbox, which is flushed in order on reconnect. MQTT.js's
 * own offline queue is never used: nothing is handed to the client while it is disconnected.
 */
export class MqttLink {
  readonly events = new Emitter<MqttLinkEvents>();
  readonly #o: MqttLinkOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #client: MqttClient;
  readonly #retained = new Map<RetainedTopic, { json: string; payload: Topics[RetainedTopic]; sent: boolean }>();
  #session: Session;
  /** Set when the broker last was up, and counted at each loss: what `state` reports. */
  #connectedSince: number;
  #reconnects = 0;
  #lastError: string | null = null;
  #retry: ReturnType<Clock["setTimeout"]> | undefined;
  #flushing: Promise<void> | undefined;
  #bridge: MqttLinkState["bridge"] = null;
  /** Topic filter → handler: subscribed on every connect (the session is clean). */
  readonly #subscriptions = new Map<string, (m: Incoming) => void | Promise<void>>();
  /** Clock time of the start, put in `since` on the clock of the payload it goes in. */
  readonly #onlineSince: number;

  constructor(o: MqttLinkOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ mod: "mqtt" });
    this.#session = { kind: "idle", since: this.#clock.now() };
    this.#connectedSince = this.#clock.now();
    this.#onlineSince = this.#clock.now();
    const will: StatusPayload = {
      ...o.stamp(),
      state: "offline",
      since: o.stamp().ts,
      version: o.version,
      reason: "connection lost (last will)",
    };
    const options: IClientOptions = {
      clientId: o.clientId,
      clean: true,
      keepalive: o.keepaliveS ?? 30,
      protocolVersion: o.protocolVersion ?? 4,
      // Reconnecting is the link's: MQTT.js would retry on its own fixed period.
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      queueQoSZero: false,
      // mqtt-packet would otherwise build 65,536 two-byte Buffers (one per message id) at the first
      // packet: 6 MB of heap kept for the process's life, to save a 2-byte write per packet.
      writeCache: false,
      will: { topic: this.topic("status"), payload: Buffer.from(JSON.stringify(will)), qos: 1, retain: o.statusRetain !== false },
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.tls ? { ...o.tls } : {}),
      manualConnect: true,
    };
    this.#client = connect(o.url, options);
    this.#client.on("connect", () => void this.#onConnect());
    this.#client.on("close", () => this.#onClose());
    this.#client.on("error", (err) => {
      this.#lastError = describeError(err);
      this.#log.warn({ err: this.#lastError }, "MQTT error");
    });
    this.#client.on("message", (topic, payload, packet) => void this.#dispatch(topic, payload, packet));
    // mosquitto's bridge notification, retained "1" (connected) or "0": the data-path probe reads it.
    this.subscribe(this.topic("bridge"), (m) => {
      const up = m.payload.toString("utf8").trim() === "1";
      if (this.#bridge?.up !== up) this.#bridge = { up, since: this.#clock.now() };
    });
  }

  topic(name: keyof Topics | "commands/send" | "bridge"): string {
    return `${this.#o.prefix}/${name}`;
  }

  get state(): Readonly<MqttLinkState> {
    return {
      connected: this.#up,
      since: this.#connectedSince,
      reconnects: this.#reconnects,
      lastError: this.#lastError,
      bridge: this.#bridge,
    };
  }

  get #up(): boolean {
    return this.#session.kind === "up";
  }

  /** Connects; resolves at the first CONNACK or rejects after `timeoutMs` (it keeps trying in the background). */
  start(timeoutMs = 10_000): Promise<void> {
    if (this.#session.kind === "idle") {
      this.#session = { kind: "connecting", since: this.#clock.now(), attempt: 0 };
      this.#client.connect();
    }
    if (this.#up) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        off();
        reject(
          new CellgateError(
            "CG_ERR_LINK_OPEN",
            `the MQTT broker at ${redactUrl(this.#o.url)} did not answer within ${timeoutMs} ` +
              `ms${this.#lastError ? `: ${this.#lastError}` : ""}`,
          ),
        );
      }, timeoutMs);
      const off = this.events.on("connected", () => {
        this.#clock.clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  /** Handles `{text}` / `{data}` on commands/send; the result goes to commands/sent. */
  onCommandSend(handler: CommandSendHandler): void {
    this.subscribe(
      this.topic("commands/send"),
      commandSendListener({
        handler,
        publishQueued: (p) => this.publishQueued("commands/sent", p),
        ledger: this.#o.sendLedger,
        log: this.#log,
      }),
    );
  }

  /** Delivers messages on `filter` (QoS 1) to `handler`, on this and every later connection. */
  subscribe(filter: string, handler: (m: Incoming) => void | Promise<void>): void {
    this.#subscriptions.set(filter, handler);
    if (this.#up) void this.#subscribe([filter]);
  }

  /** The protocol version in use (MQTT 5 carries response topics and correlation data). */
  get protocolVersion(): 4 | 5 {
    return this.#o.protocolVersion ?? 4;
  }

  /**
   * A message outside the gateway's own topic table (discovery configs, request replies):
   * QoS 1, resolves true on the PUBACK, false when the broker is away or did not acknowledge.
   * Not queued: its owner publishes it again on the next connect if it still matters.
   */
  async publishRaw(topic: string, payload: string, o: { retain: boolean } & PublishExtras): Promise<boolean> {
    if (!this.#up) return false;
    return this.#publishAcked(topic, payload, o.retain, o.correlationData ? { correlationData: o.correlationData } : undefined);
  }

  /** A retained snapshot: published (QoS 1) only when it differs from the last one (by `compare` when given), and on every connect. */
  publishRetained<T extends RetainedTopic>(name: T, payload: Omit<Topics[T], keyof Stamp>, compare?: unknown): boolean {
    // `compare`: what makes it news (significance.ts); else the payload but `at`, the health report's own time.
    const { at: _at, ...rest } = payload as Record<string, unknown>;
    const json = stableStringify(compare ?? rest);
    const prev = this.#retained.get(name);
    if (prev?.json === json) return false;
    const full = { ...payload, ...this.#o.stamp() } as Topics[T];
    this.#retained.set(name, { json, payload: full, sent: false });
    if (this.#up) void this.#sendRetained(name);
    return true;
  }

  /** Republishes `status` (the heartbeat), with a fresh time. */
  heartbeat(): void {
    const s = this.#retained.get("status");
    if (s === undefined) return;
    s.payload = this.#online();
    s.sent = false; // sent once already: without this the heartbeat never left the gateway
    if (this.#up) void this.#sendRetained("status");
  }

  /** `online` with `since` and `ts` on one clock (the quality may have changed since the start). */
  #online(): StatusPayload {
    return { state: "online", since: this.#o.stamp(this.#onlineSince).ts, version: this.#o.version, ...this.#o.stamp() };
  }

  /** QoS 0 telemetry: dropped while the broker is away (it is a sample, not a record). */
  publishTelemetry(payload: Omit<Topics["telemetry"], keyof Stamp>): void {
    if (!this.#up) return;
    this.#client.publish(this.topic("telemetry"), JSON.stringify({ ...payload, ...this.#o.stamp() }), { qos: 0, retain: false });
  }

  /**
   * A QoS 1 message that must not be lost. Resolves once it is safe: the broker's PUBACK, or
   * fsynced in the outbox (broker away, PUBACK late, or a backlog to keep order behind).
   */
  async publishQueued<T extends QueuedTopic>(name: T, payload: Omit<Topics[T], keyof Stamp>): Promise<"acked" | "queued"> {
    const text = JSON.stringify({ ...payload, ...this.#o.stamp() });
    const topic = this.topic(name);
    if (this.#up && this.#o.outbox.size === 0 && this.#flushing === undefined) {
      if (await this.#publishAcked(topic, text, TOPIC_RULES[name].retain)) return "acked";
    }
    const entry = await this.#o.outbox.add({ topic, payload: text, qos: 1, retain: TOPIC_RULES[name].retain });
    this.#log.info({ topic, seq: entry.seq, depth: this.#o.outbox.size }, "queued in the outbox");
    if (this.#up) void this.#flush();
    return "queued";
  }

  /** Publishes `offline`, flushes what it can within `flushMs`, disconnects. */
  async stop(reason = "stopped", flushMs = 5000): Promise<void> {
    const wasUp = this.#up;
    this.#clock.clearTimeout(this.#retry);
    this.#session = { kind: "stopped", since: this.#clock.now() };
    if (wasUp) {
      await Promise.race([this.#flush(), new Promise((r) => setTimeout(r, flushMs))]);
      const offline: StatusPayload = {
        ...this.#o.stamp(),
        state: "offline",
        since: this.#o.stamp().ts,
        version: this.#o.version,
        reason,
      };
      await this.#publishAcked(this.topic("status"), JSON.stringify(offline), this.#o.statusRetain !== false);
    }
    // MQTT.js's graceful end waits, with no bound, until nothing is in flight. What still is after the bounded waits
    // above is not lost by closing the socket: outbox entries go only on a PUBACK, retained topics are sent again on
    // connect, and a raw publish already told its owner it was not acknowledged.
    const inFlight = Object.keys(this.#client.outgoing).length > 0;
    await this.#client.endAsync(inFlight).catch(() => {});
  }

  async #onConnect(): Promise<void> {
    if (this.#session.kind === "stopped") return;
    this.#session = { kind: "up", since: this.#clock.now() };
    this.#connectedSince = this.#session.since;
    this.#lastError = null;
    this.#log.info({ url: redactUrl(this.#o.url) }, "MQTT connected");
    for (const r of this.#retained.values()) r.sent = false;
    if (!this.#retained.has("status"))
      this.#retained.set("status", { json: stableStringify({ state: "online" }), payload: this.#online(), sent: false });
    else this.#retained.get("status")!.payload = this.#online();
    for (const name of this.#retained.keys()) void this.#sendRetained(name);
    if (this.#subscriptions.size > 0) await this.#subscribe([...this.#subscriptions.keys()]);
    this.events.emit("connected");
    void this.#flush();
  }

  #onClose(): void {
    const now = this.#clock.now();
    const s = this.#session;
    if (s.kind === "stopped") {
      this.#log.debug("MQTT disconnected (stopping)");
      return;
    }
    if (s.kind === "up") {
      this.#connectedSince = now;
      this.#reconnects++;
      this.#log.warn({ err: this.#lastError }, "MQTT disconnected");
      this.events.emit("disconnected", this.#lastError ?? "closed");
    }
    if (s.kind === "down" || this.#retry !== undefined) return; // a retry is already set
    const attempt = s.kind === "connecting" ? s.attempt + 1 : 0;
    const delay = this.#backoff(attempt);
    this.#session = { kind: "down", since: now, attempt, retryAt: now + delay };
    this.#retry = this.#clock.setTimeout(() => this.#reconnect(attempt), delay);
  }

  /** Doubling from the minimum to the cap, jittered so that a fleet does not reconnect in step. */
  #backoff(attempt: number): number {
    const min = this.#o.reconnectMinMs ?? 1000;
    const cap = Math.min(this.#o.reconnectMaxMs ?? 30_000, min * 2 ** attempt);
    return Math.round(cap / 2 + Math.random() * (cap / 2));
  }

  #reconnect(attempt: number): void {
    this.#retry = undefined;
    if (this.#session.kind !== "down") return;
    this.#session = { kind: "connecting", since: this.#clock.now(), attempt };
    this.#client.reconnect();
  }

  async #sendRetained(name: RetainedTopic): Promise<void> {
    const r = this.#retained.get(name);
    if (r === undefined || r.sent) return;
    r.sent = await this.#publishAcked(
      this.topic(name),
      JSON.stringify(r.payload),
      name !== "status" || this.#o.statusRetain !== false,
    );
  }

  /** true on PUBACK; false on error or timeout (the caller falls back to the outbox). */
  async #publishAcked(
    topic: string,
    payload: string,
    retain: boolean,
    properties?: { correlationData: Buffer },
  ): Promise<boolean> {
    let timer: ReturnType<Clock["setTimeout"]> | undefined;
    const timeout = new Promise<false>((r) => (timer = this.#clock.setTimeout(() => r(false), this.#o.ackTimeoutMs ?? 10_000)));
    try {
      return await Promise.race([
        this.#client.publishAsync(topic, payload, { qos: 1, retain, ...(properties ? { properties } : {}) }).then(() => true),
        timeout,
      ]);
    } catch (err) {
      this.#log.warn({ topic, err: describeError(err) }, "publish failed");
      return false;
    } finally {
      this.#clock.clearTimeout(timer);
    }
  }

  /** Sends the backlog in order, a window at a time, acknowledging each entry after its PUBACK. */
  #flush(): Promise<void> {
    // .finally on the promise, not inside the async body: with an empty outbox the body
    // completes synchronously, and clearing the field there would run before it is assigned.
    this.#flushing ??= (async () => {
      try {
        this.#o.outbox.expire();
        while (this.#up && this.#o.outbox.size > 0) {
          const batch = this.#o.outbox.pending().slice(0, 50);
          this.#log.debug({ batch: batch.length, depth: this.#o.outbox.size }, "flushing the outbox");
          const results = await Promise.all(
            batch.map(async (e: OutboxEntry) => [e, await this.#publishAcked(e.topic, e.payload, e.retain)] as const),
          );
          for (const [e, ok] of results) if (ok) await this.#o.outbox.ack(e.seq);
          if (results.some(([, ok]) => !ok)) break; // the link is failing: wait for the next connect
        }
      } catch (err) {
        this.#log.error({ err: describeError(err) }, "outbox flush failed");
      }
    })().finally(() => (this.#flushing = undefined));
    return this.#flushing;
  }

  async #subscribe(filters: string[]): Promise<void> {
    await this.#client
      .subscribeAsync(filters, { qos: 1 })
      .catch((err: unknown) => this.#log.warn({ err: describeError(err), filters }, "subscribe failed"));
  }

  async #dispatch(topic: string, payload: Buffer, packet: IPublishPacket): Promise<void> {
    if (this.#session.kind === "stopped") return;
    const props = packet.properties;
    const m: Incoming = {
      topic,
      payload,
      retain: packet.retain,
      ...(props?.responseTopic !== undefined ? { responseTopic: props.responseTopic } : {}),
      ...(props?.correlationData !== undefined ? { correlationData: props.correlationData } : {}),
    };
    for (const [filter, handler] of this.#subscriptions)
      if (topicMatches(filter, topic))
        await Promise.resolve(handler(m)).catch((err: unknown) =>
          this.#log.error({ err: describeError(err), topic }, "message handler failed"),
        );
  }
}
