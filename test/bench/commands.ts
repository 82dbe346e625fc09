import { performance } from "node:perf_hooks";
import {
  authenticate,
  commandKey,
  signText,
  statusReply,
  type CommandPolicy,
  type GatewayView,
} from "../../src/commands/index.js";
import { gsm7Length } from "../../src/sms/pdu/index.js";
import { REALISTIC } from "../commands/views.js";

/**
 * 6-7. The Command path's own cost, per Command:
 *  - authentication: cellgate's HMAC-SHA256 tag check, window and replay lookup, verb and
 *    argument checks, against what the anchor systems do (Teltonika, ALEOS: a clear-text
 *    password compared at the start of the text, then a verb lookup);
 *  - the status reply: cellgate's fitted, GSM-safe reply against a plain template string.
 * SMS arrive at most a few a second: these say whether the safety costs anything that matters.
 */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const septets = (s: string) => gsm7Length(s);
const KEY = commandKey("bench key: 0123456789abcdef0123", "bench");
const POLICY: CommandPolicy = {
  unsigned: new Set(["help"]),
  disabled: new Set(),
  maxAgeMs: 900_000,
  maxFutureMs: 300_000,
  rebootToken: "CONFIRM",
};
const VIEW: GatewayView = REALISTIC;
const VERBS = new Set(["status", "health", "signal", "net", "sim", "mqtt", "version", "help", "ping", "modem-reset", "reboot"]);

function rate(n: number, fn: (i: number) => unknown): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return (n / (performance.now() - t0)) * 1000;
}

export function commandPath(): Array<[string, string, number, number]> {
  const now = Date.now();
  const signed = Array.from({ length: 64 }, (_, i) =>
    signText(KEY, i % 2 ? "status" : `ping host${i}.example 443`, now - i * 1000, septets),
  );
  const seen = new Set(signed.slice(0, 8).map((s) => s.split(".").pop()!));
  const clear = signed.map((s) => `s3cretPassw0rd ${s.split(" #")[0]!}`);
  const ours: number[] = [];
  const base: number[] = [];
  const oursReply: number[] = [];
  const baseReply: number[] = [];
  for (let round = 0; round < 7; round++) {
    ours.push(
      rate(50_000, (i) =>
        authenticate({ text: signed[i % 64]!, key: KEY, policy: POLICY, now, seen: (t) => seen.has(t), notBefore: null }),
      ),
    );
    base.push(
      rate(50_000, (i) => {
        const t = clear[i % 64]!;
        return t.startsWith("s3cretPassw0rd ") && VERBS.has(t.slice(15).split(" ")[0]!);
      }),
    );
    oursReply.push(rate(50_000, () => statusReply(VIEW, septets)));
    baseReply.push(
      rate(
        50_000,
        () =>
          `status ${VIEW.verdict} reg=${VIEW.registration!.state} rat=${VIEW.accessTech!} rsrp=${VIEW.signal!.rsrpDbm!} ` +
          `att=1 sim=${VIEW.carrier!.status!} mqtt=up up=${VIEW.uptimeS}s v=${VIEW.version} op=${VIEW.operator!.name!} ip=${VIEW.ip!}`,
      ),
    );
  }
  return [
    [
      "Command authentication: HMAC tag, window, replay, verb (Commands/s)",
      "clear-text password prefix + verb lookup (the anchors)",
      median(ours),
      median(base),
    ],
    [
      "status reply: fitted to 160 GSM 7-bit septets (replies/s)",
      "a plain template string, unchecked",
      median(oursReply),
      median(baseReply),
    ],
  ];
}
