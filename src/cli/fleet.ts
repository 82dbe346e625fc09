import { CommandProcessor, memoryStateFiles, type Gateway, type GatewayView, type InboundCommand } from "../commands/index.js";
import { describeError, silentLogger, systemClock, type Clock, type Logger } from "../core/index.js";
import { deriveGatewayKey } from "../remote/index.js";
import type { ApiSimulator, CommandRecord, SimRecord } from "../sim/api/index.js";
import { gsm7Length } from "../sms/pdu/index.js";
import { VERSION } from "./version.js";

/**
 * How a simulated gateway behaves: answers at once; offline (away, reachable after
 * `offlineMs`: the network holds its Commands and tries again); never (away for good); slow
 * (answers after `slowMs`); nak (holds a key the fleet key does not derive: every signed
 * Command is refused, bad-tag); late (its clock is `lateMs` ahead: as if delivery took that long).
 */
export type GatewayKind = "healthy" | "offline" | "never" | "slow" | "nak" | "late";

export interface FleetOptions {
  api: ApiSimulator;
  fleetKey: Buffer;
  /** Share of the fleet of each kind (the rest is healthy), spread evenly over the fleet. */
  mix?: Partial<Record<Exclude<GatewayKind, "healthy">, number>>;
  /** A kind for a SIM by unique name, over the mix. */
  kinds?: Record<string, GatewayKind>;
  offlineMs?: number;
  slowMs?: number;
  lateMs?: number;
  clock?: Clock;
  log?: Logger;
}

/** The mix `cellgate simulate api --fleet N` runs: most answer, some are away, slow or refuse. */
export const DEFAULT_MIX = { offline: 0.03, never: 0.02, slow: 0.05, nak: 0.02 } as const;

/**
 * A fleet of simulated gateways on the API simulator's fleet SIMs: each MT Command becomes an
 * inbound Command for that SIM's gateway — the real CommandProcessor (authentication, replay
 * guard, windows, verbs and reply fitting of src/commands) over a small view of a modem, its
 * state in memory — and each reply an MO Command (`from_sim`). Processors are made on a
 * gateway's first Command, so 10,000 SIMs cost little until they are asked.
 */
export class SimulatedFleet {
  readonly #o: FleetOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #gateways = new Map<string, SimGateway>();
  readonly #kinds = new Map<string, GatewayKind>();
  readonly #started: number;

