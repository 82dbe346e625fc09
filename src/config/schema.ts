import * as z from "zod";
import { ACTING_VERBS, VERBS } from "../commands/index.js";

/**
 * The configuration file's schema: the single source of the Config type, its defaults and its
 * checks (docs/configuration.md). Every object is strict, so an unknown (misspelt) key is an error with its
 * path. Secrets are not here: they come from the credentials directory, a `*File` path or the
 * environment (core/secrets.ts reads them).
 */
const seconds = (dflt: number, min = 1, max = 86_400 * 30) => z.number().int().min(min).max(max).default(dflt);
const path = z.string().min(1);

const modem = z.strictObject({
  /** The AT port: a path (prefer /dev/serial/by-id/…) or a glob such as /dev/ttyUSB*; several are tried in order. */
  port: z
    .union([path, z.array(path).min(1)], { error: "expected a path or a list of paths" })
    .default("/dev/serial/by-id/*-if02-port0"),
  baudRate: z.number().int().min(300).max(4_000_000).default(115_200),
  vendor: z.enum(["auto", "quectel", "simcom", "ublox", "telit", "nordic", "generic"]).default("auto"),
  /** File holding the SIM PIN (else the MODEM_PIN credential or CELLGATE_MODEM_PIN). */
  pinFile: path.optional(),
  /** How often the modem is read for health and telemetry. */
  pollS: seconds(30, 1, 3600),
});

const sim = z.strictObject({
  product: z.enum(["programmable-wireless", "super-sim"]).default("programmable-wireless"),
  /** The APN the PDP context must use; default by product (wireless.twilio.com, super). */
  apn: z.string().min(1).optional(),
});

/** SMS reception: how long a multipart message may wait for its parts, how often storage is swept, where SMS are kept. */
const sms = z.strictObject({
  /** An incomplete multipart message is handed off, flagged incomplete with the parts that came, after this long. */
  multipartTimeoutS: seconds(1800, 60, 7 * 86_400),
  /** A full sweep of the modem's SMS storage this often: some modems do not send +CMTI for every SMS. */
  sweepS: seconds(300, 10, 86_400),
  /** Preferred SMS memories for +CPMS, tried in order (ME: the modem's, SM: the SIM's, MT: both). */
  storage: z
    .array(z.enum(["ME", "SM", "MT", "SR", "BM"]))
    .min(1)
    .default(["ME", "SM"]),
  /**
   * How SMS reach cellgate: `storage` (kept on the modem, announced by +CMTI, deleted after the
   * hand-off), `direct` (routed as +CMT, acknowledged with +CNMA after the hand-off: modems with
   * no usable storage, such as the nRF91), `auto` (storage where the modem has it).
   */
  reception: z.enum(["auto", "storage", "direct"]).default("auto"),
});

const verb = z.enum(VERBS);

const commands = z
  .strictObject({
    /** Publish every inbound Command on MQTT (the hand-off); off only for SMS-only gateways (the journal is then the hand-off). */
    publish: z.boolean().default(true),
    /** File holding the HMAC key (else the COMMAND_KEY credential or CELLGATE_COMMAND_KEY). */
    keyFile: path.optional(),
    /** Verbs that run without a signature. reboot and modem-reset never do. */
    unsigned: z.array(verb).default(["help"]),
    /** Verbs turned off here (never by SMS: no Command can lock the operator out). */
    disabled: z.array(verb).default([]),
    /**
     * nak: an unsigned cellgate verb that needs a signature is answered with the NAK; publish-only: it
     * is only published on MQTT. A signed one that fails is always answered; text not addressed to
     * cellgate never is.
     */
    unauthenticated: z.enum(["nak", "publish-only"]).default("nak"),
    /**
     * How old a signed Command may be when it arrives (SMS can sit in the network while the gateway is
     * off; Super SIM retries delivery for 24 h): `read` for the verbs that only read, `act` for those
     * that act (modem-reset, reboot). One number is both.
     */
    maxAgeS: z
      .union(
        [
          z
            .number()
            .int()
            .min(30)
            .max(86_400)
            .transform((n) => ({ read: n, act: n })),
          z.strictObject({ read: seconds(86_400, 30, 86_400), act: seconds(900, 30, 86_400) }),
        ],
        { error: "expected seconds (30 to 86400) for every verb, or { read, act }" },
      )
      .default({ read: 86_400, act: 900 }),
    /** How far ahead of the gateway's clock a signing time may be. */
    maxFutureS: seconds(300, 0, 3600),
    /**
     * The rejection reply; {verb} and {reason} are replaced (reason: bad-tag, replay, expired, future,
     * unsigned, unknown-verb, disabled, bad-args, no-key, foreign).
     */
    nak: z.string().min(1).max(60).default("NAK {verb} {reason}"),
    /** At most this many NAKs an hour (each is an SMS; a flood of forged Commands must not become a bill). */
    naksPerHour: z.number().int().min(0).max(120).default(10),
    reboot: z
      .strictObject({
        /** argv of the host reboot, run without a shell (a polkit rule lets the cellgate user do it; see systemd/). */
        command: z.array(z.string().min(1)).min(1).default(["systemctl", "reboot"]),
        /** The word a reboot Command must carry: `reboot CONFIRM`. */
        confirm: z
          .string()
          .regex(/^[A-Za-z0-9_-]{4,32}$/, "4 to 32 letters, digits, _ or -")
          .default("CONFIRM"),
        /** Refuse another reboot within this long of the last (never a reboot loop). */
        minIntervalS: seconds(1800, 60),
      })
      .prefault({}),
    /** When "back online" is also sent as an MO Command (costs an SMS each): after a requested reboot, any restart, a modem recovery. */
    backOnlineSms: z.array(z.enum(["reboot", "restart", "recovery"])).default(["reboot"]),
  })
  .superRefine((c, ctx) => {
    for (const v of c.unsigned.filter((x) => ACTING_VERBS.includes(x)))
      ctx.addIssue({ code: "custom", path: ["unsigned"], message: `${v} acts on the gateway and always needs a signature` });
  });

