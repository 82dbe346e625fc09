import type { CarrierView } from "../api/index.js";

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const onOff = (v: boolean | null) => (v === null ? "?" : v ? "on" : "off");

/** The human form of `cellgate sim`: the SIM, its plan, this month's usage, the last data session. */
export function formatSim(v: CarrierView, ageNote = ""): string {
  const s = v.sim;
  const lines = [
    `cellgate sim: ${s.uniqueName ?? s.sid} (${s.sid})${ageNote}`,
    `  ICCID      ${s.iccid ?? "?"}`,
    `  status     ${s.status ?? "?"}${s.resetStatus ? ` (connectivity reset: ${s.resetStatus})` : ""}`,
  ];
  const p = v.plan;
  const planWord = v.product === "super-sim" ? "fleet" : "rate plan";
  if (p) {
    const roaming =
      v.product === "super-sim"
        ? ""
        : `, national roaming ${onOff(p.nationalRoamingEnabled)}, international roaming ` +
          `${p.internationalRoaming.length > 0 ? p.internationalRoaming.join("+") : "none"}`;
    lines.push(
      `  ${planWord.padEnd(10)} ${p.name ?? p.sid}: data ` +
        `${onOff(p.dataEnabled)}${p.dataLimitMb !== null ? ` (limit ${p.dataLimitMb} MB/month)` : ""}, messaging ` +
        `${onOff(p.messagingEnabled)}${roaming}`,
    );
  } else {
    lines.push(`  ${planWord.padEnd(10)} ${v.errors.plan ? `not read: ${v.errors.plan}` : "none"}`);
  }
  const u = v.usage;
  if (u) {
    const of = u.limitBytes !== null ? ` of ${mb(u.limitBytes)} (${u.percentOfLimit}%)` : "";
    const cmds =
      u.commandsFromSim !== null || u.commandsToSim !== null
        ? `; Commands ${u.commandsToSim ?? 0} to SIM, ${u.commandsFromSim ?? 0} from SIM`
        : "";
    lines.push(`  usage      ${u.dataBytes !== null ? mb(u.dataBytes) : "?"}${of} since ${u.periodStart.slice(0, 10)}${cmds}`);
  } else {
    lines.push(`  usage      ${v.errors.usage ? `not read: ${v.errors.usage}` : "none"}`);
  }
  const d = v.lastDataSession;
  if (d) {
    const op = [d.operatorName, d.operatorMcc && d.operatorMnc ? `${d.operatorMcc}-${d.operatorMnc}` : null]
      .filter(Boolean)
      .join(" ");
    lines.push(
      `  last data  ${d.radioLink ?? "?"} on ${op || "?"}, cell ${d.cellId ?? "?"}, ${d.open ? "open since" : "from"} ` +
        `${d.start ?? "?"}${d.open ? "" : ` to ${d.end ?? "?"}`}, updated ${d.lastUpdated ?? "?"}`,
    );
  } else if (v.product !== "super-sim") {
    lines.push(
      `  last data  ${v.errors.lastDataSession ? `not read: ${v.errors.lastDataSession}` : "no data session on record"}`,
    );
  }
  if (v.attachThrottled)
    lines.push(`  attach     refused for rate limiting (Twilio 83703) at ${v.attachThrottled.at}: attempts must back off`);
  else if (v.errors.alerts) lines.push(`  alerts     not read: ${v.errors.alerts}`);
  return `${lines.join("\n")}\n`;
}
