import { CellgateError, describeError, silentLogger, type Logger } from "../core/index.js";
import { collect } from "./paging.js";
import type { Alert, MonitorResources } from "./resources/monitor.js";
import type { SuperSimResources } from "./resources/supersim.js";
import type { DataSession, Sim, UsageRecord } from "./resources/types.js";
import type { WirelessResources } from "./resources/wireless.js";

export type ApiProduct = "programmable-wireless" | "super-sim";

/** The carrier's view of one SIM: what `cellgate sim` prints and the health rules read. */
export interface CarrierView {
  product: ApiProduct;
  sim: { sid: string; uniqueName: string | null; iccid: string | null; status: string | null; resetStatus: string | null };
  /** The rate plan (Programmable Wireless) or the Fleet (Super SIM). */
  plan: {
    sid: string;
    name: string | null;
    dataEnabled: boolean | null;
    dataLimitMb: number | null;
    messagingEnabled: boolean | null;
    nationalRoamingEnabled: boolean | null;
    internationalRoaming: string[];
  } | null;
  /** This calendar month (UTC) so far. */
  usage: {
    periodStart: string;
    periodEnd: string;
    dataBytes: number | null;
    uploadBytes: number | null;
    downloadBytes: number | null;
    /** The plan's monthly limit in bytes (MB × 1,000,000), when it has one. */
    limitBytes: number | null;
    percentOfLimit: number | null;
    commandsFromSim: number | null;
    commandsToSim: number | null;
  } | null;
  lastDataSession: {
    radioLink: string | null;
    operatorName: string | null;
    operatorMcc: string | null;
    operatorMnc: string | null;
    cellId: string | null;
    start: string | null;
    end: string | null;
    lastUpdated: string | null;
    open: boolean;
  } | null;
  /**
   * The latest attach the carrier refused for rate limiting (Twilio 83703, Super SIM) in the last
   * hour, from the Monitor API's alerts; null when none; absent where the view does not read alerts.
   */
  attachThrottled?: { at: string; text: string | null } | null;
  /** Parts that could not be read, with why. */
  errors: Partial<Record<"plan" | "usage" | "lastDataSession" | "alerts", string>>;
}

/** Twilio's Super SIM error: "Attachment Rejected Due To Rate Limiting". */
export const ATTACH_RATE_LIMITED = "83703";
const ALERTS_LOOKBACK_MS = 3_600_000;

/**
 * An ICCID as modems give it, made comparable: quotes and spaces gone, upper case, a trailing F
 * filler dropped; 19 or 20 characters starting 89.
 */
export function normalizeIccid(raw: string): string {
  let v = raw.trim().replace(/^"|"$/g, "").toUpperCase();
  if (v.length === 20 && v.endsWith("F")) v = v.slice(0, 19);
  if (!/^89[0-9A-F]{17,18}$/.test(v))
    throw new CellgateError("CG_ERR_API_CONFIG", `not an ICCID (19 or 20 characters starting 89): ${JSON.stringify(raw)}`, {
      raw,
    });
  return v;
}

function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function latestSession(sessions: DataSession[]): DataSession | undefined {
  const when = (s: DataSession) => Date.parse(s.lastUpdated ?? s.end ?? s.start ?? "") || 0;
  return [...sessions].sort((a, b) => when(b) - when(a))[0];
}

function sumUsage(records: UsageRecord[]) {
  const sum = (f: (r: UsageRecord) => number | null | undefined) =>
    records.some((r) => f(r) != null) ? records.reduce((a, r) => a + (f(r) ?? 0), 0) : null;
  return {
    dataBytes: sum((r) => r.data.total),
    uploadBytes: sum((r) => r.data.upload),
    downloadBytes: sum((r) => r.data.download),
    commandsFromSim: sum((r) => r.commands.fromSim),
    commandsToSim: sum((r) => r.commands.toSim),
  };
}

/** Looks a SIM up by ICCID; a 20-digit ICCID is also tried without its last (check) digit. */
export async function findSimByIccid(list: (iccid: string) => Promise<Sim[]>, iccid: string): Promise<Sim> {
  const norm = normalizeIccid(iccid);
  for (const candidate of norm.length === 20 ? [norm, norm.slice(0, 19)] : [norm]) {
    const [sim] = await list(candidate);
    if (sim !== undefined) return sim;
  }
  throw new CellgateError("CG_ERR_API_NOT_FOUND", `no SIM with ICCID ${norm} in this account`, { iccid: norm });
}

export interface CarrierApi {
  readonly product: ApiProduct;
  view(iccid: string, now?: Date): Promise<CarrierView>;
}

/** Programmable Wireless: Sim, its RatePlan, this month's UsageRecords, its DataSessions. */
export class WirelessCarrier implements CarrierApi {
  readonly product = "programmable-wireless";

  constructor(
    readonly api: WirelessResources,
    readonly log: Logger = silentLogger,
  ) {}