const tls = z.strictObject({
  caFile: path.optional(),
  certFile: path.optional(),
  keyFile: path.optional(),
  rejectUnauthorized: z.boolean().default(true),
});

const outbox = z.strictObject({
  /** QoS 1 messages kept on disk while the broker is unreachable. */
  maxMessages: z.number().int().min(1).max(1_000_000).default(10_000),
  maxBytes: z.number().int().min(1024).max(1_073_741_824).default(10_485_760),
  /** Older messages are dropped (counted) rather than sent late. */
  maxAgeS: seconds(7 * 86_400, 60),
});

const mqtt = z.strictObject({
  url: z
    .string()
    .regex(/^(mqtts?|wss?|tcp|ssl):\/\/\S+$/, "must be mqtt://, mqtts://, ws://, wss://, tcp:// or ssl:// followed by a host")
    .default("mqtt://127.0.0.1:1883"),
  /** Topic prefix; default cellgate/<gateway id>. */
  topicPrefix: z
    .string()
    .regex(/^[^#+\s]+[^/#+\s]$/, "must not contain #, + or spaces, nor end with /")
    .optional(),
  clientId: z.string().min(1).max(128).optional(),
  username: z.string().min(1).optional(),
  /** File holding the password (else the MQTT_PASSWORD credential or CELLGATE_MQTT_PASSWORD). */
  passwordFile: path.optional(),
  tls: tls.optional(),
  protocolVersion: z.union([z.literal(4), z.literal(5)], { error: "expected 4 (MQTT 3.1.1) or 5" }).default(4),
  keepaliveS: seconds(30, 5, 3600),
  /**
   * false: `status` and its Will are published without retain, for a bridge to a broker that
   * rejects retained messages or Wills (Azure Event Grid); a subscriber then learns the state
   * at the next heartbeat rather than at once.
   */
  statusRetain: z.boolean().default(true),
  /**
   * `status` is republished this often even without a change. Hourly: every republish crosses a
   * fleet bridge on a metered link, and liveness is the Will's job (and the bridge's own).
   */
  heartbeatS: seconds(3600, 10),
  /** Every sample crosses a fleet bridge: 15 minutes keeps a day's bridge traffic within 60 KB (docs/benchmarks.md). */
  telemetryS: seconds(900, 1),
  outbox: outbox.prefault({}),
  /** MO SMS that local applications may send through commands/send (each costs money); beyond it requests are refused. */
  sendBudget: z
    .strictObject({
      perHour: z.number().int().min(0).max(1000).default(20),
      perDay: z.number().int().min(0).max(10_000).default(100),
    })
    .refine((b) => b.perDay >= b.perHour, { message: "perDay must be at least perHour", path: ["perDay"] })
    .prefault({}),
  /** What is a change worth republishing a snapshot for: every republish crosses a bridge, and cellular bytes cost money. */
  deadband: z
    .strictObject({
      /**
       * The network snapshot is republished when a signal value moved this much since it was last
       * published (0: any change). A stationary module's reads wander ±1–2 dB (SINR more); 6 dB is
       * a real fade. Telemetry carries the exact values.
       */
      signalDb: z.number().min(0).max(30).default(6),
      /** The sim snapshot is republished when this month's usage crossed a step of this many bytes (or anything else changed). */
      usageBytes: z.number().int().min(1).max(1e12).default(1_000_000),
    })
    .prefault({}),
  /** Local request/response on <prefix>/request/<name>; `at` is a root shell for the modem, so it is off unless turned on. */
  requests: z
    .strictObject({
      enabled: z.boolean().default(true),
      at: z.boolean().default(false),
    })
    .prefault({}),
});

/** Home Assistant MQTT discovery (opt-in): one device with its entities, on the local broker only. */
const homeassistant = z.strictObject({
  enabled: z.boolean().default(false),
  /** Home Assistant's discovery prefix (its `discovery_prefix`). */
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, "letters, digits, _ and - in /-separated levels")
    .default("homeassistant"),
});

/** Prometheus: a /metrics endpoint and/or node_exporter's textfile collector (each off unless given). */
const metrics = z.strictObject({
  /** host:port of the /metrics endpoint, e.g. 127.0.0.1:9464 (keep it on loopback or a management network). */
  listen: z
    .string()
    .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "expected host:port, e.g. 127.0.0.1:9464")
    .optional(),
  /** The textfile collector's file, e.g. /var/lib/node_exporter/cellgate.prom (must end in .prom). */
  textfile: path.regex(/\.prom$/, "node_exporter's textfile collector reads only *.prom files").optional(),
  /** How often the textfile is rewritten. */
  textfileS: seconds(60, 5, 3600),
});

