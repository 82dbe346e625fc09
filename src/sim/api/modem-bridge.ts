import { describeError, silentLogger, systemClock, type Clock, type Logger } from "../../core/index.js";
import { decodePdu } from "../../sms/pdu/index.js";
import type { ModemSimulator } from "../modem/simulator.js";
import type { SimRat } from "../modem/state.js";
import type { SentSms } from "../modem/at-handlers/types.js";
import type { MtOutcome } from "./context.js";
import type { ApiSimulator } from "./server.js";
import { newSid, type CommandRecord, type DataSessionRecord, type SimRecord } from "./store.js";

export interface ModemBridgeOptions {
  /** The Command short code the network uses (default: 2936, or 000 when the API is Super SIM). */
  shortCode?: string;
  clock?: Clock;
  /** How often traffic is counted while the modem is attached. */
  trafficEveryMs?: number;
  log?: Logger;
}

const RADIO: Record<SimRat, string> = { gsm: "2G", umts: "3G", lte: "LTE", "lte-m": "LTE-M", "nb-iot": "NB-IoT" };

/**
 * The network between the API simulator and the modem simulator. An MT Command to the gateway's
 * SIM becomes an SMS from 2936 (IncludeSid honoured, binary as 8-bit); an MO SMS to 2936 becomes a
 * `from_sim` Command and is POSTed to the SIM's commands_callback_url; while the modem is attached
 * a data session is open and bytes are counted.
 */
export class ModemBridge {
  readonly #api: ApiSimulator;
  readonly #modem: ModemSimulator;
  readonly #sim: SimRecord;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #shortCode: string;
  readonly #off: Array<() => void> = [];
  #timer: ReturnType<Clock["setTimeout"]> | undefined;
  #session: DataSessionRecord | undefined;

  constructor(api: ApiSimulator, modem: ModemSimulator, o: ModemBridgeOptions = {}) {
    this.#api = api;
    this.#modem = modem;
    this.#sim = api.gatewaySim;
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ mod: "network-sim" });
    this.#shortCode = o.shortCode ?? (api.product === "super-sim" ? "000" : "2936");
    api.setMtDelivery((cmd, sim) => (sim.sid === this.#sim.sid ? this.#deliverMt(cmd) : "stored"));
    this.#off.push(modem.events.on("smsSent", (sms) => this.#onMo(sms)));
    const every = o.trafficEveryMs ?? 5000;
    const tick = () => {
      this.tick();
      this.#timer = this.#clock.setTimeout(tick, every);
    };
    this.#timer = this.#clock.setTimeout(tick, every);
  }

  stop(): void {
    this.#clock.clearTimeout(this.#timer);
    for (const off of this.#off) off();
    this.#api.setMtDelivery(undefined);
  }

  /** One traffic interval: data counted and the session kept while attached, closed when not. */
  tick(): void {
    const w = this.#modem.world;
    const attached = w.settings.cfun === 1 && w.sim.present && w.net.attached && [1, 5].includes(w.net.eps);
    const now = new Date(this.#clock.now());
    if (!attached) {
      if (this.#session) this.#session.end = now;
      this.#session = undefined;
      return;
    }
    if (this.#session === undefined) {
      this.#session = {
        sid: newSid("WN"),
        simSid: this.#sim.sid,
        radioLink: RADIO[w.net.rat],
        operatorMcc: w.net.mcc,
        operatorMnc: w.net.mnc,
        operatorCountry: w.net.mcc === "310" || w.net.mcc === "311" ? "USA" : "",
        operatorName: w.net.longName,
        cellId: `${w.net.mcc}-${w.net.mnc}-${w.net.tac}-${w.net.ci}`,
        cellLocation: null,
        packetsUploaded: 0,
        packetsDownloaded: 0,
        lastUpdated: now,
        start: now,
        end: null,
        imei: this.#modem.personality.imei,
      };
      this.#api.store.dataSessions.push(this.#session);
    }
    this.#session.packetsUploaded += 20;
    this.#session.packetsDownloaded += 60;
    this.#session.lastUpdated = now;
    this.#api.store.traffic.push({ kind: "data", simSid: this.#sim.sid, at: now.getTime(), upload: 2_000, download: 8_000 });
  }

  #deliverMt(cmd: CommandRecord): MtOutcome {
    const sid = cmd.commandMode === "text" && cmd.includeSid !== "none" ? { sid: cmd.sid, sidAt: cmd.includeSid } : {};
    const content =
      cmd.commandMode === "binary" ? { data: Uint8Array.from(Buffer.from(cmd.command, "base64")) } : { text: cmd.command };
    try {
      const r = this.#modem.sendFromNetwork({ from: this.#shortCode, ...content, ...sid });
      return r.includes("held") ? "held" : "stored";
    } catch (err) {
      this.#log.warn({ err: describeError(err) }, "MT Command not deliverable");
      return "failed";
    }
  }

  #onMo(sms: SentSms): void {
    if (sms.pdu === undefined) return;
    let pdu;
    try {
      pdu = decodePdu(sms.pdu);
    } catch (err) {
      this.#log.warn({ err: describeError(err) }, "MO SMS not decodable: dropped by the network");
      return;
    }
    if (pdu.type !== "submit" || pdu.recipient.replace(/\D/g, "") !== this.#shortCode) return;
    const binary = pdu.encoding === "8bit";
    this.#api.receiveMo(
      this.#sim.sid,
      binary ? { base64: Buffer.from(pdu.data ?? []).toString("base64") } : { text: pdu.text ?? "" },
    );
  }
}
