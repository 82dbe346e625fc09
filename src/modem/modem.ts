import { isUnsupported, type AtPort, type AtResponse, type Urc } from "../at/index.js";
import {
  CellgateError,
  describeError,
  Emitter,
  isCellgateError,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
} from "../core/index.js";
import {
  cesqToSignal,
  parseCesqExec,
  parseCclkRead,
  parseCgattRead,
  parseCgdcontRead,
  parseCgpaddrExec,
  type PdpAddress,
  parseCopsRead,
  parseCpinRead,
  parseCsqExec,
  parseDataEvent,
  parseRegistrationLine,
  simStateFromCme,
} from "./parsers/index.js";
import { Capabilities, type Capability } from "./capabilities.js";
import { initModem } from "./modem-init.js";
import { currentRat } from "./rat.js";
import { ModemSms } from "./modem-sms.js";
import { DataBearer } from "./data-bearer.js";
import { NetworkSelection } from "./network-selection.js";
import { withRetry } from "./retry.js";
import { mainRegistration } from "./network-view.js";
import type {
  DataEvent,
  FieldError,
  ModemIdentity,
  ModemSnapshot,
  NetworkTime,
  Operator,
  PdpContext,
  RegDomain,
  Registration,
  ServingCell,
  SignalQuality,
  SimState,
  VendorName,
} from "./types.js";
import { PROFILES, type VendorProfile } from "./vendors/index.js";

export interface ModemOptions {
  port: AtPort;
  log?: Logger;
  clock?: Clock;
  /** Force a vendor profile instead of choosing it from +CGMI/+CGMM. */
  vendor?: VendorName | "auto";
  /** SIM PIN, from the credentials (never from the YAML). */
  pin?: string;
}

export type ModemEvents = {
  registration: [Registration];
  /** A signal URC (+QIND "csq", SIMCom AUTOCSQ, Nordic %CESQ): the values it carries. */
  signal: [Partial<SignalQuality>];
  /** A boot banner (RDY, SMS Ready, +CFUN: 1…) arrived: the modem restarted and forgot its settings. */
  rebooted: [{ banner: string }];
  /** The module on its data path: a context torn down (+CGEV), a firmware update, attach throttled. */
  data: [DataEvent];
  /** New SMS in storage (+CMTI) and other URCs other layers consume. */
  urc: [Urc];
};

const REG_READ: ReadonlyArray<[RegDomain, string]> = [
  ["cs", "AT+CREG?"],
  ["ps", "AT+CGREG?"],
  ["eps", "AT+CEREG?"],
  ["5gs", "AT+C5GREG?"],
];
const BOOT_WINDOW_MS = 10_000;
const LIVE_PARTS = ["sim", "signal", "operator", "attached", "pdp"] as const;
const BOOT_BANNERS = new Set(["RDY", "APP RDY", "SMS Ready", "SMS DONE", "Call Ready", "+CFUN: 1", "+QUSIM: 1", "Ready"]);

/**
 * The typed modem over an AtPort: identity, SIM, signal, registration, operator, packet
 * attach, PDP contexts, network time. Pure parsers do the reading; vendor profiles add
 * what only their modems have.
 */
export class Modem {
  readonly events: Emitter<ModemEvents>;
  readonly #port: AtPort;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #opts: ModemOptions;
  #profile: VendorProfile = PROFILES.generic;
  #identity: ModemIdentity | undefined;
  #charset = "IRA";
  #lastBoot: number | undefined;
  #sms: ModemSms | undefined;
  #bearer: DataBearer | undefined;
  #selection: NetworkSelection | undefined;
  readonly #caps: Capabilities;

