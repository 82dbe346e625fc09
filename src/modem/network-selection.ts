import { isRefusal, type AtPort } from "../at/index.js";
import { decodePlmnList, parseCopsRead, parseCrsm, simOk } from "./parsers/index.js";

/** How the module picks its network: the two things that keep it off a network that would take the SIM. */
export interface Selection {
  /** +COPS <mode> 1: locked by hand to one network; no other is tried (TS 23.122 manual selection). */
  manual: boolean;
  /** EF_FPLMN's networks, which automatic selection never picks; null when the module or the SIM would not say. */
  forbidden: string[] | null;
}

/** EF_FPLMN (TS 31.102 §4.2.16, 6F7B) and the 12 bytes (four networks) every SIM has of it. */
const EF_FPLMN = 28539;
const FPLMN_BYTES = 12;
/** A network search after AT+COPS=0 takes up to 180 s (EC25, SIM7600 manuals). */
const SEARCH_MS = 180_000;

/**
 * Network selection as the field fixes a module that stays off the network (field failure 12):
 * read +COPS? and EF_FPLMN; put automatic selection back and empty the forbidden list, reading
 * it back, since some SIMs accept the write and keep their bytes (fc-pcsc-tools notes). The
 * module reads EF_FPLMN when its radio comes on: a radio cycle after the write makes it count.
 */
export class NetworkSelection {
  constructor(private readonly port: AtPort) {}

  async read(): Promise<Selection> {
    const op = parseCopsRead((await this.port.command("AT+COPS?")).lines);
    return { manual: op.mode === 1, forbidden: await this.forbidden() };
  }

  async forbidden(): Promise<string[] | null> {
    try {
      const r = parseCrsm((await this.port.command(`AT+CRSM=176,${EF_FPLMN},0,0,${FPLMN_BYTES}`)).lines);
      return simOk(r) ? decodePlmnList(r.data) : null;
    } catch (err) {
      if (isRefusal(err)) return null;
      throw err;
    }
  }

  /** Undoes what `s` found; returns what was done, in words, and whether all of it held. */
  async reset(s: Selection): Promise<{ ok: boolean; done: string[] }> {
    const done: string[] = [];
    let ok = true;
    if (s.manual) {
      await this.port.command("AT+COPS=0", { timeoutMs: SEARCH_MS });
      done.push("automatic network selection (AT+COPS=0; it was manual)");
    }
    if (s.forbidden !== null && s.forbidden.length > 0) {
      const w = parseCrsm(
        (await this.port.command(`AT+CRSM=214,${EF_FPLMN},0,0,${FPLMN_BYTES},"${"F".repeat(FPLMN_BYTES * 2)}"`)).lines,
      );
      const after = simOk(w) ? await this.forbidden() : null;
      ok = after !== null && after.length === 0;
      done.push(
        !simOk(w)
          ? `forbidden-network list not cleared: the SIM answered ${w.sw1},${w.sw2}`
          : ok
            ? `forbidden-network list cleared (it held ${s.forbidden.join(", ")})`
            : `forbidden-network list written, but the SIM still holds ${after?.join(", ") ?? "an unreadable list"}`,
      );
    }
    return { ok, done };
  }
}
