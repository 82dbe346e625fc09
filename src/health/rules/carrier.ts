import type { CarrierView } from "../../api/index.js";
import type { Check, HealthInput, Rule } from "../types.js";

type Carrier = { view: CarrierView; ageMs: number };
const carrierOf = (i: HealthInput): Carrier | { error: string } | null =>
  i.carrier === undefined || i.carrier === "disabled" ? null : i.carrier;
const hours = (ms: number) => (ms / 3_600_000).toFixed(1);

/** What the modem says about the link, for hints that join both views. */
function modemLink(i: HealthInput): { registered: boolean; attached: boolean; roaming: boolean; mcc: string | null } | null {
  if ("error" in i.modem) return null;
  const s = i.modem.snapshot;
  const regs = Object.values(s.registration);
  return {
    registered: regs.some((r) => r?.registered),
    attached: s.attached === true,
    roaming: regs.some((r) => r?.registered && r.roaming),
    mcc: s.operator?.mcc ?? null,
  };
}

const STATUS: Record<string, [Check["status"], string]> = {
  active: ["pass", ""],
  ready: ["pass", ""],
  new: ["fail", "the SIM is new, not yet activated: activate it (Status=active) in the Console or with the API"],
  suspended: ["fail", "the SIM is suspended in the account: reactivate it (Status=active)"],
  deactivated: [
    "fail",
    "the SIM is deactivated in the account: it will not connect again (a deactivated SIM is canceled after 72 h); use another SIM",
  ],
  canceled: ["fail", "the SIM is canceled: it cannot be used again; move the gateway to another SIM"],
  scheduled: ["warn", "a status change is scheduled for this SIM"],
  updating: ["warn", "the SIM's status is being changed: it settles within minutes"],
  inactive: ["fail", "the SIM is inactive in the account: reactivate it"],
};

/** The carrier's SIM status, joined with what the modem sees. */
export const carrierSimRule: Rule = (i) => {
  const c = carrierOf(i);
  if (c === null) return null;
  if ("error" in c)
    return {
      id: "carrier-sim",
      status: "unknown",
      detail: `carrier view not available: ${c.error}`,
      hint: "check the API credentials and that the gateway can reach the API (see `cellgate sim`)",
    };
  const s = c.view.sim;
  const status = s.status ?? "unknown";
  const [st, hint] = STATUS[status] ?? ["unknown", ""];
  // No age in the text: the report is republished only when it changes (the sim topic has fetchedAt).
  const detail = `${status} in the account (${s.uniqueName ?? s.sid})${s.resetStatus ? `, connectivity reset ${s.resetStatus}` : ""}`;
  if (st === "pass") return { id: "carrier-sim", status: "pass", detail };
  const m = modemLink(i);
  // The two views disagree: the modem is still registered on a SIM the account has stopped.
  const joined =
    st === "fail" && m?.registered
      ? `registered${m.attached ? " and attached" : ""} on the network, but ${hint.charAt(0).toLowerCase()}${hint.slice(1)}`
      : hint;
  return { id: "carrier-sim", status: st, detail, hint: joined || `unexpected SIM status ${status}` };
};

/** The rate plan (or fleet) allows what the gateway is doing: data, roaming where it is, messaging. */
export const carrierPlanRule: Rule = (i) => {
  const c = carrierOf(i);
  if (c === null) return null;
  if ("error" in c) return { id: "carrier-plan", status: "unknown", detail: "carrier view not available" };
  const p = c.view.plan;
  if (p === null)
    return {
      id: "carrier-plan",
      status: "unknown",
      detail: c.view.errors.plan ? `not read: ${c.view.errors.plan}` : "the SIM has no rate plan",
    };
  const name = p.name ?? p.sid;
  if (p.dataEnabled === false)
    return {
      id: "carrier-plan",
      status: "fail",
      detail: `${name}: data disabled`,
      hint: `enable data on ${c.view.product === "super-sim" ? "the fleet" : "the rate plan"} ${name}, or move the SIM to a plan with data`,
    };
  const m = modemLink(i);
  if (m?.roaming && m.mcc !== null && c.view.product === "programmable-wireless") {
    const domestic = /^31[0-6]$/.test(m.mcc); // the US: national roaming for a Twilio SIM
    if (domestic && p.nationalRoamingEnabled === false)
      return {
        id: "carrier-plan",
        status: "fail",
        detail: `${name}: national roaming disabled, the modem is roaming (MCC ${m.mcc})`,
        hint: `enable national roaming on ${name}, or move the SIM to a plan that has it`,
      };
    if (!domestic && !p.internationalRoaming.includes("data"))
      return {
        id: "carrier-plan",
        status: "fail",
        detail: `${name}: no international data roaming, the modem is roaming abroad (MCC ${m.mcc})`,
        hint: `add data to ${name}'s international roaming, or move the SIM to a plan that has it`,
      };
  }
  if (p.messagingEnabled === false)
    return {
      id: "carrier-plan",
      status: "warn",
      detail: `${name}: messaging disabled`,
      hint: "Commands (SMS) cannot reach the gateway: enable messaging on the plan",
    };
  return {
    id: "carrier-plan",
    status: "pass",
    detail:
      `${name}: data${p.dataLimitMb !== null ? ` (${p.dataLimitMb} MB/month)` : ""}, ` +
      `messaging${p.nationalRoamingEnabled ? ", national roaming" : ""}` +
      (p.internationalRoaming.length ? `, international ${p.internationalRoaming.join("+")}` : ""),
  };
};

