import {
  findSimByIccid,
  collect,
  type ApiClient,
  type ApiProduct,
  type Command,
  type PageOptions,
  type Sim,
} from "../api/index.js";
import { CellgateError } from "../core/index.js";

/** A SIM the operator asks: what the API says of it. */
export interface Target {
  sid: string;
  uniqueName: string | null;
  iccid: string | null;
  status: string | null;
}

export interface SimChange {
  status?: string;
  resetConnectivity?: boolean;
  /** Called when the change has finished (the operator's `remote serve`). */
  callbackUrl?: string;
  /** Programmable Wireless: where the SIM's MO Commands (the gateway's replies) are POSTed. */
  commandsCallbackUrl?: string;
}

const asTarget = (s: Sim): Target => ({ sid: s.sid, uniqueName: s.uniqueName, iccid: s.iccid, status: s.status });

/**
 * The part of the Wireless API (Programmable Wireless Commands, or Super SIM SmsCommands) the
 * operator's tool uses, one shape for both products.
 */
export class FleetApi {
  readonly product: ApiProduct;

  constructor(readonly client: ApiClient) {
    this.product = client.supersim ? "super-sim" : "programmable-wireless";
  }

  /**
   * Creates the MT Command. Programmable Wireless: IncludeSid=end, so the gateway also knows the
   * Command's SID (its inbox drops a re-delivery by it); the signed text leaves room for it.
   */
  create(sim: string, text: string, callbackUrl?: string): Promise<Command> {
    const cb = callbackUrl ? { callbackUrl, callbackMethod: "POST" as const } : {};
    if (this.client.supersim) return this.client.supersim.createSmsCommand({ sim, payload: text, ...cb });
    return this.#wireless().createCommand({ sim, command: text, includeSid: "end", ...cb });
  }

  /** Commands newest first (as the API lists them), MO (`from_sim`: replies) or MT (`to_sim`). */
  list(direction: "from_sim" | "to_sim", f: { sim?: string; status?: string }, o: PageOptions = {}): AsyncGenerator<Command> {
    const filter = { direction, ...(f.sim ? { sim: f.sim } : {}), ...(f.status ? { status: f.status } : {}) };
    if (this.client.supersim) return this.client.supersim.listSmsCommands(filter, o);
    return this.#wireless().listCommands(filter, o);
  }

  fetchCommand(sid: string): Promise<Command> {
    return this.client.supersim ? this.client.supersim.fetchSmsCommand(sid) : this.#wireless().fetchCommand(sid);
  }

  async fetchSim(ref: string): Promise<Target> {
    return asTarget(await (this.client.supersim ? this.client.supersim.fetchSim(ref) : this.#wireless().fetchSim(ref)));
  }

  /** A SIM by SID, unique name or ICCID (as a modem or the API writes it). */
  async findSim(ref: string): Promise<Target> {
    if (!/^89[0-9]{17,18}F?$/i.test(ref)) return this.fetchSim(ref);
    const list = (iccid: string) => collect(this.#listSims({ iccid }, { limit: 1 }));
    return asTarget(await findSimByIccid(list, ref));
  }

  /** Every SIM of the account that the filter keeps (status; rate plan or fleet). */
  async allSims(filter: Record<string, string>): Promise<Target[]> {
    const known = this.client.supersim ? ["status", "fleet"] : ["status", "rate-plan"];
    const bad = Object.keys(filter).filter((k) => !known.includes(k));
    if (bad.length > 0)
      throw new CellgateError(
        "CG_ERR_CLI_USAGE",
        `--filter ${bad.join(", ")}: this product filters SIMs by ${known.map((k) => `${k}=…`).join(" or ")}`,
      );
    const f = { status: filter.status, ratePlan: filter["rate-plan"], fleet: filter.fleet };
    return (await collect(this.#listSims(f, { pageSize: 1000 }))).map(asTarget);
  }

  async updateSim(sid: string, c: SimChange): Promise<Target> {
    const cb = c.callbackUrl ? { callbackUrl: c.callbackUrl, callbackMethod: "POST" as const } : {};
    if (this.client.supersim) {
      if (c.resetConnectivity || c.commandsCallbackUrl)
        throw new CellgateError(
          "CG_ERR_CLI_USAGE",
          c.resetConnectivity
            ? "Super SIM has no Reset Connectivity in its API: change the SIM's status, or reset the modem with a Command"
            : "Super SIM's MO Commands go to the Fleet's sms_commands_url, not a SIM's: set it on the Fleet",
        );
      return asTarget(await this.client.supersim.updateSim(sid, { ...(c.status ? { status: c.status } : {}), ...cb }));
    }
    return asTarget(
      await this.#wireless().updateSim(sid, {
        ...(c.status ? { status: c.status } : {}),
        ...(c.resetConnectivity ? { resetStatus: "resetting" as const } : {}),
        ...(c.commandsCallbackUrl ? { commandsCallbackUrl: c.commandsCallbackUrl, commandsCallbackMethod: "POST" as const } : {}),
        ...cb,
      }),
    );
  }

  /** The SIM's full record, reset status included (what a wait follows). */
  async simState(sid: string): Promise<{ status: string | null; resetStatus: string | null }> {
    const s = this.client.supersim ? await this.client.supersim.fetchSim(sid) : await this.#wireless().fetchSim(sid);
    return { status: s.status, resetStatus: s.resetStatus };
  }

  #listSims(
    f: { status?: string | undefined; iccid?: string; ratePlan?: string | undefined; fleet?: string | undefined },
    o: PageOptions,
  ) {
    const clean = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Record<string, string>;
    if (this.client.supersim) return this.client.supersim.listSims(clean, o);
    return this.#wireless().listSims(clean, o);
  }

  #wireless() {
    if (!this.client.wireless) throw new Error("no Programmable Wireless client");
    return this.client.wireless;
  }
}
