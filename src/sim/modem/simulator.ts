import { Emitter, systemClock, type Clock } from "../../core/index.js";
import { basicCommands, iccidCommands } from "./commands/basic.js";
import { networkCommands, registrationLine } from "./commands/network.js";
import { smsCommands } from "./commands/sms.js";
import type { CommandTable, Ctx, Result, SentSms } from "./commands/types.js";
import { quectelCommands, simcomCommands } from "./commands/vendor.js";
import { dispatch } from "./dispatch.js";
import { buildMtPdus, type MtSms } from "./network-sms.js";
import { PERSONALITIES, type Personality, type PersonalityName } from "./personality.js";
import { SmsStore, type Memory, type StoredMessage } from "./sms-store.js";
import { defaultNetwork, defaultSettings, type ModemWorld, type Network, type SimCard } from "./state.js";

export interface ModemSimulatorOptions {
  personality?: PersonalityName;
  clock?: Clock;
  /** Delay before each reply, as a real modem takes a moment. */
  latencyMs?: number;
  /** Silence after a reset before the boot banners. */
  bootMs?: number;
  sim?: Partial<SimCard>;
  network?: Partial<Network>;
}

export type SimulatorEvents = {
  /** A command line the simulator received (faults included: a hung modem still "hears"). */
  command: [string];
  rebooted: [];
  /** An MO SMS the modem sent (+CMGS): what the network receives. */
  smsSent: [SentSms];
};

const CTRL_Z = 0x1a;
const ESC = 0x1b;

