import type { HealthReport, ModemView } from "../health/index.js";

/**
 * The human form of `cellgate status`: a header, the verdict (and, through the daemon, the data path
 * and how old its read of the modem is when it did not poll for this answer), one line per check, hints.
 */
export function formatStatus(
  path: string,
  report: HealthReport,
  view: ModemView,
  daemon: { dataPath: string | null; readAgoS: number | null } = { dataPath: null, readAgoS: null },
): string {
  const id = "snapshot" in view ? view.snapshot.identity : undefined;
  const head = id ? `${id.manufacturer} ${id.model} on ${path}` : path;
  const lines = [`cellgate status: ${head}`, `verdict: ${report.verdict.toUpperCase()}`];
  if (daemon.dataPath !== null) lines.push(`data path: ${daemon.dataPath}`);
  if (daemon.readAgoS !== null)
    lines.push(`modem read ${daemon.readAgoS} s ago, registration and signal kept current by its reports (--fresh: read it now)`);
  lines.push("");
  const width = Math.max(...report.checks.map((c) => c.id.length));
  for (const c of report.checks) {
    lines.push(`  ${c.status.padEnd(7)} ${c.id.padEnd(width)}  ${c.detail}`);
    if (c.hint) lines.push(`  ${"".padEnd(7)} ${"".padEnd(width)}  -> ${c.hint}`);
  }
  if ("snapshot" in view) {
    const s = view.snapshot;
    const extra: string[] = [];
    if (s.identity?.imsi) extra.push(`IMSI ${s.identity.imsi}`);
    if (s.servingCell)
      extra.push(
        [
          `serving cell ${s.servingCell.rat}`,
          s.servingCell.band ? ` ${s.servingCell.band}` : "",
          s.servingCell.earfcn ? ` EARFCN ${s.servingCell.earfcn}` : "",
        ].join(""),
      );
    if (s.networkTime) extra.push(`network time ${s.networkTime.iso} (${s.networkTime.source})`);
    if (extra.length > 0) lines.push("", `  ${extra.join("; ")}`);
    for (const [part, e] of Object.entries(s.errors)) lines.push(`  (${part} not read: ${e.message})`);
  }
  return `${lines.join("\n")}\n`;
}
