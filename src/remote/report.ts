import type { LeverResult } from "./levers.js";
import type { Counts, Row } from "./rows.js";

/** `sent 812/1000 · answered 640 · NAKed 12 · failed 3 · pending 157 · 12 s` — the live line on a terminal. */
export function progressLine(c: Counts, elapsedMs: number): string {
  return (
    `sent ${c.sent}/${c.total} · answered ${c.answered} · NAKed ${c.naked} · failed ${c.failed} · pending ` +
    `${c.pending} · ${Math.round(elapsedMs / 1000)} s`
  );
}

const seconds = (r: Row): number | null =>
  r.sentAt === null ? null : Math.round(((r.repliedAt ?? r.sentAt) - r.sentAt) / 100) / 10;

/** One SIM's outcome as a JSON line (`--json`). */
export function rowJson(r: Row): Record<string, unknown> {
  return {
    sim: r.sim,
    name: r.name,
    iccid: r.iccid,
    verb: r.verb,
    command: r.command,
    requestId: r.rid,
    state: r.state,
    commandSid: r.commandSid,
    delivery: r.delivery,
    reply: r.reply,
    correlated: r.correlated,
    late: r.late,
    detail: r.detail,
    seconds: r.state === "answered" || r.state === "nak" ? seconds(r) : null,
  };
}

/** The table at the end: SIM, name, verb, state, seconds, and the reply (or why there is none). */
export function table(rows: readonly Row[]): string {
  const cells = rows.map((r) => [
    r.sim,
    r.name ?? "-",
    r.verb,
    r.state,
    r.state === "answered" || r.state === "nak" ? String(seconds(r)) : "-",
    r.reply ?? r.detail ?? (r.delivery ? `delivery: ${r.delivery}` : ""),
  ]);
  const head = ["SIM", "NAME", "VERB", "STATE", "S", "REPLY"];
  const width = head.slice(0, -1).map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => [...c.slice(0, -1).map((x, i) => x.padEnd(width[i]!)), c.at(-1)!].join("  ").trimEnd();
  const out = [line(head)];
  rows.forEach((r, i) => {
    out.push(line(cells[i]!));
    for (const late of r.late) out.push(`${" ".repeat(width[0]! + 2)}late (an earlier request's reply): ${late}`);
  });
  return `${out.join("\n")}\n`;
}

/** 0: every gateway answered; 2: the API failed (requests or replies may be missing); 1: some did not answer. */
export function askExit(rows: readonly Row[], apiFailed: boolean): 0 | 1 | 2 {
  if (apiFailed || rows.some((r) => r.state === "api-error")) return 2;
  return rows.every((r) => r.state === "answered") ? 0 : 1;
}

/** A lever's outcome for a person: `gw-00001: status active → suspended (accepted: updating; done in 1.2 s)`. */
export function leverLine(r: LeverResult): string {
  const what = [
    r.requested.status !== undefined ? `status ${r.before.status ?? "?"} → ${r.requested.status}` : null,
    r.requested.resetConnectivity ? "Reset Connectivity" : null,
    r.requested.commandsCallbackUrl ? `replies to ${r.requested.commandsCallbackUrl}` : null,
  ]
    .filter(Boolean)
    .join(", ");
  const accepted = [r.accepted.status, r.accepted.resetStatus].filter(Boolean).join(", ");
  const outcome =
    r.done === null
      ? "not followed (--wait follows it)"
      : r.done
        ? `done in ${r.seconds} s: status ${r.after?.status ?? "?"}${r.after?.resetStatus ? `, ${r.after.resetStatus}` : ""}`
        : `not done after ${r.seconds} s: status ${r.after?.status ?? "?"}${r.after?.resetStatus ? `, reset ${r.after.resetStatus}` : ""}`;
  return `${r.name ?? r.sim}: ${what} (accepted: ${accepted || "at once"}); ${outcome}\n`;
}
