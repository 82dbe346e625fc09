import { connect, type MqttClient } from "mqtt";
import type { ApiClient } from "../api/index.js";
import { commandKey, signText } from "../commands/index.js";
import { describeError } from "../core/index.js";
import { decodePdu, gsm7Length } from "../sms/pdu/index.js";
import type { CommandReceivedPayload, CommandSentPayload, EventPayload, HealthPayload } from "../mqtt/index.js";
import type { ModemSimulator, PtyModem } from "../sim/modem/index.js";
import type { Observation, Step } from "./demo-story.js";

// "How are you?" from +31641600986 (python-messaging's test vector), standing in for an inbound SMS.
const SAMPLE_SMS = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";
const SAMPLE_SENDER = "+31641600986";

export type Say = (msg: string) => void;

/**
 * A local application on the broker, as an operator would write one: it prints what cellgate
 * publishes (health when it changes, Commands, results, events) and answers the Commands that
 * are its own (those not addressed to cellgate) through commands/send, which cellgate sends as
 * an MO Command. cellgate answers its verbs itself. Everything it reads is also `observe`d.
 */
export async function narrator(url: string, prefix: string, say: Say, observe: (o: Observation) => void): Promise<MqttClient> {
  const c = connect(url, { clientId: `cellgate-demo-app-${process.pid}`, reconnectPeriod: 1000 });
  let lastHealth = "";
  c.on("message", (topic, buf) => {
    const name = topic.slice(prefix.length + 1);
    let j: Record<string, unknown>;
    try {
      j = JSON.parse(buf.toString()) as Record<string, unknown>;
    } catch {
      return;
    }
    if (name === "health") {
      const line = healthLine(j as unknown as HealthPayload);
      if (line !== lastHealth) say(`mqtt ${name}: ${line}`);
      lastHealth = line;
    } else if (name === "commands/received") {
      const m = j as unknown as CommandReceivedPayload;
      const auth = m.auth === "none" ? " (not addressed to cellgate: the application's)" : ` auth=${m.auth}`;
      say(
        `mqtt ${name}: ${m.kind} from ${m.sender ?? "?"}: ` +
          `${JSON.stringify(m.text ?? m.data ?? m.error)}${auth}${m.auth_reason ? ` (${m.auth_reason})` : ""}`,
      );
      // Not addressed to cellgate (auth none): the application's own Command, for it to answer.
      if (m.kind === "command" && m.auth === "none" && m.text !== undefined)
        void c.publishAsync(
          `${prefix}/commands/send`,
          JSON.stringify({ text: `ack ${m.text}`.slice(0, 150), transaction: m.id }),
          {
            qos: 1,
          },
        );
    } else if (name === "commands/sent") {
      const r = j as unknown as CommandSentPayload;
      say(
        `mqtt ${name}: ${r.status}${r.data ? ` (to ${r.data.to}, message reference ${r.data.mr})` : ` ${JSON.stringify(r.error)}`}`,
      );
    } else if (name === "events") {
      say(`mqtt ${name}: ${(j as EventPayload).detail}`);
    }
    observe({ kind: "mqtt", topic: name, json: j });
  });
  await new Promise<void>((resolve) => c.once("connect", () => resolve()));
  await c.subscribeAsync([`${prefix}/health`, `${prefix}/commands/received`, `${prefix}/commands/sent`, `${prefix}/events`], {
    qos: 1,
  });
  return c;
}

/** The verdict and what is not passing (unknown checks only when the verdict is unknown: "cannot tell" is not news). */
function healthLine(h: HealthPayload): string {
  const shown = h.checks.filter(
    (x) => x.status === "fail" || x.status === "warn" || (h.verdict === "unknown" && x.status === "unknown"),
  );
  const rest = shown.length
    ? shown.map((x) => `${x.id} ${x.status}: ${x.detail}`)
    : [h.checks.find((x) => x.id === "registration")?.detail ?? ""];
  return `health ${h.verdict.toUpperCase()} | ${rest.join(" | ")}`;
}

const mqtt =
  (topic: string, test: (j: Record<string, unknown>) => boolean) =>
  (o: Observation): boolean =>
    o.kind === "mqtt" && o.topic === topic && test(o.json);
const reply =
  (test: (text: string) => boolean) =>
  (o: Observation): boolean =>
    o.kind === "reply" && test(o.text);
const check = (j: Record<string, unknown>, id: string) => (j as unknown as HealthPayload).checks.find((c) => c.id === id)?.status;

type Create = (text: () => string) => void;
type Sign = (text: string, key?: string) => () => string;

/**
 * What happens to the simulated world, one step after the other, each with what shows it worked.
 * `observe` receives the gateway's SMS as the network sees them; returns the steps and a stop.
 */
