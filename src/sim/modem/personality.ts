import type { CommandTable, Ctx } from "./at-handlers/types.js";
import type { Memory } from "./sms-store.js";
import type { Network, Settings, SimRat } from "./state.js";

/**
 * One simulated module, written from its vendor's AT manual (each personality file cites the
 * manual section behind each answer). Nothing here is shaped by what cellgate's engine sends:
 * the module answers what its manual says it answers, and refuses the rest.
 */
export interface Personality {
  /** `quectel-ec25`, `nordic-nrf9160`… (what `--personality` takes). */
  id: string;
  /** "Quectel EC25", for people. */
  title: string;
  /** The manual (title, version, date) and other sources the file was written from. */
  sources: string;
  manufacturer: string;
  model: string;
  revision: string;
  imei: string;
  /** The radios it has; the simulated network serves one of them. */
  rats: readonly SimRat[];
  /** The radio it camps on by default (the first of `rats` when absent). */
  defaultRat?: SimRat;
  /** The manual's typical timing: reply delay and boot time (a test may shorten them). */
  timing?: { replyMs: number; bootMs: number };
  /** What the module prints after power-on or a reset, in order (one URC each). */
  bootBanners: readonly string[];
  /** Settings right after boot (echo, +CMEE, +CNMI, +CFUN… as the manual's defaults say). */
  defaults: Partial<Settings>;
  /** What survives a restart (what the manual says is kept in NVM or saved automatically). */
  keptOnReboot?: (before: Settings) => Partial<Settings>;
  /**
   * What the module does with bytes before `AT` on a command line (a stray ESC, noise):
   * `ignore` them, or take the line as invalid and answer `ERROR` (V.250 lets it do either).
   */
  junkBeforeAt: "ignore" | "error";
  /** Command lines that restart the module (what still reaches one that is hung until reset). */
  resets: readonly string[];
  /** The SMS prompt after AT+CMGS (`"> "`, `">"`), or null: no prompt, the PDU follows the line's CR. */
  prompt: string | null;
  /** Verbose +CME/+CMS texts where the module's wording differs from 27.007/27.005. */
  errorText?: (kind: "cme" | "cms", code: number) => string | undefined;
  sms: SmsBehaviour;
  /** Every command it answers; anything else answers plain ERROR (the module is strict). */
  commands(ctx: Ctx): CommandTable;
  /**
   * The +CGEV line the module prints when the network deactivates its default bearer (once +CGEREP
   * asks for URCs), where its manual gives a form other than 27.007's `+CGEV: NW PDN DEACT <cid>`.
   */
  networkTeardown?: (cid: number, address: string) => string;
  /** URCs the module prints when the network changes (registration, signal, RAT…), per its settings. */
  networkChanged(ctx: Ctx, before: Network): string[];
}

export interface SmsBehaviour {
  /** Memories and their capacity; empty when the module cannot store SMS at all. */
  memories: Partial<Record<Memory, number>>;
  /** The index of a memory's first slot (27.005 leaves it to the module: 0 on some, 1 on others). */
  firstIndex?: 0 | 1;
  /** The memory new messages go to after boot (the manual's +CPMS default). */
  defaultMemory?: Memory;
  /** The header line of a +CMT in PDU mode (`+CMT: ,<len>`, `+CMT: "",<len>`, `+CMT: "<oa>",<len>`). */
  cmtHeader(tpduLength: number, originator: string): string;
  /**
   * +CMT/+CDS must be acknowledged with +CNMA: `csms1` only after AT+CSMS=1 (27.005), `always`
   * when the module requires it whatever +CSMS says, `never` when it acknowledges by itself.
   */
  ack: "csms1" | "always" | "never";
  /** How long the network waits for the acknowledgement. */
  ackTimeoutMs: number;
  /**
   * A missed acknowledgement: the network will deliver the message again later; the module turns
   * routing off (+CNMI <mt>/<ds> 0, 27.005 §3.4.1) and may say so with these URCs.
   */
  ackTimeoutUrcs: readonly string[];
  /** What AT+CNMA answers when nothing is owed (27.005: +CMS ERROR 340). */
  unexpectedAck: { cms: number };
  /** The URC the module prints when a message finds its memory full (Quectel +QIND: "smsfull"). */
  fullUrc?: (memory: Memory) => string;
}

/** An SMS acknowledgement that cannot be owed: a module with no +CNMA. */
export const NO_ACK_TIMEOUT = 0;
