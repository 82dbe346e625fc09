import type { Hold, LinkStep, StepFix } from "./ladder.js";

/**
 * What the carrier and the modem say about a data path that fails, and what follows for the
 * ladder: nothing (climb as usual), a hold (no modem action can fix it: the SMS path stays the
 * way in), or one step the cause needs. Pure: the daemon gathers the facts.
 */
export interface LinkFacts {
  now: number;
  /** The data domain's registration (EPS, else PS): the CS domain says nothing about data (+CREG: 0,3 on a data-only SIM). */
  registration: { state: string; rejectCause?: number | null } | null;
  /** The carrier's view, when there is one. */
  carrier: {
    simStatus: string | null;
    dataEnabled: boolean | null;
    usagePercent: number | null;
    /** When the carrier last refused an attach for rate limiting (Twilio 83703), if it did lately. */
    attachRefusedAt?: string | null;
  } | null;
  /** A firmware update the module announced and has not finished. */
  fota: { since: number } | null;
  /** The network or the module throttles attach attempts until then (%MDMEV: RESET LOOP, EMM cause 22). */
  throttledUntil: number | null;
  /** How the module selects its network, read while it is not registered; null when not read or not known. */
  selection: { manual: boolean; forbidden: readonly string[] | null } | null;
  /** Steps taken since the data path went down. */
  tried: readonly LinkStep[];
}

export type Diagnosis =
  | { kind: "none" }
  | { kind: "hold"; hold: Hold; cause: HoldCause }
  | { kind: "direct"; step: LinkStep; reason: string; fix?: StepFix };

/** Registration states in which the module is off the network (the data domain's). */
export const UNREGISTERED: ReadonlySet<string> = new Set(["denied", "searching", "idle"]);

export type HoldCause = "fota" | "throttled" | "sim-status" | "data-disabled" | "data-cap" | "denied";

/** No step for this long after the carrier refused an attach for rate limiting: every step attaches again. */
const CARRIER_BACKOFF_MS = 30 * 60_000;

const STOPPED = new Set(["suspended", "deactivated", "canceled", "inactive", "new"]);

/**
 * EMM causes (TS 24.301 §9.9.3.9, Annex A) after which the USIM is invalid until the module is
 * switched off or the SIM removed (§5.5.1.2.5): after the carrier re-activates the SIM only a
 * CFUN cycle (or a reset) makes the module try again.
 */
const SIM_INVALID_CAUSES: Readonly<Record<number, string>> = {
  3: "illegal UE",
  6: "illegal ME",
  7: "EPS services not allowed",
  8: "EPS and non-EPS services not allowed",
};

/** EMM causes a modem action cannot change: the network's list says no (forbidden networks, area bars). */
const NETWORK_SAYS_NO: Readonly<Record<number, string>> = {
  11: "PLMN not allowed",
  12: "tracking area not allowed",
  13: "roaming not allowed in this tracking area",
  14: "EPS services not allowed in this PLMN",
  15: "no suitable cells in tracking area",
};

export function diagnose(f: LinkFacts): Diagnosis {
  if (f.fota !== null)
    return hold(
      "fota",
      "wait",
      `the module is updating its firmware (since ${iso(f.fota.since)}): waiting, never resetting`,
      null,
    );
  if (f.throttledUntil !== null && f.throttledUntil > f.now)
    return hold(
      "throttled",
      "wait",
      `attach attempts are throttled: backing off until ${iso(f.throttledUntil)}`,
      f.throttledUntil,
    );
  const c = f.carrier;
  const refused = c?.attachRefusedAt ? Date.parse(c.attachRefusedAt) + CARRIER_BACKOFF_MS : Number.NaN;
  if (refused > f.now)
    return hold(
      "throttled",
      "wait",
      `the carrier refused attaches for rate limiting (Twilio 83703 at ${c!.attachRefusedAt}): backing off until ${iso(refused)}`,
      refused,
    );
  if (c?.simStatus && STOPPED.has(c.simStatus))
    return hold("sim-status", "blocked", `the SIM is ${c.simStatus} in the account: no modem action can fix it; reactivate it`);
  if (c?.dataEnabled === false) return hold("data-disabled", "blocked", "data is disabled on the SIM's rate plan: enable it");
  if (c?.usagePercent != null && c.usagePercent >= 100)
    return hold(
      "data-cap",
      "blocked",
      `the plan's data limit is reached (${c.usagePercent}%): data resumes next month or with a higher limit`,
    );
  const r = f.registration;
  const bars = selectionBars(f);
  if (bars !== null && r !== null && UNREGISTERED.has(r.state) && !f.tried.includes("cfun"))
    return {
      kind: "direct",
      step: "cfun",
      fix: "selection",
      reason: `not registered (${r.state}) and ${bars}: automatic selection and an empty list, then a radio cycle`,
    };
  if (r?.state !== "denied") return { kind: "none" };
  const cause = r.rejectCause ?? null;
  if (cause !== null && NETWORK_SAYS_NO[cause] !== undefined)
    return hold(
      "denied",
      "blocked",
      `the network denies registration (EMM cause #${cause}, ${NETWORK_SAYS_NO[cause]}): no reset changes it`,
    );
  // A SIM the account shows usable (else the carrier's status held above), or one whose module does not say why
  // (+CEREG <n> below 3): a CFUN cycle is what makes a module try a re-activated SIM again.
  const named = cause !== null && SIM_INVALID_CAUSES[cause] !== undefined ? `, ${SIM_INVALID_CAUSES[cause]}` : "";
  const why = cause !== null ? `EMM cause #${cause}${named}` : "no cause given";
  return { kind: "direct", step: "cfun", reason: `registration denied (${why}): the SIM stays invalid until a CFUN cycle` };
}

/** What in the module's own selection keeps it off a network (field failure 12), in words; null when nothing. */
function selectionBars(f: LinkFacts): string | null {
  const s = f.selection;
  if (s === null) return null;
  const bars = [
    ...(s.manual ? ["the module is locked to one network by hand (+COPS: 1)"] : []),
    ...(s.forbidden && s.forbidden.length > 0 ? [`the SIM's forbidden-network list holds ${s.forbidden.join(", ")}`] : []),
  ];
  return bars.length > 0 ? bars.join(" and ") : null;
}

function hold(cause: HoldCause, kind: "blocked" | "wait", reason: string, until: number | null = null): Diagnosis {
  return { kind: "hold", cause, hold: kind === "blocked" ? { kind, reason, cause } : { kind, reason, until, cause } };
}

const iso = (ms: number) => new Date(ms).toISOString();
