import { newSid, type ApiStore, type FleetRecord, type RatePlanRecord, type SimRecord } from "./store.js";

/** The account's other SIMs, in every status, on both plans (so lists page and filters filter). */
function seedFleet(store: ApiStore, like: SimRecord, count: number, planSids: [string, string]): void {
  const statuses = ["active", "ready", "suspended", "deactivated", "new"];
  for (let i = 0; i < count; i++) {
    store.sims.push({
      ...like,
      sid: newSid("DE"),
      uniqueName: `gateway-${String(i + 2).padStart(4, "0")}`,
      friendlyName: `Field gateway ${i + 2}`,
      iccid: `89883070000${String(100000000 + i).slice(1)}`,
      status: statuses[i % statuses.length]!,
      ratePlanSid: planSids[i % 3 === 0 ? 1 : 0],
      // Every fourth an eUICC (it has an EID); the "new" ones still carry the registration code printed on their card.
      eId: i % 4 === 3 ? `8904903200000000000000000${String(1000 + i).padStart(7, "0")}` : null,
      ...(statuses[i % statuses.length] === "new" ? { registrationCode: `RC${String(4711 + i)}` } : {}),
    });
  }
}

/** The ICCID of fleet gateway `i` (1-based): 19 digits, apart from every other seeded SIM's. */
export function fleetIccid(i: number): string {
  return `89883071${String(i).padStart(11, "0")}`;
}

/**
 * A fleet of `n` gateways' SIMs, `gw-00001`…, all active, on a rate plan (Programmable
 * Wireless) or in a Fleet (Super SIM) of their own, `fleet-plan` / `fleet`, so that
 * `--all --filter rate-plan=fleet-plan` (or `fleet=fleet`) asks them and nothing else.
 */
export function seedGateways(
  store: ApiStore,
  n: number,
  o: { product: "programmable-wireless" | "super-sim"; like?: { planSid?: string; fleetSid?: string }; now: Date },
): SimRecord[] {
  const out: SimRecord[] = [];
  if (n === 0) return out;
  const like = o.product === "super-sim" ? store.findFleet(o.like?.fleetSid ?? "") : store.findRatePlan(o.like?.planSid ?? "");
  if (like === undefined) throw new Error("the fleet is seeded like the account's gateway plan (or Fleet), which is missing");
  const mine = {
    ...like,
    sid: newSid(o.product === "super-sim" ? "HF" : "WP"),
    uniqueName: o.product === "super-sim" ? "fleet" : "fleet-plan",
  };
  if (o.product === "super-sim") store.fleets.push(mine as FleetRecord);
  else store.ratePlans.push(mine as RatePlanRecord);
  const planSid = o.product === "super-sim" ? undefined : mine.sid;
  const fleetSid = o.product === "super-sim" ? mine.sid : undefined;
  for (let i = 1; i <= n; i++) {
    const sim: SimRecord = {
      sid: newSid(o.product === "super-sim" ? "HS" : "DE"),
      uniqueName: `gw-${String(i).padStart(5, "0")}`,
      friendlyName: o.product === "super-sim" ? null : `Fleet gateway ${i}`,
      iccid: fleetIccid(i),
      eId: null,
      ratePlanSid: planSid ?? null,
      status: "active",
      resetStatus: null,
      commandsCallbackUrl: null,
      commandsCallbackMethod: "POST",
      ...(fleetSid ? { fleetSid } : {}),
      ipAddress: null,
      dateCreated: new Date(o.now.getTime() - 30 * 86_400_000),
      dateUpdated: new Date(o.now.getTime() - 30 * 86_400_000),
    };
    store.sims.push(sim);
    out.push(sim);
  }
  return out;
}

export interface Seed {
  /** The gateway's SIM (the modem simulator's ICCID by default). */
  iccid: string;
  /** Extra SIMs in the account, so listing pages. */
  otherSims?: number;
  now: Date;
}

/**
 * An account as a gateway operator has one: a rate plan with data, messaging and roaming, the
 * gateway's SIM active on it, other SIMs, last month's and this month's traffic, a past data
 * session. Deterministic apart from SIDs.
 */