/**
 * A modem personality engine: bytes in (from the host), bytes out. Echo until ATE0, replies
 * in the personality's format, +CME/+CMS errors per +CMEE, URCs, SMS storage, and faults
 * (hang, late answers, garbage, dribbled bytes, a URC inside a reply, reboot).
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
  readonly #ctx: Ctx;
  readonly #table: CommandTable;
  #out: ((bytes: Buffer) => void) | undefined;
  #line = "";
  #echo = "";
  #prompt: { handle: (payload: string) => Result; payload: string } | undefined;
  #booting = false;
  #hang: "off" | "all" | "until-reset" = "off";
  #stallMs = 0;
  #dribble = false;
  #urcInNextReply: string | undefined;
  #outQueue: Array<{ text: string; delayMs: number }> = [];
  #pumping = false;
  #mr = 0;
  /** MT messages the network holds because storage was full; retried when space frees up. */
  #heldByNetwork: Array<Omit<StoredMessage, "stat">> = [];

  constructor(o: ModemSimulatorOptions = {}) {
    this.personality = PERSONALITIES[o.personality ?? "quectel"];
    this.#clock = o.clock ?? systemClock;
    this.#latencyMs = o.latencyMs ?? 1;
    this.#bootMs = o.bootMs ?? 300;
    const sim: SimCard = {
      present: true,
      iccid: "8988307000012345678",
      imsi: "310260123456789",
      unlocked: true,
      pinAttemptsLeft: 3,
      ...o.sim,
    };
    if (o.sim?.pin !== undefined && o.sim.unlocked === undefined) sim.unlocked = false;
    this.world = { sim, net: { ...defaultNetwork(), ...o.network }, settings: defaultSettings(this.personality.cmee) };
    this.store = new SmsStore(this.personality.smsCapacity);
    this.#ctx = {
      world: this.world,
      p: this.personality,
      store: this.store,
      mems: ["SM", "SM", "SM"],
      now: () => this.#clock.now(),
      nextMr: () => (this.#mr = (this.#mr + 1) % 256),
      sent: this.sent,
      storageFreed: () => this.#redeliver(),
      smsSent: (sms) => this.events.emit("smsSent", sms),
    };
    const vendor = this.personality.name === "quectel" ? quectelCommands : simcomCommands;
    this.#table = { ...basicCommands, ...iccidCommands(this.#ctx), ...networkCommands, ...smsCommands, ...vendor };
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
      if (this.world.settings.echo) this.#echo += String.fromCharCode(b);
      if (this.#prompt !== undefined) {
        this.#promptByte(b);
      } else if (b === 0x0d) {
        const line = this.#line;
        this.#line = "";
        this.#command(line);
      } else if (b === ESC) {
        this.#line = "";
      } else if (b !== 0x0a) {
        this.#line += String.fromCharCode(b);
      }
    }
    this.#flushEcho();
  }

  // ---- steering (tests, the demo, the API simulator) ----

  /** Changes registration/radio state; a registration change is announced per +CxREG <n>. */
  setNetwork(change: Partial<Network>): void {
    const before = (["cs", "ps", "eps"] as const).map((d) => registrationLine(this.#ctx, d, "urc"));
    Object.assign(this.world.net, change);
    (["cs", "ps", "eps"] as const).forEach((d, i) => {
      const now = registrationLine(this.#ctx, d, "urc");
      if (now !== undefined && now !== before[i]) this.emitUrc(now);
    });
  }

  /**
   * A message arrives from the network: stored in the receive memory with a +CMTI, or routed
   * as +CMT when +CNMI says so. Returns where it was stored; undefined when storage is full.
   */
  deliverSms(msg: Omit<StoredMessage, "stat">): { memory: Memory; index: number } | undefined {
    const mt = this.world.settings.cnmi[1];
    if (mt === 2 || mt === 3) {
      const tpdu = msg.pdu.length / 2 - 1 - Number.parseInt(msg.pdu.slice(0, 2), 16);
      this.emitUrc(`+CMT: ,${tpdu}`, msg.pdu);
      return undefined;
    }
    const memory = this.#ctx.mems[2];
    const index = this.store.add(memory, { ...msg, stat: 0 });
    if (index === undefined) return undefined;
    if (mt === 1) this.emitUrc(`+CMTI: "${memory}",${index}`);
    return { memory, index };
  }

  /**
   * A message from the network side: built as DELIVER PDUs (split into parts when long), each
   * delivered as deliverSms does. When storage is full the network holds the part and
   * delivers it once a message is deleted; the modem says it is full the vendor's way.
   */
  sendFromNetwork(m: MtSms): Array<{ memory: Memory; index: number } | "held" | "routed"> {
    return buildMtPdus(m, this.#clock.now()).map((pdu) => this.#deliverOrHold({ pdu }));
  }

  /** Messages the network is holding for lack of storage. */
  get heldByNetwork(): number {
    return this.#heldByNetwork.length;
  }

  #deliverOrHold(msg: Omit<StoredMessage, "stat">): { memory: Memory; index: number } | "held" | "routed" {
    const mt = this.world.settings.cnmi[1];
    if (mt === 2 || mt === 3) {
      this.deliverSms(msg);
      return "routed";
    }
    const r = this.deliverSms(msg);
    if (r !== undefined) return r;
    this.#heldByNetwork.push(msg);
    if (this.personality.name === "quectel") this.emitUrc(`+QIND: "smsfull","${this.#ctx.mems[2]}"`);
    return "held";
  }

  #redeliver(): void {
    const held = this.#heldByNetwork.splice(0);
    for (const m of held) this.#deliverOrHold(m);
  }

  emitUrc(line: string, ...trailing: string[]): void {
    this.#send([line, ...trailing].map((l) => `\r\n${l}\r\n`).join(""), 0);
  }

  /** Stop answering: `all` until unhang(); `until-reset` answers nothing but AT+CFUN=1,1. */
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

  /** Send replies one byte at a time. */
  dribble(on: boolean): void {
    this.#dribble = on;
  }

  /** Raw bytes on the line, as from a noisy UART or a modem dumping its buffer. */
  garbage(bytes: Uint8Array): void {
    this.#send(Buffer.from(bytes).toString("latin1"), 0);
  }

  /** The next reply with an information line gets this URC between its lines and its OK. */
  urcInNextReply(line: string): void {
    this.#urcInNextReply = line;
  }

  /** A modem restart: silence, then the boot banners, settings back to defaults. */
  reboot(): void {
    this.#booting = true;
    this.#line = "";
    this.#prompt = undefined;
    this.#hang = "off";
    this.#clock.setTimeout(() => {
      this.world.settings = defaultSettings(this.personality.cmee);
      this.#ctx.mems = ["SM", "SM", "SM"];
      this.#booting = false;
      for (const banner of this.personality.bootBanners) this.emitUrc(banner);
      this.events.emit("rebooted");
    }, this.#bootMs);
  }

  // ---- internals ----

  #hungByte(b: number): void {
    if (b !== 0x0d) {
      if (b !== 0x0a) this.#line += String.fromCharCode(b);
      return;
    }
    const line = this.#line.trim().toUpperCase();
    this.#line = "";
    if (line === "") return;
    this.events.emit("command", line);
    if (this.#hang === "until-reset" && line === "AT+CFUN=1,1") this.#reply({ reboot: true });
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
    const line = raw.trim();
    if (line === "") return;
    this.events.emit("command", line);
    if (!/^AT/i.test(line)) return; // modems ignore what does not start with AT
    this.#reply(dispatch(line.slice(2), this.#table, this.#ctx));
  }

  #flushEcho(): void {
    if (this.#echo !== "") this.#send(this.#echo, 0);
    this.#echo = "";
  }

  #reply(r: Result): void {
    this.#flushEcho(); // the echo of a command precedes its answer
    const s = this.world.settings;
    const fmt = (l: string) => `\r\n${l}\r\n`;
    if ("prompt" in r) {
      this.#prompt = { handle: r.prompt, payload: "" };
      this.#send(`\r\n${this.personality.prompt}`, this.#latencyMs);
    } else if ("reboot" in r) {
      this.#send(fmt("OK"), this.#latencyMs);
      this.reboot();
    } else if ("ok" in r) {
      const lines = [...r.ok];
      if (this.#urcInNextReply !== undefined && lines.length > 0) {
        lines.splice(1, 0, this.#urcInNextReply);
        this.#urcInNextReply = undefined;
      }
      this.#send([...lines, "OK"].map(fmt).join(""), this.#latencyMs);
    } else if ("error" in r) {
      this.#send(fmt("ERROR"), this.#latencyMs);
    } else {
      const [kind, code] = "cme" in r ? (["CME", r.cme] as const) : (["CMS", r.cms] as const);
      const text = s.cmee === 0 ? "ERROR" : s.cmee === 1 ? `+${kind} ERROR: ${code}` : `+${kind} ERROR: ${errorText(code)}`;
      this.#send(fmt(text), this.#latencyMs);
    }
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
      if (this.#dribble) this.#writeBytes([...next.text], () => this.#pump());
      else {
        this.#out?.(Buffer.from(next.text, "latin1"));
        this.#pump();
      }
    };
    if (next.delayMs > 0) this.#clock.setTimeout(write, next.delayMs);
    else write();
  }

  #writeBytes(chars: string[], done: () => void): void {
    const c = chars.shift();
    if (c === undefined) return done();
    this.#out?.(Buffer.from(c, "latin1"));
    this.#clock.setTimeout(() => this.#writeBytes(chars, done), 1);
  }
}

const TEXTS: Record<number, string> = {
  3: "operation not allowed",
  4: "operation not supported",
  10: "SIM not inserted",
  11: "SIM PIN required",
  12: "SIM PUK required",
  16: "incorrect password",
  302: "operation not allowed",
  304: "invalid PDU mode parameter",
  310: "SIM not inserted",
  311: "SIM PIN required",
  321: "invalid memory index",
  331: "no network service",
};

function errorText(code: number): string {
  return TEXTS[code] ?? "unknown";
}