  constructor(o: FleetOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ mod: "fleet-sim" });
    this.#started = this.#clock.now();
    const sims = o.api.fleet;
    const mix = o.mix ?? {};
    sims.forEach((s, i) => this.#kinds.set(s.sid, o.kinds?.[s.uniqueName ?? ""] ?? kindAt(i, sims.length, mix)));
    o.api.setMtDelivery((cmd, sim) => this.#deliver(cmd, sim));
  }

  kindOf(simSid: string): GatewayKind | undefined {
    return this.#kinds.get(simSid);
  }

  /** How many gateways of each kind. */
  census(): Record<GatewayKind, number> {
    const c: Record<GatewayKind, number> = { healthy: 0, offline: 0, never: 0, slow: 0, nak: 0, late: 0 };
    for (const k of this.#kinds.values()) c[k]++;
    return c;
  }

  stop(): void {
    this.#o.api.setMtDelivery(undefined);
  }

  #deliver(cmd: CommandRecord, sim: SimRecord): "stored" | "offline" | "failed" {
    const kind = this.#kinds.get(sim.sid);
    if (kind === undefined) return "stored"; // not a fleet SIM: the network takes it, nobody answers
    if (cmd.commandMode !== "text") return "stored";
    if (kind === "never") return "offline";
    if (kind === "offline" && this.#clock.now() - this.#started < (this.#o.offlineMs ?? 30_000)) return "offline";
    let gw = this.#gateways.get(sim.sid);
    if (gw === undefined) {
      gw = new SimGateway(sim, kind, this.#o, this.#clock, this.#log);
      this.#gateways.set(sim.sid, gw);
    }
    gw.receive(cmd);
    return "stored";
  }
}

/** Kinds spread evenly: SIM i is of the kind whose share its position falls in, interleaved over the fleet. */
function kindAt(i: number, n: number, mix: FleetOptions["mix"] & object): GatewayKind {
  // A fixed stride visits every position once, so the shares hold for any n and neighbours differ;
  // started mid-way, so the first gateways (the ones a newcomer asks first) answer.
  const pos = ((i * 7919 + Math.floor(n / 2)) % n) / n;
  let edge = 0;
  for (const kind of ["never", "offline", "slow", "nak", "late"] as const) {
    edge += mix[kind] ?? 0;
    if (pos < edge) return kind;
  }
  return "healthy";
}

class SimGateway {
  readonly #processor: Promise<CommandProcessor>;
  readonly #clock: Clock;

  constructor(
    readonly sim: SimRecord,
    kind: GatewayKind,
    o: FleetOptions,
    clock: Clock,
    log: Logger,
  ) {
    this.#clock = clock;
    const keyText = deriveGatewayKey(o.fleetKey, sim.iccid);
    // A NAKing gateway was given another key (a mistake in provisioning): every signed Command fails its tag.
    const key = Buffer.from(kind === "nak" ? `not-${keyText}` : keyText, "utf8");
    const lateMs = kind === "late" ? (o.lateMs ?? 2 * 3_600_000) : 0;
    const slowMs = kind === "slow" ? (o.slowMs ?? 5000) : 0;
    const reply = (text: string) => {
      clock.setTimeout(() => o.api.receiveMo(sim.sid, { text }), slowMs);
      return Promise.resolve();
    };
    this.#processor = CommandProcessor.open({
      stateDir: `/nonexistent/fleet/${sim.sid}`,
      files: memoryStateFiles(),
      policy: {
        unsigned: new Set(["help"]),
        disabled: new Set(),
        maxAgeMs: { read: 86_400_000, act: 900_000 },
        maxFutureMs: 300_000,
        rebootToken: "CONFIRM",
      },
      key,
      unauthenticated: "nak",
      nakTemplate: "NAK {verb} {reason}",
      naksPerHour: 10,
      rebootMinIntervalMs: 1_800_000,
      gateway: simulatedGateway(sim, clock),
      reply,
      event: () => {},
      septets: gsm7Length,
      referenceTime: () => ({ ms: clock.now() + lateMs, quality: "synced" }),
      clock,
      log,
    });
    this.#processor.catch((err: unknown) => log.error({ sim: sim.sid, err: describeError(err) }, "simulated gateway failed"));
  }

  receive(cmd: CommandRecord): void {
    const msg: InboundCommand = {
      id: cmd.sid,
      kind: "command",
      sender: this.sim.fleetSid !== undefined ? "000" : "2936",
      text: cmd.command,
      ...(cmd.includeSid !== "none" ? { sid: cmd.sid } : {}),
      timestamp: new Date(this.#clock.now()).toISOString(),
    };
    void this.#processor.then(async (p) => p.dispatch(await p.admit(msg))).catch(() => {});
  }
}

/** A gateway on a good day, its numbers varied by SIM so a fleet's replies are not all alike. */
function simulatedGateway(sim: SimRecord, clock: Clock): Gateway {
  const n = Number(sim.iccid.slice(-4)) || 0;
  const started = clock.now();
  const view = (): GatewayView => ({
    verdict: "ok",
    failing: [],
    modem: { answering: true, model: "EC25", revision: "EC25EFAR06A06M4G", port: "/dev/modem-at" },
    registration: { state: "roaming", roaming: true },
    operator: { name: "T-Mobile", mcc: "310", mnc: "260" },
    accessTech: "lte",
    cell: { tac: 11544 + (n % 50), lac: null, ci: 50_896_642 + n, band: "LTE BAND 12", pci: n % 504 },
    signal: { rssiDbm: -60 - (n % 30), rsrpDbm: -85 - (n % 35), rsrqDb: -8 - (n % 8), sinrDb: 20 - (n % 25), ber: null },
    attached: true,
    apn: sim.fleetSid !== undefined ? "super" : "wireless.twilio.com",
    ip: `10.64.${(n >> 8) % 256}.${n % 256}`,
    dataPath: "up",
    iccid: sim.iccid,
    carrier: {
      status: sim.status,
      plan: "gateway-plan",
      dataEnabled: true,
      usedBytes: 1_000_000 * (n % 400),
      limitBytes: 500_000_000,
      ageS: 300,
    },
    carrierError: null,
    mqtt: { connected: true, forS: 7200, outboxDepth: 0, dropped: 0, reconnects: 1 },
    uptimeS: Math.round((clock.now() - started) / 1000) + 86_400,
    hostUptimeS: 864_000,
    version: VERSION,
    clock: "synced",
  });
  return {
    view,
    refresh: () => Promise.resolve(view()),
    resetModem: () => Promise.resolve({ ok: true, detail: "the modem answers again", tookMs: 12_000 }),
    reboot: () => Promise.resolve(),
  };
}
