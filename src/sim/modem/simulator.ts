import { Emitter, systemClock, type Clock } from "../../core/index.js";
import { standardErrorText } from "./at-handlers/errors.js";
import { dataFlows } from "./at-handlers/network.js";
import type { CommandTable, Ctx, Result, SentSms } from "./at-handlers/types.js";
import { dispatch } from "./dispatch.js";
import { MtDelivery, type Delivered } from "./mt-delivery.js";
import { buildMtPdus, type MtSms } from "./network-sms.js";
import type { Personality } from "./personality.js";
import { personality as lookup } from "./personalities/index.js";
import { SmsStore, type Memory, type StoredMessage } from "./sms-store.js";
import { defaultNetwork, defaultSettings, restarted, type ModemWorld, type Network, type SimCard } from "./state.js";

/**
 * Behaviours seen in the field that no manual describes, to switch on for any personality: the
 * hostile modem an engine must still cope with.
 */
export interface Quirks {
  /** Echo stays on whatever ATE0 says. */
  stickyEcho?: boolean;
  /** +CME/+CMS errors in words whatever +CMEE says. */
  alwaysVerbose?: boolean;
  /** Output in chunks of 1–3 bytes. */
  dribble?: boolean;
  /** These URCs arrive between the information lines and the final result of every reply that has lines. */
  urcsInReplies?: readonly string[];
}

export interface ModemSimulatorOptions {
  /** A personality id (`quectel-ec25`…, or the short `quectel`/`simcom`), or a personality. */
  personality?: string | Personality;
  clock?: Clock;
  /** Delay before each reply, as a real modem takes a moment. */
  latencyMs?: number;
  /** Silence after a reset before the boot banners. */
  bootMs?: number;
  sim?: Partial<SimCard>;
  network?: Partial<Network>;
  quirks?: Quirks;
}

export type SimulatorEvents = {
  /** A command line the simulator received (faults included: a hung modem still "hears"). */
  command: [string];
  rebooted: [];
  /** An MO SMS the modem sent (+CMGS): what the network receives. */
  smsSent: [SentSms];
};

/** `\r\n<line>\r\n<trailing>\r\n` (27.005 §3.4.1: `+CMT: …<CR><LF><pdu>`). */
const urcText = (lines: string[]) => `\r\n${lines.join("\r\n")}\r\n`;

const CTRL_Z = 0x1a;
const ESC = 0x1b;

/**
 * A modem personality engine: bytes in (from the host), bytes out. The personality says what
 * the module answers (and refuses), its echo, banners, error words, prompt and SMS behaviour; this
 * class does the wire (echo, line editing, the prompt, URCs, pacing) and the faults (hang, late
 * answers, garbage, dribbled bytes, a URC inside a reply, reboot).
 */
export class ModemSimulator {
  readonly events = new Emitter<SimulatorEvents>();
  readonly world: ModemWorld;
  readonly personality: Personality;
  readonly store: SmsStore;
  readonly sent: SentSms[] = [];
  readonly #clock: Clock;
  readonly #latencyMs: number;
  readonly #bootMs: number;
  readonly #quirks: Quirks;
  readonly #ctx: Ctx;
  readonly #table: CommandTable;
  readonly #mt: MtDelivery;
  #out: ((bytes: Buffer) => void) | undefined;
  #line = "";
  #echo = "";
  #prompt: { handle: (payload: string) => Result; payload: string } | undefined;
  #booting = false;
  #hang: "off" | "all" | "until-reset" = "off";
  #stallMs = 0;
  #dribble: boolean;
  #urcInNextReply: string | undefined;
  readonly #lose: Array<{ pattern: RegExp; lost?: (line: string) => void }> = [];
  /** URCs a handler raised while its answer is being built: they follow the answer. */
  #deferred: string[] | undefined;
  #outQueue: Array<{ text: string; delayMs: number }> = [];
  #pumping = false;
  #mr = 0;

