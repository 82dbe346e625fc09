import type { Check, HealthInput, Rule } from "../types.js";

const ago = (ms: number) => (ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/** The modem's and the carrier's side in a few words: "registered and attached, carrier shows no data session for 40 min". */
function joined(i: HealthInput): string {
  const parts: string[] = [];
  if (!("error" in i.modem)) {
    const s = i.modem.snapshot;
    const registered = Object.values(s.registration).some((r) => r?.registered);
    parts.push(
      `${registered ? "registered" : "not registered"}${s.attached === true ? " and attached" : s.attached === false ? ", detached" : ""}`,
    );
  }
  const c = i.carrier;
  if (c !== undefined && c !== "disabled" && "view" in c && c.view.product !== "super-sim") {
    const d = c.view.lastDataSession;
    const last = d ? Date.parse(d.lastUpdated ?? d.end ?? d.start ?? "") : Number.NaN;
    if (d === null) parts.push("carrier shows no data session");
    else if (!Number.isNaN(last)) parts.push(`carrier's last data session ${ago(i.now - last)} ago`);
  }
  return parts.join(", ");
}

/**
 * The data path: the probe's last result and age, the ladder's state, joined with what the modem
 * and the carrier say ("registered and attached, carrier shows no data session for 40 min, probe
 * failing: bearer down, reattach in 2 min"). A failure degrades: SMS still reaches the gateway.
 */
export const dataPathRule: Rule = (i) => {
  const l = i.link;
  if (l === undefined) return null;
  const id = "data-path";
  if (l.probe === "none") return { id, status: "unknown", detail: `not watched (link.probe: none); bearer ${l.bearer}` };
  const p = l.lastProbe;
  const probe = p
    ? `probe ${l.probe} ${p.ok ? "ok" : "failing"} ${ago(p.ageMs)} ago: ${p.detail}`
    : `probe ${l.probe} ${l.undecided ? `cannot tell: ${l.undecided}` : "not run yet"}`;
  const counts = Object.entries(l.counters)
    .map(([step, c]) => `${step} ${c.taken}×`)
    .join(", ");
  const detail = `${probe}${counts ? `; steps taken: ${counts}` : ""}${l.redials ? `; redials ${l.redials}` : ""}`;
  const both = joined(i);
  const lead = both ? `${both}, ` : "";
  const next = l.next ? `, ${l.next.step} in ${ago(l.next.inMs)}` : "";
  const check = (status: Check["status"], hint?: string): Check => ({ id, status, detail, ...(hint ? { hint } : {}) });
  switch (l.mode) {
    case "up":
      return check("pass");
    case "unknown":
      return check("unknown");
    case "failing":
      return check("warn", `${lead}probe failing: not yet down${next}`);
    case "held":
      return check(
        l.hold?.kind === "wait" ? "warn" : "fail",
        `${lead}data path down and no step taken: ${l.hold?.reason ?? "held"}; Commands by SMS still reach the gateway`,
      );
    case "recovering":
      return check("fail", `${lead}probe failing: bearer down, ${l.running ?? "a step"} running`);
    default:
      return check("fail", `${lead}probe failing: bearer down${next || ", every step rate-limited"}`);
  }
};