  constructor(o: ModemOptions) {
    this.#port = o.port;
    this.#opts = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ mod: "modem" });
    this.events = new Emitter((event, err) => this.#log.error({ err, event }, "modem listener failed"));
    this.#caps = new Capabilities(this.#log);
    this.#port.onUrc((u) => this.#onUrc(u));
  }

  get port(): AtPort {
    return this.#port;
  }

  /** SMS storage and sending (27.005, PDU mode). */
  get sms(): ModemSms {
    this.#sms ??= new ModemSms(this.#port, this.#log, () => this.#profile.smsNoPrompt === true);
    return this.#sms;
  }

  /** The data bearer: the product's context, the module's interface, the data-path ladder's AT steps. */
  get bearer(): DataBearer {
    this.#bearer ??= new DataBearer(this.#port, () => this.#profile, this.#log);
    return this.#bearer;
  }

  /** Network selection: manual or automatic, and the SIM's forbidden-network list. */
  get selection(): NetworkSelection {
    this.#selection ??= new NetworkSelection(this.#port);
    return this.#selection;
  }

  get profile(): VendorProfile {
    return this.#profile;
  }

  /** Known after init(). */
  get identity(): ModemIdentity | undefined {
    return this.#identity;
  }

  /** Echo off, verbose results, numeric errors, identify, pick the vendor, unlock, enable URCs. */
  async init(signal?: AbortSignal): Promise<ModemIdentity> {
    // A new boot or a re-open: what the modem lacked before is asked again (firmware may have changed).
    this.#caps.reset();
    const r = await initModem({
      port: this.#port,
      clock: this.#clock,
      log: this.#log,
      ...(signal ? { signal } : {}),
      ...(this.#opts.vendor ? { vendor: this.#opts.vendor } : {}),
      ...(this.#opts.pin ? { pin: this.#opts.pin } : {}),
      simState: () => this.simState(signal),
    });
    this.#profile = r.profile;
    this.#charset = r.charset;
    this.#identity = r.identity;
    return r.identity;
  }

  async simState(signal?: AbortSignal): Promise<SimState> {
    try {
      return parseCpinRead((await this.#cmd("AT+CPIN?", signal)).lines);
    } catch (err) {
      // A SIM that is absent or broken answers +CME ERROR: 10 / 13 instead of +CPIN.
      if (isCellgateError(err, "CG_ERR_AT_CME")) return simStateFromCme(err.detail.errorCode as number | undefined);
      throw err;
    }
  }

  /**
   * +CSQ and +CESQ, whichever the modem has (an LTE-only module may have only +CESQ), refined
   * later with the vendor's serving-cell report. One refusing never loses the other's answer.
   */
  async signal(signal?: AbortSignal): Promise<SignalQuality> {
    const csq = await this.#optional("AT+CSQ", signal);
    const cesq = await this.#optional("AT+CESQ", signal);
    if (csq === undefined && cesq === undefined) {
      throw new CellgateError("CG_ERR_MODEM_UNSUPPORTED", "the modem answers neither AT+CSQ nor AT+CESQ", {});
    }
    const q: SignalQuality = csq ? parseCsqExec(csq.lines) : { rssiDbm: null, ber: null };
    if (cesq) Object.assign(q, cesqToSignal(parseCesqExec(cesq.lines)));
    return q;
  }

  async servingCell(signal?: AbortSignal): Promise<ServingCell | null> {
    const profile = this.#profile;
    if (profile.servingCell === undefined) return null;
    return profile.servingCell({ command: (cmd) => this.#optional(cmd, signal) });
  }

  /**
   * Registration in every domain the modem has (CS, PS, EPS, 5GS): an LTE-M module has only
   * +CEREG. A domain that fails for another reason is left out; only when none answers is the
   * read an error.
   */
  async registration(signal?: AbortSignal): Promise<Partial<Record<RegDomain, Registration>>> {
    const out: Partial<Record<RegDomain, Registration>> = {};
    let failure: unknown;
    for (const [domain, cmd] of REG_READ) {
      try {
        const r = await this.#optional(cmd, signal);
        const line = r?.lines.find((l) => /^\s*\+C\w*REG:/i.test(l));
        if (r !== undefined && line === undefined) {
          throw new CellgateError("CG_ERR_MODEM_PARSE", `${cmd}: no registration line`, { raw: r.lines.join("\n") });
        }
        if (line !== undefined) out[domain] = parseRegistrationLine(line, "read");
      } catch (err) {
        failure ??= err;
        this.#log.warn({ cmd, err: describeError(err) }, "registration read failed in one domain");
      }
    }
    if (Object.keys(out).length === 0 && failure instanceof Error) throw failure;
    return out;
  }

  /** The registered operator, numeric and long name (two +COPS? reads with the format set). */
  async operator(signal?: AbortSignal): Promise<Operator> {
    await this.#cmd("AT+COPS=3,2", signal);
    const numeric = parseCopsRead((await this.#cmd("AT+COPS?", signal)).lines, { charset: this.#charset });
    await this.#cmd("AT+COPS=3,0", signal);
    const named = parseCopsRead((await this.#cmd("AT+COPS?", signal)).lines, { charset: this.#charset });
    return { ...named, ...numeric, ...(named.name !== undefined ? { name: named.name } : {}) };
  }

  async attached(signal?: AbortSignal): Promise<boolean> {
    return parseCgattRead((await this.#cmd("AT+CGATT?", signal)).lines);
  }

  /** The defined contexts (+CGDCONT?) with the addresses the network gave them (+CGPADDR, where the modem has it). */
  async pdpContexts(signal?: AbortSignal): Promise<PdpContext[]> {
    const contexts = parseCgdcontRead((await this.#cmd("AT+CGDCONT?", signal)).lines);
    const reply = await this.#optional("AT+CGPADDR", signal);
    if (reply === undefined) return contexts; // an older modem: +CGDCONT?'s address is all there is
    const given: PdpAddress[] = parseCgpaddrExec(reply.lines);
    return contexts.map((c) => {
      const a = given.find((g) => g.cid === c.cid);
      const { address: shown, ...rest } = c; // some modems do show the dynamic address in +CGDCONT?
      const address = a?.ipv4 ?? a?.ipv6 ?? shown;
      return {
        ...rest,
        ...(address !== undefined ? { address } : {}),
        ...(a?.ipv4 !== undefined && a.ipv6 !== undefined ? { ipv6: a.ipv6 } : {}),
      };
    });
  }

  /** NITZ time from the vendor command when there is one, else the modem's clock (+CCLK?). */
  async networkTime(signal?: AbortSignal): Promise<NetworkTime | null> {
    const profile = this.#profile;
    if (profile.networkTime !== undefined) {
      const t = await profile.networkTime({ command: (cmd) => this.#optional(cmd, signal) });
      if (t !== undefined) return t;
    }
    const cclk = await this.#optional("AT+CCLK?", signal);
    return cclk === undefined ? null : parseCclkRead(cclk.lines);
  }

  /** The vendor's full functionality reset; the modem reboots (and may re-enumerate). */
  async reset(signal?: AbortSignal): Promise<void> {
    await this.#port.command(this.#profile.resetCommand, { timeoutMs: 15_000, ...(signal ? { signal } : {}) });
  }

  /** Every query, each allowed to fail on its own: a partial answer beats none. */
  async snapshot(signal?: AbortSignal): Promise<ModemSnapshot> {
    const snap: ModemSnapshot = { at: new Date(this.#clock.now()).toISOString(), answering: false, registration: {}, errors: {} };
    const part = async <K extends keyof ModemSnapshot["errors"]>(key: K, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (err) {
        snap.errors[key] = fieldError(err);
      }
    };
    await part("identity", async () => {
      snap.identity = this.#identity ?? (await this.init(signal));
    });
    await part("sim", async () => void (snap.sim = await this.simState(signal)));
    await part("signal", async () => void (snap.signal = await this.signal(signal)));
    await part("servingCell", async () => {
      snap.servingCell = await this.servingCell(signal);
      mergeServingCell(snap);
    });
    await part("registration", async () => void (snap.registration = await this.registration(signal)));
    const rat = currentRat({ cell: snap.servingCell ?? null, registration: mainRegistration(snap), identity: snap.identity });
    if (rat !== undefined) snap.rat = rat;
    await part("operator", async () => void (snap.operator = await this.operator(signal)));
    await part("attached", async () => void (snap.attached = await this.attached(signal)));
    await part("pdp", async () => void (snap.pdp = await this.pdpContexts(signal)));
    await part("networkTime", async () => void (snap.networkTime = await this.networkTime(signal)));
    // The identity may be remembered from an earlier init: only live answers count.
    snap.answering = LIVE_PARTS.some((k) => snap[k] !== undefined);
    snap.capabilities = this.#caps.list();
    return snap;
  }

  /** What this modem was found to have and lack since it last booted. */
  get capabilities(): Capability[] {
    return this.#caps.list();
  }

  #cmd(cmd: string, signal?: AbortSignal) {
    return withRetry(() => this.#port.command(cmd, signal ? { signal } : {}), {
      clock: this.#clock,
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * A command the modem may lack: undefined when it refuses it as unsupported (learned, and not
   * asked again until the modem restarts). Other errors (timeouts, SIM states) are thrown.
   */
  async #optional(cmd: string, signal?: AbortSignal): Promise<AtResponse | undefined> {
    if (this.#caps.isUnsupported(cmd)) return undefined;
    try {
      const r = await this.#cmd(cmd, signal);
      this.#caps.supported(cmd);
      return r;
    } catch (err) {
      if (!isUnsupported(err)) throw err;
      this.#caps.unsupported(cmd, err);
      return undefined;
    }
  }

  #onUrc(u: Urc): void {
    const line = u.line.trim();
    if (BOOT_BANNERS.has(line)) {
      // One boot prints several banners (RDY, +CFUN: 1, +QUSIM: 1…): one event per boot.
      const now = this.#clock.now();
      if (this.#lastBoot === undefined || now - this.#lastBoot > BOOT_WINDOW_MS) {
        this.#log.warn({ banner: line }, "modem boot banner: it restarted");
        this.events.emit("rebooted", { banner: line });
      }
      this.#lastBoot = now;
    } else if (this.#profile.signalUrc?.(line) !== undefined) {
      this.events.emit("signal", this.#profile.signalUrc(line)!);
    } else if (parseDataEvent(line) !== undefined) {
      this.events.emit("data", parseDataEvent(line)!);
    } else if (/^\+C(5G|G|E)?REG:/.test(line)) {
      try {
        this.events.emit("registration", parseRegistrationLine(line, "urc"));
      } catch (err) {
        this.#log.warn({ line, err: describeError(err) }, "unparseable registration URC");
      }
    }
    this.events.emit("urc", u);
  }
}

/** The serving cell's LTE values fill what +CSQ/+CESQ left unknown. */
function mergeServingCell(snap: ModemSnapshot): void {
  const c = snap.servingCell;
  if (!c || !snap.signal) return;
  for (const k of ["rsrpDbm", "rsrqDb", "sinrDb"] as const) {
    if ((snap.signal[k] === undefined || snap.signal[k] === null) && c[k] !== undefined) snap.signal[k] = c[k];
  }
}

function fieldError(err: unknown): FieldError {
  return isCellgateError(err)
    ? { code: err.code, message: err.message }
    : { code: "CG_ERR_MODEM_PARSE", message: describeError(err) };
}
