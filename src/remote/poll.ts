import type { Command } from "../api/index.js";
import type { FleetApi } from "./fleet-api.js";

/** Asking the API per SIM beats reading the account's whole list up to this many SIMs. */
const PER_SIM_UP_TO = 10;
/** Date-times have whole seconds: each round reads back this far past the last one, and drops what it saw. */
const OVERLAP_MS = 2000;

export interface PolledReply {
  sim: string;
  text: string;
  commandSid: string;
}

/**
 * Reads the replies (MO Commands, `Direction=from_sim`) created since the requests were sent:
 * newest first, page after page, stopping at the first one older than the last round's newest
 * (less an overlap, since the API's times have whole seconds), so a round of a 10,000-SIM run
 * reads only what is new. A few SIMs are asked one by one (`Sim=`), a fleet through the
 * account's list. Failed deliveries (`to_sim`, `Status=failed`) are read the same way.
 */
export class ReplyPoller {
  readonly #api: FleetApi;
  readonly #sims: readonly string[];
  readonly #since: number;
  readonly #seen = new Set<string>();
  readonly #marks = new Map<string, number>();

  /** `since`: the API's time of the first Command (its clock, not ours), less a margin. */
  constructor(api: FleetApi, sims: readonly string[], since: number) {
    this.#api = api;
    this.#sims = sims;
    this.#since = since;
  }

  /** One round: the replies not seen before, and the Commands whose delivery failed. */
  async round(): Promise<{ replies: PolledReply[]; failed: Command[] }> {
    const scopes: Array<string | undefined> = this.#sims.length <= PER_SIM_UP_TO ? [...this.#sims] : [undefined];
    const replies: PolledReply[] = [];
    const failed: Command[] = [];
    for (const sim of scopes) {
      for (const c of await this.#read("from_sim", sim, undefined)) {
        if (c.simSid !== null && c.command !== null) replies.push({ sim: c.simSid, text: c.command, commandSid: c.sid });
      }
      failed.push(...(await this.#read("to_sim", sim, "failed")));
    }
    return { replies, failed };
  }

  async #read(direction: "from_sim" | "to_sim", sim: string | undefined, status: string | undefined): Promise<Command[]> {
    const scope = `${direction}/${sim ?? "*"}/${status ?? "*"}`;
    // A Command fails after it was created: failures are read back to the start every round (they are few).
    const mark = status === undefined ? (this.#marks.get(scope) ?? -Infinity) - OVERLAP_MS : -Infinity;
    const floor = Math.max(this.#since, mark);
    let newest = this.#marks.get(scope) ?? -Infinity;
    const out: Command[] = [];
    const pageSize = sim === undefined ? 1000 : 50;
    for await (const c of this.#api.list(direction, { ...(sim ? { sim } : {}), ...(status ? { status } : {}) }, { pageSize })) {
      const at = Date.parse(c.dateCreated ?? "");
      if (!Number.isNaN(at) && at < floor) break; // newest first: the rest was read in an earlier round
      if (!Number.isNaN(at)) newest = Math.max(newest, at);
      const key = `${direction}:${c.sid}:${status ?? ""}`;
      if (this.#seen.has(key)) continue;
      this.#seen.add(key);
      out.push(c);
    }
    this.#marks.set(scope, newest);
    return out;
  }
}