/** This month's data against the plan's limit. */
export const usageRule: Rule = (i) => {
  const c = carrierOf(i);
  if (c === null || "error" in c) return null;
  const u = c.view.usage;
  if (u === null || u.dataBytes === null)
    return {
      id: "usage",
      status: "unknown",
      detail: c.view.errors.usage ? `not read: ${c.view.errors.usage}` : "no usage records",
    };
  const used = `${(u.dataBytes / 1e6).toFixed(1)} MB this month`;
  if (u.limitBytes === null || u.percentOfLimit === null) return { id: "usage", status: "pass", detail: `${used}, no limit` };
  const detail = `${used} of ${u.limitBytes / 1e6} MB (${u.percentOfLimit}%)`;
  if (u.percentOfLimit >= 100)
    return {
      id: "usage",
      status: "fail",
      detail,
      hint: "the plan's data limit is reached: data is blocked or throttled until the month ends; raise the limit or cut traffic",
    };
  if (u.percentOfLimit >= 80)
    return {
      id: "usage",
      status: "warn",
      detail,
      hint: "over 80% of the monthly data limit: check what uses it (telemetry interval, retries) or raise the limit",
    };
  return { id: "usage", status: "pass", detail };
};

/**
 * The carrier's lever for "registered but no data": Reset Connectivity clears the SIM's session
 * on the carrier's side. A gateway without data cannot ask for it; its operator can.
 */
function resetLever(c: Carrier): string {
  return (
    `the carrier's Reset Connectivity: cellgate remote sim --sim ${c.view.sim.uniqueName ?? c.view.sim.sid} ` +
    `--reset-connectivity --wait`
  );
}

/** The carrier's last data session agrees with the modem's attach state. */
export const dataSessionRule: Rule = (i) => {
  const c = carrierOf(i);
  if (c === null || "error" in c || c.view.product === "super-sim") return null;
  const m = modemLink(i);
  const d = c.view.lastDataSession;
  const open = d !== null && d.open && i.now - Date.parse(d.lastUpdated ?? d.start ?? "") < 3_600_000;
  const allowed = ["active", "ready"].includes(c.view.sim.status ?? "") && c.view.plan?.dataEnabled === true;
  if (m?.registered && !m.attached && allowed && !open)
    return {
      id: "data-session",
      status: "warn",
      detail: "registered but not attached, while the account has the SIM active with data",
      hint:
        `registered but no data, with nothing in the account to explain it: reset the modem (Command modem-reset), ` +
        `then ${resetLever(c)}`,
    };
  if (d === null) {
    return m?.attached
      ? {
          id: "data-session",
          status: "warn",
          detail: "attached, but the carrier has no data session on record",
          hint:
            "the carrier has not seen data from this SIM: check the APN and that traffic actually flows (cellgate " +
            "sim shows the sessions)",
        }
      : { id: "data-session", status: "unknown", detail: "no data session on record" };
  }
  const last = Date.parse(d.lastUpdated ?? d.end ?? d.start ?? "");
  const ago = Number.isNaN(last) ? null : i.now - last;
  const where = `${d.radioLink ?? "?"} on ${d.operatorName ?? "?"}`;
  if (ago === null) return { id: "data-session", status: "unknown", detail: `last session ${where}, time unknown` };
  if (m?.attached && ago > 6 * 3_600_000) {
    return {
      id: "data-session",
      status: "warn",
      detail: `attached, but the carrier's last data session (${where}) was updated ${hours(ago)} h ago`,
      hint:
        `the modem says attached but the carrier sees no traffic: the data path may be broken (APN, routing, a stale ` +
        `PDP context); a modem reset usually clears it, else ${resetLever(c)}`,
    };
  }
  if (m && !m.attached && d.open && ago < 3_600_000) {
    return {
      id: "data-session",
      status: "warn",
      detail: `the carrier shows an open session (${where}) but the modem is not attached`,
      hint: `the views disagree: the session may be stale on the carrier side; it closes by itself, or ${resetLever(c)}`,
    };
  }
  return {
    id: "data-session",
    status: "pass",
    detail: `last session ${where}, ${d.open ? "open" : "closed"}, updated ${d.lastUpdated ?? d.end ?? d.start}`,
  };
};