const api = z.strictObject({
  provider: z.enum(["twilio", "kore", "none"]).default("twilio"),
  baseUrl: z
    .string()
    .regex(/^https?:\/\/\S+$/, "must be an http(s) URL")
    .optional(),
  /** How often the carrier's view of the SIM is refreshed (the API is rate-limited and billed by nobody, but polite). */
  refreshS: seconds(900, 60),
});

/** The steps of the data-path ladder, lightest first (src/link/). */
export const LINK_STEPS = ["reattach", "cfun", "modem-reset", "reboot"] as const;

/**
 * Keeping the data link up: who brings the bearer up, how the data path is probed, and the
 * ladder of recovery steps taken when it stays down (each rate-limited, persisted across restarts).
 */
const link = z.strictObject({
  /**
   * module: the module's own interface (ECM/RNDIS/QMI auto-connect); ppp: pppd on a second tty;
   * external: ModemManager keeps the bearer, cellgate watches.
   */
  bearer: z.enum(["module", "ppp", "external"]).default("module"),
  /**
   * bridge: the MQTT bridge's link state (no traffic of its own); tcp://host:port: a TCP connect;
   * dns://name: a lookup; none: no watchdog.
   */
  probe: z
    .string()
    .regex(/^(bridge|none|tcp:\/\/[^\s/:]+:\d{1,5}|dns:\/\/[^\s/]+)$/, "bridge, none, tcp://host:port or dns://name")
    .default("bridge"),
  /** How often the probe runs. */
  intervalS: seconds(300, 1, 86_400),
  /** Consecutive failed probes before the first recovery step. */
  failures: z.number().int().min(1).max(100).default(3),
  /** The ladder, in order; any subset. */
  recover: z
    .array(z.enum(LINK_STEPS))
    .default([...LINK_STEPS])
    .refine((r) => new Set(r).size === r.length, { message: "a step may appear once" }),
  /** No step is taken again within its minimum interval (the reboot's doubles with each reboot that did not help). */
  minIntervalS: z
    .strictObject({
      reattach: seconds(300, 1),
      cfun: seconds(900, 1),
      "modem-reset": seconds(1800, 1),
      reboot: seconds(21_600, 60),
    })
    .prefault({}),
  /** At most this many ladder reboots in 24 h (never a reboot loop). */
  maxRebootsPerDay: z.number().int().min(0).max(24).default(3),
  /** The PDP context id cellgate configures (default: the module's, 1 on most, 0 on Nordic). */
  cid: z.number().int().min(0).max(24).optional(),
  /** The context's IP type. */
  ipType: z.enum(["IP", "IPV6", "IPV4V6"]).default("IP"),
});

export const configSchema = z.strictObject({
  gateway: z
    .strictObject({
      id: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, "letters, digits, . _ - only (it is part of MQTT topics)")
        .optional(),
    })
    .prefault({}),
  modem: modem.prefault({}),
  sim: sim.prefault({}),
  sms: sms.prefault({}),
  commands: commands.prefault({}),
  mqtt: mqtt.prefault({}),
  api: api.prefault({}),
  link: link.prefault({}),
  state: z.strictObject({ dir: path.default("/var/lib/cellgate") }).prefault({}),
  control: z.strictObject({ socket: path.default("/run/cellgate/control.sock") }).prefault({}),
  homeassistant: homeassistant.prefault({}),
  metrics: metrics.prefault({}),
  log: z
    .strictObject({
      level: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
      /** json: one JSON object a line (journald, log shippers); text: one readable line; auto: text when stderr is a terminal. */
      format: z.enum(["auto", "json", "text"]).default("auto"),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;

/**
 * The keys a reload (SIGHUP) applies at once; every other key takes effect at the next start
 * (`cellgate` says so for each one changed).
 */
export const LIVE_KEYS: ReadonlySet<string> = new Set([
  "log.level",
  "modem.pollS",
  "mqtt.telemetryS",
  "mqtt.heartbeatS",
  "api.refreshS",
]);
export type ConfigInput = z.input<typeof configSchema>;