  constructor(o: ModemSimulatorOptions = {}) {
    this.personality = typeof o.personality === "object" ? o.personality : lookup(o.personality ?? "quectel");
    const p = this.personality;
    this.#clock = o.clock ?? systemClock;
    this.#latencyMs = o.latencyMs ?? p.timing?.replyMs ?? 1;
    this.#bootMs = o.bootMs ?? p.timing?.bootMs ?? 300;
    this.#quirks = o.quirks ?? {};
    this.#dribble = this.#quirks.dribble ?? false;
    const sim: SimCard = {
      present: true,
      iccid: "8988307000012345678",
      imsi: "310260123456789",
      unlocked: true,
      pinAttemptsLeft: 3,
      fplmn: [],
      ...o.sim,
    };
    if (o.sim?.pin !== undefined && o.sim.unlocked === undefined) sim.unlocked = false;
    const net = { ...defaultNetwork(), forbidden: [...sim.fplmn], rat: p.defaultRat ?? p.rats[0] ?? "lte", ...o.network };
    this.world = { sim, net, settings: defaultSettings(p.defaults) };
    this.store = new SmsStore(p.sms.memories, p.sms.firstIndex ?? 0);
    const mem = this.#bootMemory();
    this.#ctx = {
      world: this.world,
      p,
      store: this.store,
      mems: [mem, mem, mem],
      now: () => this.#clock.now(),
      nextMr: () => (this.#mr = (this.#mr + 1) % 256),
      sent: this.sent,
      storageFreed: () => this.#mt.offerHeld(),
      routingChanged: () => this.#mt.offerHeld(),
      acknowledge: (positive) => this.#mt.acknowledge(positive),
      smsSent: (sms) => this.events.emit("smsSent", sms),
      urc: (line, ...trailing) => this.#raise([line, ...trailing]),
      after: (ms, fn) => void this.#clock.setTimeout(fn, ms),
    };
    this.#mt = new MtDelivery(() => this.#ctx, this.#clock);
    this.#table = p.commands(this.#ctx);
  }

  /** Where the modem's bytes go (the pty master, or one end of an in-process link). */
  connect(out: (bytes: Buffer) => void): void {
    this.#out = out;
  }

