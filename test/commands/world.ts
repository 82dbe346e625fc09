import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import {
  CommandProcessor,
  commandKey,
  signText,
  type Gateway,
  type GatewayView,
  type InboundCommand,
  type ProcessorOptions,
} from "../../src/commands/index.js";
import { ManualClock } from "../../src/core/index.js";
import { gsm7Length } from "../../src/sms/pdu/index.js";
import { REALISTIC } from "./views.js";

// The Command processor's test world: a real journal in a temporary state directory, a fake gateway.
export const KEY = commandKey("correct horse battery staple 42!", "test");
export const T = Date.parse("2026-11-26T12:00:00Z");
export const septets = (s: string) => gsm7Length(s);
export const sign = (text: string, at = T) => signText(KEY, text, at, septets);

// The realistic view without a carrier API, a minute after start.
const VIEW: GatewayView = { ...REALISTIC, carrier: null, carrierError: "api off", uptimeS: 60 };

/** The gateway side of the narrow interface, recording what the verbs asked of it (the real one is exercised end to end). */
export class FakeGateway implements Gateway {
  views = 0;
  refreshes = 0;
  resets = 0;
  reboots = 0;
  rebootBehaviour: "ok" | "fail" | "die" = "ok";
  resetBehaviour: "ok" | "die" = "ok";
  view = () => {
    this.views++;
    return VIEW;
  };
  refresh = () => {
    this.refreshes++;
    return Promise.resolve(VIEW);
  };
  resetModem = () => {
    this.resets++;
    // "die": the process goes away mid-reset (the promise never settles).
    return this.resetBehaviour === "die"
      ? new Promise<never>(() => {})
      : Promise.resolve({ ok: true, detail: "the modem answers again", tookMs: 12_000 });
  };
  reboot = () => {
    this.reboots++;
    if (this.rebootBehaviour === "fail")
      return Promise.reject(new Error("systemctl reboot: Interactive authentication required."));
    return this.rebootBehaviour === "die" ? new Promise<never>(() => {}) : Promise.resolve();
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export async function world(
  o: Partial<ProcessorOptions> & {
    dir?: string;
    gateway?: FakeGateway;
    ref?: { ms: number; quality: "synced" | "network" | "unsynced" };
  } = {},
) {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), "cellgate-cmd-"));
  if (!o.dir) dirs.push(dir);
  const gateway = o.gateway ?? new FakeGateway();
  const replies: string[] = [];
  const events: Array<{ type: string; detail: string; extra?: Record<string, unknown> }> = [];
  const ref = o.ref ?? { ms: T, quality: "synced" as const };
  const clock = new ManualClock(T);
  const p = await CommandProcessor.open({
    stateDir: dir,
    policy: { unsigned: new Set(["help"]), disabled: new Set(), maxAgeMs: 900_000, maxFutureMs: 300_000, rebootToken: "CONFIRM" },
    key: KEY,
    unauthenticated: "nak",
    nakTemplate: "NAK {verb} {reason}",
    naksPerHour: 10,
    rebootMinIntervalMs: 1_800_000,
    gateway,
    reply: (text) => {
      replies.push(text);
      return Promise.resolve();
    },
    event: (type, detail, extra) => void events.push({ type, detail, ...(extra ? { extra } : {}) }),
    septets,
    referenceTime: () => ref,
    clock,
    ...o,
  });
  let n = 0;
  const msg = (text: string, extra: Partial<InboundCommand> = {}): InboundCommand => ({
    id: `m${++n}-${Math.random()}`,
    kind: "command",
    sender: "2936",
    text,
    timestamp: new Date(T).toISOString(),
    ...extra,
  });
  /** The inbox's hand-off, then the run: what the daemon's consumer does. */
  const deliver = async (m: InboundCommand) => {
    const a = await p.admit(m);
    await p.dispatch(a);
    return a;
  };
  return { p, dir, gateway, replies, events, msg, deliver, ref };
}
