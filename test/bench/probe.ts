/**
 * 12. What the data-path probe costs on the cellular link, counted by the kernel: the IP bytes
 * sent on loopback (IpExt OutOctets in /proc/net/netstat; a loopback packet is counted once, as
 * the modem's interface would count it once, whichever end sent it) over N probes, headers
 * included. cellgate's `tcp://` probe (a connect and a close: the handshake, no payload) against
 * the watchdog most gateways run, an ICMP echo (`ping`, its default 56-byte payload); and a day of
 * each at the default interval (300 s), where cellgate's default probe (`bridge`) reads the local
 * broker's bridge state and sends nothing of its own. The DNS probe's cost depends on the
 * resolver and the name, and is not measured here. Needs a quiet loopback: other traffic counts.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { systemClock } from "../../src/core/index.js";
import { tcpProbe } from "../../src/link/index.js";
import type { Row } from "./daemon.js";

const N = 200;
const DAY_PROBES = 86_400 / 300;

function outOctets(): number {
  const lines = readFileSync("/proc/net/netstat", "utf8")
    .split("\n")
    .filter((l) => l.startsWith("IpExt:"));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  return Number(values![names!.indexOf("OutOctets")]);
}

async function tcpBytes(): Promise<number> {
  // A far end that waits for the client to speak, as a broker waits for CONNECT.
  const server = createServer((s) => s.on("error", () => {}));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  await tcpProbe("127.0.0.1", port, 5000, systemClock); // warm: nothing first-time in the count
  const before = outOctets();
  for (let i = 0; i < N; i++) {
    const r = await tcpProbe("127.0.0.1", port, 5000, systemClock);
    if (!r.ok) throw new Error(`tcp probe failed: ${r.detail}`);
  }
  const bytes = (outOctets() - before) / N;
  await new Promise((r) => server.close(r));
  return bytes;
}

/** One `ping` of N echoes, the kernel's count; NaN when ping is not installed (iputils-ping). */
function pingBytes(): number {
  const before = outOctets();
  const r = spawnSync("ping", ["-c", String(N), "-i", "0.01", "-q", "127.0.0.1"], { encoding: "utf8" });
  if (r.error !== undefined || r.status !== 0) return Number.NaN;
  return (outOctets() - before) / N;
}

export async function probeRows(): Promise<Row[]> {
  const tcp = await tcpBytes();
  const ping = pingBytes();
  const baseline = Number.isNaN(ping)
    ? "ICMP echo: ping not installed (apt install iputils-ping)"
    : "ICMP echo, `ping` (56-byte payload)";
  return [
    [`data-path probe tcp://: IP bytes per probe, both ways (mean of ${N} on loopback)`, baseline, tcp, ping],
    [
      "data-path probe at the defaults (bridge, 300 s): bytes a day of its own on the link",
      `${baseline}, every 300 s`,
      0,
      ping * DAY_PROBES,
    ],
    ["… the tcp:// probe every 300 s: bytes a day", `${baseline}, every 300 s`, tcp * DAY_PROBES, ping * DAY_PROBES],
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [what, baseline, ours, theirs] of await probeRows()) console.log(`${what} | ${baseline} | ${ours} | ${theirs}`);
}