  /** Bytes the host wrote to the modem. */
  input(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (this.#booting) continue;
      if (this.#hang !== "off") {
        this.#hungByte(b);
        continue;
      }
      if (this.world.settings.echo || this.#quirks.stickyEcho) this.#echo += String.fromCharCode(b);
      if (this.#prompt !== undefined) {
        this.#promptByte(b);
      } else if (b === 0x0d) {
        const line = this.#line;
        this.#line = "";
        this.#command(line);
      } else if (b === ESC && this.personality.junkBeforeAt === "ignore") {
        this.#line = ""; // ESC cancels a half-typed line
      } else if (b !== 0x0a) {
        this.#line += String.fromCharCode(b);
      }
    }
    this.#flushEcho();
  }

  // ---- steering (tests, the demo, the API simulator) ----

  /** Changes the radio and registration; the module announces what its settings ask it to. */
  setNetwork(change: Partial<Network>): void {
    const before = { ...this.world.net };
    Object.assign(this.world.net, change);
    for (const u of this.personality.networkChanged(this.#ctx, before)) this.emitUrc(u);
  }

  /**
   * A message arrives from the network: stored in the receive memory with a +CMTI, or routed
   * as +CMT when +CNMI says so. Returns where it was stored; undefined when it was routed or held.
   */
  deliverSms(msg: Omit<StoredMessage, "stat">): { memory: Memory; index: number } | undefined {
    const r = this.#mt.deliver(msg);
    return typeof r === "object" ? r : undefined;
  }

  /**
   * A message from the network side: built as DELIVER PDUs (split into parts when long), each
   * delivered as deliverSms does. What the module cannot take now the network holds and offers
   * again when storage is freed or routing turned on again.
   */
  sendFromNetwork(m: MtSms): Delivered[] {
    return buildMtPdus(m, this.#clock.now()).map((pdu) => this.#mt.deliver({ pdu, originator: m.from ?? "2936" }));
  }

  /** Data passes now (radio on, attached, the bearer up, no data-path fault): what the simulated network carries. */
  dataFlows(): boolean {
    return !this.#booting && this.#hang === "off" && dataFlows(this.#ctx);
  }

  /** Messages the network is holding (no room, routing off, an acknowledgement missed or awaited). */
  get heldByNetwork(): number {
    return this.#mt.held;
  }

  /** A routed +CMT is waiting for the host's +CNMA. */
  get awaitingAck(): boolean {
    return this.#mt.awaitingAck;
  }

  /** A URC, its trailing lines (a +CMT's PDU) right after its own CR LF, as modules print them. */
  emitUrc(line: string, ...trailing: string[]): void {
    this.#send(urcText([line, ...trailing]), 0);
  }

  /** Stop answering: `all` until unhang(); `until-reset` answers nothing but the module's reset. */
  hang(mode: "all" | "until-reset" = "all"): void {
    this.#hang = mode;
    this.#line = "";
  }

  unhang(): void {
    this.#hang = "off";
  }

  /** Answer everything, but late: each reply waits `ms` more. */
  stall(ms: number): void {
    this.#stallMs = ms;
  }

  /** Send replies one to three bytes at a time. */
  dribble(on: boolean): void {
    this.#dribble = on;
  }

  /** Raw bytes on the line, as from a noisy UART or a modem dumping its buffer. */
  garbage(bytes: Uint8Array): void {
    this.#send(Buffer.from(bytes).toString("latin1"), 0);
  }

  /**
   * The next command line matching `pattern` never reaches the module (the host died before it
   * left, a cable pulled mid-write): no answer, no effect, and no `command` event; `lost` is told
   * (a test kills the host at that moment).
   */
  loseNext(pattern: RegExp, lost?: (line: string) => void): void {
    this.#lose.push({ pattern, ...(lost ? { lost } : {}) });
  }

  /** The next reply with an information line gets this URC between its lines and its final result. */
  urcInNextReply(line: string): void {
    this.#urcInNextReply = line;
  }

  /** A modem restart: silence, then the boot banners, settings back to the manual's defaults. */
  reboot(): void {
    this.#booting = true;
    this.#line = "";
    this.#prompt = undefined;
    this.#hang = "off";
    this.#mt.reset();
    this.#clock.setTimeout(() => {
      const kept = this.personality.keptOnReboot?.(this.world.settings) ?? {};
      restarted(this.world, defaultSettings({ ...this.personality.defaults, ...kept }));
      const mem = this.#bootMemory();
      this.#ctx.mems = [mem, mem, mem];
      this.#booting = false;
      for (const banner of this.personality.bootBanners) this.emitUrc(banner);
      this.events.emit("rebooted");
    }, this.#bootMs);
  }

  // ---- internals ----

  #bootMemory(): Memory {
    const p = this.personality.sms;
    return p.defaultMemory ?? (Object.keys(p.memories)[0] as Memory | undefined) ?? "SM";
  }

  #hungByte(b: number): void {
    if (b !== 0x0d) {
      if (b !== 0x0a) this.#line += String.fromCharCode(b);
      return;
    }
    const line = this.#line.trim().toUpperCase();
    this.#line = "";
    if (line === "") return;
    this.events.emit("command", line);
    if (this.#hang === "until-reset" && this.#isReset(line)) this.#reply({ reboot: true });
  }

  /** What wakes a module hung until reset: a line that resets it (AT+CFUN=1,1 or the vendor's). */
  #isReset(line: string): boolean {
    return this.personality.resets.some((r) => r.toUpperCase() === line);
  }

  #promptByte(b: number): void {
    const p = this.#prompt!;
    if (b === CTRL_Z) {
      this.#prompt = undefined;
      this.#reply(p.handle(p.payload));
    } else if (b === ESC) {
      this.#prompt = undefined; // cancelled: no answer
    } else {
      p.payload += String.fromCharCode(b);
    }
  }

