import { isRefusal, type AtPort } from "../at/index.js";
import { describeError, type Logger } from "../core/index.js";
import { parseCgactRead, parseCgdcontRead } from "./parsers/index.js";
import type { VendorProfile } from "./vendors/index.js";

/** Who brings the data bearer up: the module's own interface, pppd on a second tty, or someone else (ModemManager). */
export type BearerMode = "module" | "ppp" | "external";

export interface BearerConfig {
  mode: BearerMode;
  apn: string;
  ipType: "IP" | "IPV6" | "IPV4V6";
  /** The context id; default the module's (1, or 0 on Nordic). */
  cid?: number;
}

export interface BearerOutcome {
  ok: boolean;
  detail: string;
}

/** 27.007 / the manuals: +CGATT up to 75 s, +CGACT up to 150 s; a loaded network answers well within a minute. */
const SLOW_MS = 60_000;

/**
 * The data bearer as the modem sees it: the PDP context for the product (APN, IP type, cid),
 * the module's own interface brought up (Quectel +QNETDEVCTL, SIMCom $QCRMCALL / +CNACT, Telit
 * #ECM; +CGACT where the module has none), and the AT steps of the data-path ladder: re-activate
 * or detach and attach again, the airplane cycle. In `ppp` mode pppd dials on another tty and
 * in `external` mode ModemManager owns the bearer: then only the ladder's AT steps are sent.
 */
export class DataBearer {
  constructor(
    private readonly port: AtPort,
    private readonly profile: () => VendorProfile,
    private readonly log: Logger,
  ) {}

  cid(c: BearerConfig): number {
    return c.cid ?? this.profile().bearer.cid;
  }

  /**
   * The context for the product (written only when it differs: a write resets an active bearer
   * on some modules), then the bearer up. Returns what was done and the stray contexts seen
   * (other contexts with an address: data may leave through the wrong one).
   */
  async setup(c: BearerConfig): Promise<BearerOutcome & { stray: number[] }> {
    if (c.mode === "external") return { ok: true, detail: "bearer managed elsewhere (ModemManager): not touched", stray: [] };
    const cid = this.cid(c);
    const contexts = parseCgdcontRead((await this.port.command("AT+CGDCONT?")).lines);
    const mine = contexts.find((x) => x.cid === cid);
    // Active per +CGACT? (Quectel and SIMCom show 0.0.0.0 in +CGDCONT? even while a context is up), else an address.
    const actives = await this.actives();
    const stray = contexts
      .filter((x) => x.cid !== cid && (actives?.get(x.cid) === true || (x.address !== undefined && !/^0[.:0]*$/.test(x.address))))
      .map((x) => x.cid);
    let detail = `context ${cid} "${c.apn}" (${c.ipType}) already set`;
    if (mine?.apn.toLowerCase() !== c.apn.toLowerCase() || mine.type.toUpperCase() !== c.ipType) {
      await this.port.command(`AT+CGDCONT=${cid},"${c.ipType}","${c.apn}"`);
      detail = `context ${cid} set to "${c.apn}" (${c.ipType}), was ${mine ? `"${mine.apn}" (${mine.type})` : "undefined"}`;
    }
    if (c.mode === "ppp") return { ok: true, detail: `${detail}; pppd dials it on the data tty`, stray };
    const up = await this.up(c);
    return { ok: up.ok, detail: `${detail}; ${up.detail}`, stray };
  }

  /** The module's own interface up; where it has none, the context activated with +CGACT (when allowed). */
  async up(c: BearerConfig): Promise<BearerOutcome> {
    if (c.mode !== "module") return { ok: true, detail: `bearer mode ${c.mode}: not brought up by cellgate` };
    const cid = this.cid(c);
    for (const template of this.profile().bearer.up) {
      const cmd = template.replace("{cid}", String(cid));
      try {
        await this.port.command(cmd, { timeoutMs: SLOW_MS });
        return { ok: true, detail: `${cmd} accepted` };
      } catch (err) {
        if (!isRefusal(err)) throw err;
        this.log.info({ cmd, err: describeError(err) }, "bearer command refused; trying the next");
      }
    }
    if (!this.profile().bearer.cgact) return { ok: true, detail: `context ${cid} is activated by the module at attach` };
    if ((await this.active(cid)) === true) return { ok: true, detail: `context ${cid} active` };
    await this.port.command(`AT+CGACT=1,${cid}`, { timeoutMs: SLOW_MS });
    return { ok: true, detail: `AT+CGACT=1,${cid} accepted` };
  }

  /** Whether the context is active (+CGACT?); null when the modem does not say. */
  async active(cid: number): Promise<boolean | null> {
    return (await this.actives())?.get(cid) ?? null;
  }

  /** Each defined context and whether it is active (+CGACT?); null when the modem refuses the question. */
  async actives(): Promise<Map<number, boolean> | null> {
    try {
      return parseCgactRead((await this.port.command("AT+CGACT?")).lines);
    } catch (err) {
      if (isRefusal(err)) return null;
      throw err;
    }
  }

  /**
   * The ladder's `reattach`: an inactive context is re-activated (+CGACT=1,<cid>); an active one
   * that carries nothing, or one +CGACT may not touch, is detached and attached again (+CGATT=0/1).
   */
  async reattach(c: BearerConfig): Promise<BearerOutcome> {
    const cid = this.cid(c);
    const p = this.profile().bearer;
    if (p.cgact && (await this.active(cid)) === false) {
      await this.port.command(`AT+CGACT=1,${cid}`, { timeoutMs: SLOW_MS });
      const up = await this.up(c);
      return { ok: true, detail: `context ${cid} re-activated (AT+CGACT=1,${cid}); ${up.detail}` };
    }
    await this.port.command("AT+CGATT=0", { timeoutMs: SLOW_MS });
    await this.port.command("AT+CGATT=1", { timeoutMs: SLOW_MS });
    const up = await this.up(c);
    return { ok: true, detail: `detached and attached again (AT+CGATT=0, AT+CGATT=1); ${up.detail}` };
  }

  /** The ladder's `cfun`: radio off and on again (+CFUN=4 or 0, then 1); the module registers and attaches anew. */
  async airplaneCycle(c: BearerConfig): Promise<BearerOutcome> {
    const off = this.profile().bearer.airplane;
    await this.port.command(`AT+CFUN=${off}`, { timeoutMs: SLOW_MS });
    await this.port.command("AT+CFUN=1", { timeoutMs: SLOW_MS });
    const up = await this.up(c).catch((err: unknown) => ({ ok: false, detail: `bearer not up yet: ${describeError(err)}` }));
    return { ok: true, detail: `radio cycled (AT+CFUN=${off}, AT+CFUN=1); ${up.detail}` };
  }
}
