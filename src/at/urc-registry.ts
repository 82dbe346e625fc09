/**
 * Unsolicited result codes: which lines are URCs, and how many lines after them belong to
 * them (`+CMT:` carries its PDU on the next line). A prefix URC such as `+CREG:` is also the
 * reply to `AT+CREG?`, so it counts as a URC only while no command of that name is in
 * flight (gammu's rule; ModemManager decides the same thing by context) — including as one
 * part of a compound line (`AT+CSQ;+CREG?`).
 */
export interface UrcSpec {
  /** `+CMTI:`-style prefix, or an exact line such as `RDY` when `exact` is set. */
  match: string;
  exact?: boolean;
  /** Lines after the first that belong to this URC (`+CMT:` and `+CDS:` take 1). */
  trailingLines?: number;
  /**
   * Commands whose reply uses the same prefix. Default for a `+XYZ:` prefix: any command that
   * starts with `AT+XYZ`. `null`: never part of a reply.
   */
  solicitedBy?: RegExp | null;
  /**
   * The URC's own shape, for a prefix that is also a reply: a line of this shape is a URC even
   * while its command is in flight, because the reply never looks like it (`+CEREG: 2`, the n=1
   * URC, between `AT+CEREG?` and its `+CEREG: 1,2`).
   */
  unsolicitedShape?: RegExp;
}

export interface Urc {
  /** The match string of the spec that claimed it (`+CMTI:`, `RDY`). */
  name: string;
  line: string;
  trailing: string[];
}

interface Entry {
  spec: UrcSpec;
  solicitedBy: RegExp | null;
}

function defaultSolicitedBy(spec: UrcSpec): RegExp | null {
  if (spec.solicitedBy !== undefined) return spec.solicitedBy;
  const m = /^([+^#$%*][A-Z0-9]+):$/i.exec(spec.match);
  if (m === null) return null;
  const name = m[1]!.replace(/[+^$*]/g, (c) => `\\${c}`);
  return new RegExp(`^AT${name}(?![A-Z0-9])`, "i");
}

export class UrcRegistry {
  #prefix: Entry[] = [];
  #exact = new Map<string, Entry>();

  constructor(specs: readonly UrcSpec[] = []) {
    for (const s of specs) this.register(s);
  }

  register(spec: UrcSpec): void {
    const entry = { spec, solicitedBy: defaultSolicitedBy(spec) };
    if (spec.exact) {
      this.#exact.set(spec.match, entry);
    } else {
      this.#prefix = this.#prefix.filter((e) => e.spec.match !== spec.match);
      this.#prefix.push(entry);
    }
  }

  /** The spec claiming `line` as a URC, given the command in flight (if any). */
  match(line: string, inFlight?: string): UrcSpec | undefined {
    const text = line.trim();
    const exact = this.#exact.get(text);
    if (exact !== undefined && !(inFlight !== undefined && exact.spec.solicitedBy?.test(inFlight))) return exact.spec;
    if (exact !== undefined) return undefined;
    for (const e of this.#prefix) {
      if (!text.startsWith(e.spec.match)) continue;
      const by = e.solicitedBy;
      const solicited = inFlight !== undefined && by !== null && commandSegments(inFlight).some((c) => by.test(c));
      if (solicited && !e.spec.unsolicitedShape?.test(text)) return undefined;
      return e.spec;
    }
    return undefined;
  }
}

/**
 * The commands of one command line, each as `AT<command>`: `AT+CSQ;+CREG?` is `AT+CSQ` and
 * `AT+CREG?` (V.250 §5.4.3: extended commands are separated by `;`, never inside quotes).
 */
export function commandSegments(line: string): string[] {
  const body = line.replace(/^\s*AT/i, "");
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of body) {
    if (ch === '"') quoted = !quoted;
    if (ch === ";" && !quoted) {
      out.push(`AT${cur.trim()}`);
      cur = "";
    } else cur += ch;
  }
  out.push(`AT${cur.trim()}`);
  return out;
}

/**
 * A registration URC (27.007 §7.2, §10.1.20, §10.1.22, +C5GREG): `<stat>` alone (n=1), or `<stat>` then a
 * quoted or empty location (n=2..5). The reply to the read starts with two numbers, `<n>,<stat>`.
 */
function registrationUrc(match: string): UrcSpec {
  return { match, unsolicitedShape: new RegExp(`^\\${match}\\s*\\d+\\s*(?:,\\s*(?:"|,|$)|$)`) };
}

/**
 * URCs every 27.007/27.005 modem may send, plus boot banners from the common vendors. Vendor
 * profiles register their own on top (ModemManager keeps vendor URCs in the plugins).
 */
export const STANDARD_URCS: readonly UrcSpec[] = [
  { match: "RING", exact: true },
  { match: "+CRING:" },
  { match: "+CLIP:" },
  { match: "+CCWA:" },
  { match: "+CMTI:", solicitedBy: null },
  { match: "+CMT:", trailingLines: 1, solicitedBy: null },
  { match: "+CDSI:", solicitedBy: null },
  { match: "+CDS:", trailingLines: 1, solicitedBy: null },
  { match: "+CBM:", trailingLines: 1, solicitedBy: null },
  { match: "+CIEV:" },
  registrationUrc("+CREG:"),
  registrationUrc("+CGREG:"),
  registrationUrc("+CEREG:"),
  registrationUrc("+C5GREG:"),
  { match: "+CGEV:" },
  { match: "+CUSD:" },
  { match: "+CTZV:" },
  { match: "+CTZE:" },
  { match: "+CTZEU:" },
  { match: "+CPIN:" },
  { match: "+CFUN:" },
  { match: "RDY", exact: true },
  { match: "SMS Ready", exact: true },
  { match: "SMS DONE", exact: true },
  { match: "Call Ready", exact: true },
  { match: "PB DONE", exact: true },
  { match: "NORMAL POWER DOWN", exact: true },
  { match: "POWERED DOWN", exact: true },
  { match: "^SMMEMFULL", exact: true },
  { match: "^SMMEMFULL:" },
  { match: "^RSSI:" },
  { match: "^MODE:" },
  { match: "^BOOT:" },
];