  #command(raw: string): void {
    let line = raw.trim();
    if (line === "") return;
    const lost = this.#lose.findIndex((l) => l.pattern.test(line));
    if (lost >= 0) return void this.#lose.splice(lost, 1)[0]!.lost?.(line);
    this.events.emit("command", line);
    const at = line.search(/AT/i);
    if (at < 0) return; // modems ignore what has no AT at all
    if (at > 0) {
      if (this.personality.junkBeforeAt === "error") return this.#reply({ error: true });
      line = line.slice(at);
    }
    this.#deferred = [];
    const r = dispatch(line.slice(2), this.#table, this.#ctx);
    const raised = this.#deferred;
    this.#deferred = undefined;
    this.#reply(r);
    for (const u of "ok" in r ? (r.urcs ?? []) : []) this.emitUrc(u);
    if (raised.length > 0) this.#send(raised.join(""), this.#latencyMs);
  }

  /** A URC from a handler waits for the answer being built; otherwise it goes out now. */
  #raise(lines: string[]): void {
    const text = urcText(lines);
    if (this.#deferred !== undefined) this.#deferred.push(text);
    else this.#send(text, 0);
  }

  #flushEcho(): void {
    if (this.#echo !== "") this.#send(this.#echo, 0);
    this.#echo = "";
  }

  #reply(r: Result): void {
    this.#flushEcho(); // the echo of a command precedes its answer
    const fmt = (l: string) => `\r\n${l}\r\n`;
    if ("prompt" in r) {
      this.#prompt = { handle: r.prompt, payload: "" };
      // A module without a prompt takes the PDU right after the line (nRF91 +CMGS).
      if (this.personality.prompt !== null) this.#send(`\r\n${this.personality.prompt}`, this.#latencyMs);
    } else if ("reboot" in r) {
      this.#send(fmt("OK"), this.#latencyMs);
      this.reboot();
    } else if ("ok" in r) {
      const lines = [...r.ok];
      const inserted = this.#urcInNextReply !== undefined ? [this.#urcInNextReply] : (this.#quirks.urcsInReplies ?? []);
      if (lines.length > 0 && inserted.length > 0) {
        lines.splice(1, 0, ...inserted);
        this.#urcInNextReply = undefined;
      }
      this.#send([...lines, "OK"].map(fmt).join(""), this.#latencyMs);
    } else if ("error" in r) {
      this.#send(fmt("ERROR"), this.#latencyMs);
    } else {
      this.#send(fmt(this.#errorLine("cme" in r ? "cme" : "cms", "cme" in r ? r.cme : r.cms)), this.#latencyMs);
    }
  }

  #errorLine(kind: "cme" | "cms", code: number): string {
    const cmee = this.#quirks.alwaysVerbose ? 2 : this.world.settings.cmee;
    const label = kind === "cme" ? "+CME ERROR" : "+CMS ERROR";
    if (cmee === 0) return "ERROR";
    if (cmee === 1) return `${label}: ${code}`;
    return `${label}: ${this.personality.errorText?.(kind, code) ?? standardErrorText(kind, code)}`;
  }

  /** Output goes through one queue, so a delayed reply is never overtaken by a later write. */
  #send(text: string, delayMs: number): void {
    this.#outQueue.push({ text, delayMs: delayMs > 0 ? delayMs + this.#stallMs : 0 });
    if (!this.#pumping) this.#pump();
  }

  #pump(): void {
    const next = this.#outQueue.shift();
    if (next === undefined) {
      this.#pumping = false;
      return;
    }
    this.#pumping = true;
    const write = () => {
      if (this.#dribble) this.#writeChunks(next.text, () => this.#pump());
      else {
        this.#out?.(Buffer.from(next.text, "latin1"));
        this.#pump();
      }
    };
    if (next.delayMs > 0) this.#clock.setTimeout(write, next.delayMs);
    else write();
  }

  /** 1 to 3 bytes at a time, a millisecond apart, as a slow UART bridge hands them over. */
  #writeChunks(text: string, done: () => void): void {
    if (text === "") return done();
    const n = 1 + ((text.length * 7 + text.charCodeAt(0)) % 3);
    this.#out?.(Buffer.from(text.slice(0, n), "latin1"));
    this.#clock.setTimeout(() => this.#writeChunks(text.slice(n), done), 1);
  }
}