export function seedStore(store: ApiStore, seed: Seed): { sim: SimRecord; ratePlan: RatePlanRecord } {
  const t = seed.now.getTime();
  const day = 86_400_000;
  const plan: RatePlanRecord = {
    sid: newSid("WP"),
    uniqueName: "gateway-plan",
    friendlyName: "Gateways: 500 MB, roaming",
    dataEnabled: true,
    dataMetering: "payg",
    dataLimit: 500,
    messagingEnabled: true,
    voiceEnabled: false,
    nationalRoamingEnabled: true,
    nationalRoamingDataLimit: 500,
    internationalRoaming: ["data", "messaging"],
    internationalRoamingDataLimit: 100,
    dateCreated: new Date(t - 400 * day),
    dateUpdated: new Date(t - 400 * day),
  };
  const restricted: RatePlanRecord = {
    ...plan,
    sid: newSid("WP"),
    uniqueName: "no-roaming",
    friendlyName: "Home only, 50 MB",
    dataLimit: 50,
    nationalRoamingEnabled: false,
    internationalRoaming: [],
  };
  store.ratePlans.push(plan, restricted);
  const sim: SimRecord = {
    sid: newSid("DE"),
    uniqueName: "gateway-0001",
    friendlyName: "Field gateway 0001",
    iccid: seed.iccid,
    eId: null,
    ratePlanSid: plan.sid,
    status: "active",
    resetStatus: null,
    commandsCallbackUrl: null,
    commandsCallbackMethod: "POST",
    ipAddress: null,
    dateCreated: new Date(t - 200 * day),
    dateUpdated: new Date(t - 10 * day),
  };
  store.sims.push(sim);
  seedFleet(store, sim, seed.otherSims ?? 11, [plan.sid, restricted.sid]);
  seedTraffic(store, sim.sid, t);
  return { sim, ratePlan: plan };
}

/** 120 MB in the last days, 50 MB last month, a data session that ended yesterday. */
function seedTraffic(store: ApiStore, simSid: string, t: number): void {
  const day = 86_400_000;
  const d = new Date(t);
  // Both inside their calendar month whatever today is, so "this month" always shows 120 MB.
  const recent = Math.max(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), t - 2 * day);
  const lastMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 10);
  store.traffic.push({ kind: "data", simSid, at: recent, upload: 20_000_000, download: 100_000_000 });
  store.traffic.push({ kind: "data", simSid, at: lastMonth, upload: 5_000_000, download: 45_000_000 });
  store.dataSessions.push({
    sid: newSid("WN"),
    simSid,
    radioLink: "LTE",
    operatorMcc: "310",
    operatorMnc: "260",
    operatorCountry: "USA",
    operatorName: "T-Mobile",
    cellId: "310-260-11544-50896642",
    cellLocation: { lat: 47.6062, lon: -122.3321 },
    packetsUploaded: 15_230,
    packetsDownloaded: 98_410,
    lastUpdated: new Date(t - day),
    start: new Date(t - 3 * day),
    end: new Date(t - day),
    imei: null,
  });
}

/** A Super SIM account: a Fleet with SMS Commands on, the gateway's SIM in it, this month's data. */
export function seedSuperSim(store: ApiStore, iccid: string, now: Date): SimRecord {
  const fleet = {
    sid: newSid("HF"),
    uniqueName: "gateways",
    dataEnabled: true,
    dataLimit: 1000,
    dataMetering: "payg",
    smsCommandsEnabled: true,
    smsCommandsUrl: null,
    smsCommandsMethod: "POST" as const,
    dateCreated: new Date(now.getTime() - 100 * 86_400_000),
    dateUpdated: new Date(now.getTime() - 100 * 86_400_000),
  };
  store.fleets.push(fleet);
  const sim: SimRecord = {
    sid: newSid("HS"),
    uniqueName: "gateway-0001",
    friendlyName: null,
    iccid,
    eId: null,
    ratePlanSid: null,
    status: "active",
    resetStatus: null,
    commandsCallbackUrl: null,
    commandsCallbackMethod: "POST",
    fleetSid: fleet.sid,
    ipAddress: null,
    dateCreated: new Date(now.getTime() - 90 * 86_400_000),
    dateUpdated: new Date(now.getTime() - 9 * 86_400_000),
  };
  store.sims.push(sim);
  const thisMonth = Math.max(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1), now.getTime() - 86_400_000);
  store.traffic.push({ kind: "data", simSid: sim.sid, at: thisMonth, upload: 1_000_000, download: 9_000_000 });
  return sim;
}
