import type { SimLookup } from "../api/index.js";
import type { Config } from "../config/index.js";
import { describeError, type Clock, type Logger } from "../core/index.js";
import { DEFAULT_APN } from "../health/index.js";
import { LadderStore, LinkWatchdog, parseProbe, type LinkFacts, type LinkStatus, type StepOutcome } from "../link/index.js";
import type { BearerConfig, ModemSnapshot } from "../modem/index.js";
import type { MqttLink } from "../mqtt/index.js";
import type { ModemStack } from "./modem-stack.js";

type EventFn = (type: string, detail: string, extra?: Record<string, unknown>) => void;

export interface LinkWiring {
  cfg: Config;
  stack: ModemStack;
  link: MqttLink;
  lookup: SimLookup | undefined;
  snapshot: () => ModemSnapshot | undefined;
  event: EventFn;
  /** The host reboot, the same path as the `reboot` Command's (polkit rule in systemd/). */
  reboot: () => Promise<void>;
  sms: (text: string) => Promise<void>;
  clock: Clock;
  log: Logger;
}

/** The bearer as configured: the product's APN (sim.apn overrides), the IP type, the context id. */
export function bearerConfig(cfg: Config): BearerConfig {
  return {
    mode: cfg.link.bearer,
    apn: cfg.sim.apn ?? DEFAULT_APN[cfg.sim.product],
    ipType: cfg.link.ipType,
    ...(cfg.link.cid !== undefined ? { cid: cfg.link.cid } : {}),
  };
}

/**
 * The data-path watchdog wired to the modem (the ladder's AT steps, the modem's own reports,
 * the AT ladder's hold), the host (reboot), the carrier's view and the modem's picture (what
 * explains a failure), MQTT (the bridge's state, `events`) and SMS (a data cap is reported).
 * The bearer is set up whenever the modem port opens (a reset or a replug loses it).
 */
export async function openLinkWatchdog(w: LinkWiring): Promise<LinkWatchdog> {
  const { cfg, stack, log } = w;
  const bc = bearerConfig(cfg);
  const store = new LadderStore(cfg.state.dir, log.child({ mod: "link" }));
  const bearer = stack.modem.bearer;
  const safe = (fn: () => Promise<StepOutcome>) => () =>
    fn().catch((err: unknown) => ({ ok: false, detail: describeError(err) }));
  const watchdog = new LinkWatchdog({
    store,
    state: await store.load(),
    policy: {
      failures: cfg.link.failures,
      recover: cfg.link.recover,
      minIntervalMs: {
        reattach: cfg.link.minIntervalS.reattach * 1000,
        cfun: cfg.link.minIntervalS.cfun * 1000,
        "modem-reset": cfg.link.minIntervalS["modem-reset"] * 1000,
        reboot: cfg.link.minIntervalS.reboot * 1000,
      },
      maxRebootsPerDay: cfg.link.maxRebootsPerDay,
    },
    probe: parseProbe(cfg.link.probe),
    bearer: bc.mode,
    intervalMs: cfg.link.intervalS * 1000,
    bridge: () => w.link.state.bridge,
    facts: () => linkFacts(w.snapshot(), w.lookup),
    selection: () => stack.modem.selection.read(),
    steps: {
      reattach: safe(() => bearer.reattach(bc)),
      cfun: (_reason, fix) => safe(() => (fix === "selection" ? reselect(stack, bc) : bearer.airplaneCycle(bc)))(),
      "modem-reset": safe(() => stack.supervisor.resetModem("data path down")),
      reboot: safe(async () => {
        await w.reboot();
        return { ok: true, detail: `host reboot started (${cfg.commands.reboot.command.join(" ")})` };
      }),
    },
    redial: safe(() => bearer.reattach(bc)),
    holdModemRecovery: (until) => stack.supervisor.holdRecovery(until),
    event: w.event,
    sms: (text) => void w.sms(text).catch((err: unknown) => log.warn({ err: describeError(err) }, "link report not sent by SMS")),
    clock: w.clock,
    log: log.child({ mod: "link" }),
  });
  stack.modem.events.on("data", (e) => watchdog.onDataEvent(e));
  const setup = () =>
    void bearer
      .setup(bc)
      .then((r) => {
        log.info({ detail: r.detail }, "data bearer set up");
        if (r.stray.length > 0)
          w.event("link-contexts", `other contexts have an address (cid ${r.stray.join(", ")}): data may leave through them`, {
            stray: r.stray,
          });
      })
      .catch((err: unknown) => log.warn({ err: describeError(err) }, "data bearer not set up; the watchdog will notice"));
  stack.supervisor.events.on("portOpened", setup);
  // A reset (the AT ladder's, a Command's or this ladder's) restarts the module: its interface is down again.
  stack.supervisor.events.on("recovery", (r) => void ("phase" in r && r.phase === "ok" && r.step !== "resync" && setup()));
  if (stack.supervisor.state.kind === "ready") setup();
  return watchdog;
}

/** The cure of a module kept off the network by its own selection: automatic selection, an empty EF_FPLMN, a radio cycle. */
async function reselect(stack: ModemStack, bc: BearerConfig): Promise<StepOutcome> {
  const sel = stack.modem.selection;
  const undone = await sel.reset(await sel.read());
  const cycle = await stack.modem.bearer.airplaneCycle(bc);
  return { ok: undone.ok && cycle.ok, detail: [...undone.done, cycle.detail].join("; ") };
}

/** What the modem and the carrier say, for the diagnosis: the data domain's registration (never the CS one), the account. */
function linkFacts(s: ModemSnapshot | undefined, lookup: SimLookup | undefined): Pick<LinkFacts, "registration" | "carrier"> {
  const reg = s?.registration.eps ?? s?.registration["5gs"] ?? s?.registration.ps;
  const c = lookup?.peek()?.view;
  return {
    registration: reg ? { state: reg.state, rejectCause: reg.rejectCause?.type === "emm" ? reg.rejectCause.cause : null } : null,
    carrier: c
      ? {
          simStatus: c.sim.status,
          dataEnabled: c.plan?.dataEnabled ?? null,
          usagePercent: c.usage?.percentOfLimit ?? null,
          attachRefusedAt: c.attachThrottled?.at ?? null,
        }
      : null,
  };
}

/** The data path in one word, for the status reply and STATUS=. */
export function dataPathWord(s: LinkStatus | undefined): string | null {
  if (s === undefined) return null;
  if (s.probe === "none") return "off";
  if (s.mode === "recovering") return `fixing-${s.running ?? "?"}`;
  if (s.mode === "held") return s.hold?.kind === "wait" ? "waiting" : "blocked";
  if (s.mode === "waiting") return "down";
  return s.mode;
}
