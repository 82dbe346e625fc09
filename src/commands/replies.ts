import { bytes, duration, fitReply, kv, REPLY_MAX, type Field, type Septets } from "./reply.js";
import type { PingResult } from "./verbs/ping.js";
import type { GatewayView, ResetOutcome } from "./types.js";
import { VERBS, type Verb } from "./verbs/names.js";

/** The replies of the read-only verbs: pure, from a view; each one SMS whatever the values. */

function signalField(v: GatewayView): string | null {
  const q = v.signal;
  if (!q) return null;
  return q.rsrpDbm != null ? `rsrp=${q.rsrpDbm}` : q.rssiDbm != null ? `rssi=${q.rssiDbm}` : null;
}

function op(v: GatewayView): Field | null {
  const name = v.operator?.name ?? (v.operator?.mcc ? `${v.operator.mcc}${v.operator.mnc ?? ""}` : null);
  return name ? { text: `op=${name.slice(0, 20).replace(/\s+/g, "_")}` } : null;
}

export function statusReply(v: GatewayView, s: Septets, max = REPLY_MAX): string {
  return fitReply(
    `status ${v.verdict}`,
    [
      kv("reg", v.registration?.state ?? (v.modem.answering ? null : "no-modem")),
      kv("rat", v.accessTech),
      signalField(v),
      kv("att", v.attached),
      kv("data", v.dataPath),
      kv("sim", v.carrier?.status),
      kv("mqtt", v.mqtt.connected ? "up" : "down"),
      kv("up", duration(v.uptimeS)),
      kv("v", v.version),
      op(v),
      kv("ip", v.ip),
    ],
    s,
    max,
  );
}

export function healthReply(v: GatewayView, s: Septets, max = REPLY_MAX): string {
  const fail = v.failing.filter((c) => c.status === "fail").map((c) => c.id);
  const warn = v.failing.filter((c) => c.status !== "fail").map((c) => c.id);
  const hints: Field[] = v.failing.map((c) => ({ text: `${c.id}: ${c.hint ?? c.detail}`, shorten: true }));
  return fitReply(
    `health ${v.verdict}`,
    [
      fail.length ? { text: `fail=${fail.join(",")}`, shorten: true } : null,
      warn.length ? { text: `warn=${warn.join(",")}`, shorten: true } : null,
      fail.length + warn.length === 0 ? "all checks pass" : null,
      ...hints,
    ],
    s,
    max,
  );
}

export function signalReply(v: GatewayView, s: Septets, max = REPLY_MAX): string {
  const q = v.signal;
  return fitReply(
    "signal",
    [
      kv("rat", v.accessTech),
      kv("rssi", q?.rssiDbm),
      kv("rsrp", q?.rsrpDbm),
      kv("rsrq", q?.rsrqDb),
      kv("sinr", q?.sinrDb),
      kv("ber", q?.ber),
      kv("band", v.cell?.band),
      kv("pci", v.cell?.pci),
      q ? null : "unknown",
    ],
    s,
    max,
  );
}

export function netReply(v: GatewayView, s: Septets, max = REPLY_MAX): string {
  return fitReply(
    "net",
    [
      kv("reg", v.registration?.state ?? "unknown"),
      kv("rat", v.accessTech),
      kv("mcc", v.operator?.mcc),
      kv("mnc", v.operator?.mnc),
      kv("tac", v.cell?.tac),
      kv("lac", v.cell?.lac),
      kv("ci", v.cell?.ci),
      kv("att", v.attached),
      kv("ip", v.ip),
      op(v),
      v.apn ? { text: `apn=${v.apn}`, shorten: true } : null,
    ],
    s,
    max,
  );
}

export function simReply(v: GatewayView, s: Septets, max = REPLY_MAX): string {
  const c = v.carrier;
  const used = c?.usedBytes != null ? `used=${bytes(c.usedBytes)}${c.limitBytes != null ? `/${bytes(c.limitBytes)}` : ""}` : null;
  return fitReply(
    "sim",
    [
      kv("iccid", v.iccid ? `..${v.iccid.slice(-6)}` : null),
      kv("status", c?.status ?? null),
      kv("data", c?.dataEnabled == null ? null : c.dataEnabled ? "on" : "off"),
      used,
      kv("age", c ? duration(c.ageS) : null),
      c?.plan ? { text: `plan=${c.plan.replace(/\s+/g, "_")}`, shorten: true } : null,
      c ? null : { text: `carrier=? ${v.carrierError ?? ""}`, shorten: true },
    ],
    s,
    max,
  );
}

export function mqttReply(v: GatewayView, s: Septets, max = REPLY_MAX): string {
  const m = v.mqtt;
  return fitReply(
    "mqtt",
    [
      kv("link", m.connected ? "up" : "down"),
      kv("for", duration(m.forS)),
      kv("outbox", m.outboxDepth),
      kv("drops", m.dropped),
      kv("reconnects", m.reconnects),
    ],
    s,
    max,
  );
}

export function versionReply(v: GatewayView, s: Septets, max = REPLY_MAX): string {
  return fitReply(
    "version",
    [
      kv("cellgate", v.version),
      kv("node", process.versions.node),
      kv("modem", v.modem.model),
      { text: `fw=${v.modem.revision ?? "?"}`, shorten: true },
    ],
    s,
    max,
  );
}

/** The verbs this gateway runs, those needing no signature marked with `*`. */
export function helpReply(enabled: readonly Verb[], unsigned: ReadonlySet<Verb>, s: Septets, max = REPLY_MAX): string {
  return fitReply(
    "help",
    [
      VERBS.filter((v) => enabled.includes(v))
        .map((v) => (unsigned.has(v) ? `${v}*` : v))
        .join(" "),
      "(*=unsigned; sign: cellgate sign)",
    ],
    s,
    max,
  );
}

/** `ping ok host:port dns=… tcp=… addr=…`, or `ping fail … err=…`. */
export function pingReply(host: string, port: string, r: PingResult, s: Septets, max = REPLY_MAX): string {
  return fitReply(
    `ping ${r.ok ? "ok" : "fail"}`,
    [
      { text: `${host}:${port}`, shorten: true },
      r.dnsMs !== null ? `dns=${r.dnsMs}ms` : null,
      r.tcpMs !== null ? `tcp=${r.tcpMs}ms` : null,
      r.error ? { text: `err=${r.error}`, shorten: true } : null,
      r.address && r.address !== host ? `addr=${r.address}` : null,
    ],
    s,
    max,
  );
}

/** The reset step's outcome, with the registration and signal once the modem answers again. */
export function modemResetReply(r: ResetOutcome, after: GatewayView | null, s: Septets, max = REPLY_MAX): string {
  return fitReply(
    `modem-reset ${r.ok ? "ok" : "failed"}`,
    [
      `took=${duration(r.tookMs / 1000)}`,
      after ? `reg=${after.registration?.state ?? "?"}` : null,
      after?.signal?.rsrpDbm != null ? `rsrp=${after.signal.rsrpDbm}` : null,
      { text: r.detail, shorten: true },
    ],
    s,
    max,
  );
}

/** The "back online" MO Command after a restart, a requested reboot or a modem recovery. */
export function backOnlineReply(after: string, v: GatewayView, s: Septets): string {
  return fitReply(
    "online",
    [
      { text: `after=${after}`, shorten: true },
      kv("health", v.verdict),
      kv("reg", v.registration?.state),
      kv("rat", v.accessTech),
      signalField(v),
      kv("ip", v.ip),
      kv("up", duration(v.uptimeS)),
      kv("sysup", duration(v.hostUptimeS)),
      kv("v", v.version),
    ],
    s,
  );
}
