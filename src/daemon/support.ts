import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readSecret, type Config } from "../config/index.js";
import { describeError, type Clock, type Logger } from "../core/index.js";
import type { HealthReport } from "../health/index.js";
import type { ModemSnapshot, PortSupervisor } from "../modem/index.js";
import { networkPayload, type MqttLink, type MqttLinkOptions } from "../mqtt/index.js";

/** Username, password (a secret) and TLS files for the broker, from the config and the credentials. */
export function mqttAuth(m: Config["mqtt"], env: NodeJS.ProcessEnv): Pick<MqttLinkOptions, "username" | "password" | "tls"> {
  const password = readSecret("MQTT_PASSWORD", { env, ...(m.passwordFile ? { file: m.passwordFile } : {}) });
  const file = (p: string) => Buffer.from(readSecret("TLS file", { file: p, env }) ?? "");
  const tls = m.tls && {
    ...(m.tls.caFile ? { ca: file(m.tls.caFile) } : {}),
    ...(m.tls.certFile ? { cert: file(m.tls.certFile) } : {}),
    ...(m.tls.keyFile ? { key: file(m.tls.keyFile) } : {}),
    rejectUnauthorized: m.tls.rejectUnauthorized,
  };
  return { ...(m.username ? { username: m.username } : {}), ...(password ? { password } : {}), ...(tls ? { tls } : {}) };
}

/** Why the previous run ended, for the "back online" event. */
export async function lastRun(dir: string): Promise<string> {
  try {
    const j = JSON.parse(await readFile(join(dir, "last-run.json"), "utf8")) as { state?: string; reason?: string };
    return j.state === "stopped"
      ? `after a clean stop (${j.reason ?? "no reason"})`
      : "after an unclean shutdown (crash, SIGKILL or power loss)";
  } catch {
    return "for the first time";
  }
}

/** The watchdog is fed only while the AT engine answers, or while the modem is known absent and being looked for. */
export function alive(s: PortSupervisor, clock: Clock, wdMs: number): boolean {
  if (s.state.kind === "waiting") return true;
  const last = s.engine?.lastAnswerAt;
  return last !== undefined && clock.now() - last < wdMs;
}

/** The one-line STATUS= for `systemctl status`. */
export function summary(r: HealthReport | undefined, s: ModemSnapshot | undefined, link: MqttLink): string {
  const n = s ? networkPayload(s) : undefined;
  const parts = [`health=${r?.verdict ?? "starting"}`];
  if (n?.registration) parts.push(`reg=${n.registration.state}`, `rat=${n.accessTech ?? "?"}`);
  if (n?.signal?.rsrpDbm != null) parts.push(`rsrp=${n.signal.rsrpDbm}`);
  else if (n?.signal?.rssiDbm != null) parts.push(`rssi=${n.signal.rssiDbm}`);
  parts.push(`mqtt=${link.state.connected ? "up" : "down"}`);
  return parts.join(" ");
}

const LIVE_KEYS = new Set(["log.level", "modem.pollS", "mqtt.telemetryS", "mqtt.heartbeatS", "api.refreshS"]);

/** Keys a reload changes: the live ones apply at once, the others are listed as needing a restart. */
export function changedKeys(a: Config, b: Config): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, path: string) => {
    if (typeof x === "object" && x !== null && typeof y === "object" && y !== null && !Array.isArray(x)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)]))
        walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) out.push(LIVE_KEYS.has(path) ? path : `${path} (needs a restart)`);
  };
  walk(a, b, "");
  return out;
}

/** Periodic tasks on the injectable clock: never overlapping (the next run is scheduled after this one ends), all cancelled at once. */
export class Timers {
  readonly #set = new Set<ReturnType<Clock["setTimeout"]>>();
  #stopped = false;

  constructor(
    readonly clock: Clock,
    readonly log: Logger,
  ) {}

  every(ms: () => number, fn: () => unknown): void {
    const schedule = () => {
      const h = this.clock.setTimeout(() => {
        this.#set.delete(h);
        Promise.resolve()
          .then(fn)
          .catch((err: unknown) => this.log.error({ err: describeError(err) }, "periodic task failed"))
          .finally(() => {
            if (!this.#stopped) schedule();
          });
      }, ms());
      this.#set.add(h);
    };
    schedule();
  }

  stop(): void {
    this.#stopped = true;
    for (const h of this.#set) this.clock.clearTimeout(h);
    this.#set.clear();
  }
}

/** Waits for `p`, but no longer than `ms` (a stop must not hang on a slow step). */
export async function within(p: Promise<unknown>, ms: number, clock: Clock): Promise<void> {
  let h: ReturnType<Clock["setTimeout"]> | undefined;
  await Promise.race([p.catch(() => {}), new Promise<void>((r) => (h = clock.setTimeout(r, ms)))]);
  if (h !== undefined) clock.clearTimeout(h);
}
