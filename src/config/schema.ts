import { z } from "zod";
import { ACTING_VERBS, VERBS } from "../commands/index.js";

/**
 * The configuration file's schema: the single source of the Config type, its defaults and its
 * checks (docs/configuration.md). Every object is strict, so an unknown (misspelt) key is an error with its
 * path. Secrets are not here: they come from the credentials directory, a `*File` path or the
 * environment (see secrets.ts).
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
    /** nak: an unsigned cellgate verb that needs a signature is answered with the NAK; publish-only: it is only published on MQTT. A signed one that fails is always answered; text not addressed to cellgate never is. */
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
    /** The rejection reply; {verb} and {reason} are replaced (reason: bad-tag, replay, expired, future, unsigned, unknown-verb, disabled, bad-args, no-key, foreign). */
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
  /** `status` is republished this often even without a change. */
  heartbeatS: seconds(300, 10),
  telemetryS: seconds(60, 1),
  outbox: outbox.prefault({}),
  /** MO SMS that local applications may send through commands/send (each costs money); beyond it requests are refused. */
  sendBudget: z
    .strictObject({
      perHour: z.number().int().min(0).max(1000).default(20),
      perDay: z.number().int().min(0).max(10_000).default(100),
    })
    .refine((b) => b.perDay >= b.perHour, { message: "perDay must be at least perHour", path: ["perDay"] })
    .prefault({}),
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
  state: z.strictObject({ dir: path.default("/var/lib/cellgate") }).prefault({}),
  control: z.strictObject({ socket: path.default("/run/cellgate/control.sock") }).prefault({}),
  log: z.strictObject({ level: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info") }).prefault({}),
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