export function script(
  sim: ModemSimulator,
  pty: PtyModem,
  api: ApiClient,
  say: Say,
  key: string,
  observe: (o: Observation) => void,
): { steps: Step[]; stop: () => void } {
  const good = { ...sim.world.net };
  const signed: Sign =
    (text, k = key) =>
    () =>
      signText(commandKey(k, "the demo"), text, Date.now(), (s) => gsm7Length(s));
  const offMo = sim.events.on("smsSent", (sms) => {
    const p = sms.pdu === undefined ? undefined : decodePdu(sms.pdu);
    if (p?.type !== "submit") return;
    say(`[network] the gateway's reply to ${p.recipient}: ${JSON.stringify(p.text ?? "(binary)")}`);
    if (p.text !== undefined) observe({ kind: "reply", text: p.text });
  });
  const command: Create = (text) =>
    void api.wireless!.createCommand({ sim: "gateway-0001", command: text(), includeSid: "end" }).then(
      (c) => say(`[demo] POST /v1/Commands → ${c.sid} (${c.status})`),
      (err: unknown) => say(`[demo] POST /v1/Commands failed: ${describeError(err)}`),
    );
  const first: Step = {
    what: "an operator signs `status` (cellgate sign) and creates the Command through the (simulated) Wireless API",
    act: () => command(signed("status")),
    outcomes: [{ label: "verified, run, answered in one SMS", seen: reply((t) => t.startsWith("status ")) }],
    pauseS: 3,
    allowS: 30,
  };
  return { steps: [first, ...radioSteps(sim, good), ...commandSteps(command, signed), ...modemSteps(sim, pty)], stop: offMo };
}

/** The radio around the gateway, and an ordinary SMS. */
function radioSteps(sim: ModemSimulator, good: ModemSimulator["world"]["net"]): Step[] {
  return [
    {
      what: "the signal fades",
      act: () => sim.setNetwork({ rsrpDbm: -113, rsrqDb: -17, sinrDb: -2, rssiDbm: -97 }),
      outcomes: [{ label: "health: signal warns", seen: mqtt("health", (j) => check(j, "signal") === "warn") }],
      pauseS: 3,
      allowS: 30,
    },
    {
      what: "coverage is lost",
      act: () => sim.setNetwork({ eps: 2, cs: 2, ps: 2, attached: false }),
      outcomes: [{ label: "health: DOWN", seen: mqtt("health", (j) => j.verdict === "down") }],
      pauseS: 3,
      allowS: 30,
    },
    {
      what: "coverage is back",
      act: () => sim.setNetwork(good),
      outcomes: [
        {
          label: "health: registered and attached again",
          seen: mqtt("health", (j) => check(j, "registration") === "pass" && check(j, "attach") === "pass"),
        },
      ],
      pauseS: 3,
      allowS: 30,
    },
    {
      what: "an SMS arrives from an ordinary number",
      act: () => void sim.deliverSms({ pdu: SAMPLE_SMS }),
      outcomes: [
        {
          label: "published as it is",
          seen: mqtt("commands/received", (j) => j.kind === "foreign" && j.sender === SAMPLE_SENDER),
        },
      ],
      pauseS: 2,
      allowS: 30,
    },
  ];
}

/** Three Commands at once: one for cellgate, one for a local application, one forged. */
function commandSteps(command: Create, signed: Sign): Step[] {
  return [
    {
      what:
        "three Commands through the API: a signed `health`, a local application's own `setpoint 21`, a forged " +
        "`modem-reset` (signed with the wrong key)",
      act: () => {
        command(signed("health"));
        command(() => "setpoint 21");
        command(signed("modem-reset", "not the gateway's key, 32 bytes!"));
      },
      outcomes: [
        { label: "health answered", seen: reply((t) => t.startsWith("health ")) },
        {
          label: "setpoint 21 delivered to the application, which answered",
          seen: mqtt("commands/sent", (j) => j.status === "ok"),
        },
        { label: "the forgery refused and NAKed, never run", seen: reply((t) => t === "NAK modem-reset bad-tag") },
      ],
      pauseS: 2,
      allowS: 45,
    },
  ];
}

/** The modem itself: a hung AT channel, then the USB device going away and coming back. */
function modemSteps(sim: ModemSimulator, pty: PtyModem): Step[] {
  return [
    {
      what: "the modem's AT channel hangs (only a reset helps)",
      act: () => sim.hang("until-reset"),
      outcomes: [
        {
          label: "the recovery ladder reset the modem",
          seen: mqtt("events", (j) => j.type === "recovery" && j.phase === "ok" && j.step !== "resync"),
        },
      ],
      pauseS: 3,
      allowS: 60,
    },
    {
      what: "the modem is unplugged",
      act: () => void pty.unplug(),
      outcomes: [{ label: "modem-lost", seen: mqtt("events", (j) => j.type === "modem-lost") }],
      pauseS: 3,
      allowS: 30,
    },
    {
      what: "the modem is plugged back in",
      act: () => void pty.replug(),
      outcomes: [{ label: "modem-found, the port open again", seen: mqtt("events", (j) => j.type === "modem-found") }],
      pauseS: 3,
      allowS: 45,
    },
  ];
}