  async view(iccid: string, now = new Date()): Promise<CarrierView> {
    const sim = await findSimByIccid((i) => collect(this.api.listSims({ iccid: i }, { limit: 1 })), iccid);
    const v: CarrierView = {
      product: this.product,
      sim: simPart(sim),
      plan: null,
      usage: null,
      lastDataSession: null,
      errors: {},
    };
    await part(v, "plan", this.log, async () => {
      if (sim.ratePlanSid === null) return;
      const p = await this.api.fetchRatePlan(sim.ratePlanSid);
      v.plan = {
        sid: p.sid,
        name: p.uniqueName ?? p.friendlyName,
        dataEnabled: p.dataEnabled,
        dataLimitMb: p.dataLimitMb,
        messagingEnabled: p.messagingEnabled,
        nationalRoamingEnabled: p.nationalRoamingEnabled,
        internationalRoaming: p.internationalRoaming,
      };
    });
    await part(v, "usage", this.log, async () => {
      const start = monthStart(now);
      const records = await collect(this.api.simUsageRecords(sim.sid, { start, end: now, granularity: "all" }));
      v.usage = usagePart(records, start, now, v.plan?.dataLimitMb ?? null);
    });
    await part(v, "lastDataSession", this.log, async () => {
      const s = latestSession(await collect(this.api.dataSessions(sim.sid, { limit: 200 })));
      if (s) v.lastDataSession = sessionPart(s);
    });
    return v;
  }
}

/**
 * Super SIM: Sim, its Fleet (data limit, SMS Commands), this month's UsageRecords, and (with the
 * Monitor API) the attaches refused for rate limiting; no data sessions in v1.
 */
export class SuperSimCarrier implements CarrierApi {
  readonly product = "super-sim";

  constructor(
    readonly api: SuperSimResources,
    readonly log: Logger = silentLogger,
    readonly monitor?: MonitorResources,
  ) {}

  async view(iccid: string, now = new Date()): Promise<CarrierView> {
    const sim = await findSimByIccid((i) => collect(this.api.listSims({ iccid: i }, { limit: 1 })), iccid);
    const v: CarrierView = {
      product: this.product,
      sim: simPart(sim),
      plan: null,
      usage: null,
      lastDataSession: null,
      errors: {},
    };
    await part(v, "plan", this.log, async () => {
      if (!sim.fleetSid) return;
      const f = await this.api.fetchFleet(sim.fleetSid);
      v.plan = {
        sid: f.sid,
        name: f.uniqueName,
        dataEnabled: f.dataEnabled,
        dataLimitMb: f.dataLimitMb,
        messagingEnabled: f.smsCommandsEnabled,
        nationalRoamingEnabled: null,
        internationalRoaming: [],
      };
    });
    await part(v, "usage", this.log, async () => {
      const start = monthStart(now);
      v.usage = usagePart(
        await collect(this.api.usageRecords({ sim: sim.sid, start, end: now, granularity: "all" })),
        start,
        now,
        v.plan?.dataLimitMb ?? null,
      );
    });
    const monitor = this.monitor;
    if (monitor !== undefined)
      await part(v, "alerts", this.log, async () => {
        const alerts = monitor.listAlerts(
          { start: new Date(now.getTime() - ALERTS_LOOKBACK_MS), logLevel: "error" },
          { limit: 500 },
        );
        v.attachThrottled = latestThrottle(await collect(alerts), sim.sid);
      });
    return v;
  }
}

/**
 * The newest 83703 alert for this SIM: logged against its SID (resource_sid), or naming it in its
 * text where an alert carries no resource.
 */
function latestThrottle(alerts: Alert[], simSid: string): CarrierView["attachThrottled"] {
  const mine = alerts.filter(
    (a) => a.errorCode === ATTACH_RATE_LIMITED && a.at !== null && (a.resourceSid === simSid || a.alertText?.includes(simSid)),
  );
  const last = mine.sort((a, b) => Date.parse(b.at!) - Date.parse(a.at!))[0];
  return last ? { at: last.at!, text: last.alertText } : null;
}

function simPart(s: Sim): CarrierView["sim"] {
  return { sid: s.sid, uniqueName: s.uniqueName, iccid: s.iccid, status: s.status, resetStatus: s.resetStatus };
}

function usagePart(records: UsageRecord[], start: Date, now: Date, limitMb: number | null): NonNullable<CarrierView["usage"]> {
  const s = sumUsage(records);
  const limitBytes = limitMb !== null && limitMb > 0 ? limitMb * 1_000_000 : null;
  return {
    periodStart: start.toISOString(),
    periodEnd: now.toISOString(),
    ...s,
    limitBytes,
    percentOfLimit: limitBytes !== null && s.dataBytes !== null ? Math.round((s.dataBytes / limitBytes) * 1000) / 10 : null,
  };
}

function sessionPart(s: DataSession): NonNullable<CarrierView["lastDataSession"]> {
  return {
    radioLink: s.radioLink,
    operatorName: s.operatorName,
    operatorMcc: s.operatorMcc,
    operatorMnc: s.operatorMnc,
    cellId: s.cellId,
    start: s.start,
    end: s.end,
    lastUpdated: s.lastUpdated,
    open: s.end === null,
  };
}

/** A part of the view that fails is reported in `errors`; the SIM itself must be found. */
async function part(v: CarrierView, key: keyof CarrierView["errors"], log: Logger, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    log.warn({ part: key, err: describeError(err) }, "carrier view incomplete");
    v.errors[key] = describeError(err);
  }
}
