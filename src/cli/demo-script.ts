import { connect, type MqttClient } from "mqtt";
import type { ApiClient } from "../api/index.js";
import { commandKey, signText } from "../commands/index.js";
import { describeError } from "../core/index.js";
import { decodePdu, gsm7Length } from "../sms/pdu/index.js";
import type { CommandReceivedPayload, CommandSentPayload, EventPayload, HealthPayload } from "../mqtt/index.js";
import type { ModemSimulator, PtyModem } from "../sim/modem/index.js";

// "How are you?" from +31641600986 (python-messaging's test vector), standing in for an inbound SMS.
const SAMPLE_SMS = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";

export type Say = (msg: string) => void;

/**
 * A local application on the broker, as an operator would write one: it prints what cellgate
 * publishes (health when it changes, Commands, results, events) and answers the Commands that
 * are its own (text that is not a cellgate verb) through commands/send, which cellgate sends
 * as an MO Command. cellgate answers its verbs itself.
 */
export async function narrator(url: string, prefix: string, say: Say): Promise<MqttClient> {
  const c = connect(url, { clientId: `cellgate-demo-app-${process.pid}`, reconnectPeriod: 1000 });
  let lastHealth = "";
  c.on("message", (topic, buf) => {
    const name = topic.slice(prefix.length + 1);
    let j: unknown;
    try {
      j = JSON.parse(buf.toString());
    } catch {
      return;
    }
    if (name === "health") {
      const h = j as HealthPayload;
      const bad = h.checks.filter((x) => x.status !== "pass").map((x) => `${x.id} ${x.status}: ${x.detail}`);
      const line = `health ${h.verdict.toUpperCase()}${bad.length ? ` | ${bad.join(" | ")}` : ` | ${h.checks.find((x) => x.id === "registration")?.detail ?? ""}`}`;
      if (line !== lastHealth) say(`mqtt ${name}: ${line}`);
      lastHealth = line;
    } else if (name === "commands/received") {
      const m = j as CommandReceivedPayload;
      say(
        `mqtt ${name}: ${m.kind} from ${m.sender ?? "?"}: ${JSON.stringify(m.text ?? m.data ?? m.error)}${m.auth === "none" ? " (not addressed to cellgate: the application's)" : ` auth=${m.auth}${m.auth_reason ? ` (${m.auth_reason})` : ""}`}`,
      );
      // Not addressed to cellgate (auth none): the application's own Command, for it to answer.
      if (m.kind === "command" && m.auth === "none" && m.text !== undefined)
        void c.publishAsync(
          `${prefix}/commands/send`,
          JSON.stringify({ text: `ack ${m.text ?? "binary"}`.slice(0, 150), transaction: m.id }),
          { qos: 1 },
        );
    } else if (name === "commands/sent") {
      const r = j as CommandSentPayload;
      say(
        `mqtt ${name}: ${r.status}${r.data ? ` (to ${r.data.to}, message reference ${r.data.mr})` : ` ${JSON.stringify(r.error)}`}`,
      );
    } else if (name === "events") {
      say(`mqtt ${name}: ${(j as EventPayload).detail}`);
    }
  });
  await new Promise<void>((resolve) => c.once("connect", () => resolve()));
  await c.subscribeAsync([`${prefix}/health`, `${prefix}/commands/received`, `${prefix}/commands/sent`, `${prefix}/events`], {
    qos: 1,
  });
  return c;
}

/** What happens to the simulated world, on a loop; returns the function that stops it. */
export function script(sim: ModemSimulator, pty: PtyModem, api: ApiClient, say: Say, key: string): () => void {
  const good = { ...sim.world.net };
  const septets = (s: string) => gsm7Length(s);
  const signed =
    (text: string, k = key) =>
    () =>
      signText(commandKey(k, "the demo"), text, Date.now(), septets);
  const offMo = sim.events.on("smsSent", (sms) => {
    const p = sms.pdu === undefined ? undefined : decodePdu(sms.pdu);
    if (p?.type === "submit") say(`[network] the gateway's reply to ${p.recipient}: ${JSON.stringify(p.text ?? "(binary)")}`);
  });
  const command = (text: () => string) => () =>
    void api.wireless!.createCommand({ sim: "gateway-0001", command: text(), includeSid: "end" }).then(
      (c) => say(`[demo] POST /v1/Commands → ${c.sid} (${c.status})`),
      (err: unknown) => say(`[demo] POST /v1/Commands failed: ${describeError(err)}`),
    );
  const steps: Array<[number, string, () => void]> = [
    [
      8,
      "an operator signs `status` (cellgate sign) and creates the Command through the (simulated) Wireless API",
      command(signed("status")),
    ],
    [20, "the signal fades", () => sim.setNetwork({ rsrpDbm: -113, rsrqDb: -17, sinrDb: -2, rssiDbm: -97 })],
    [32, "coverage is lost", () => sim.setNetwork({ eps: 2, cs: 2, ps: 2, attached: false })],
    [44, "coverage is back", () => sim.setNetwork(good)],
    [50, "an SMS arrives from an ordinary number", () => void sim.deliverSms({ pdu: SAMPLE_SMS })],
    [56, "a signed `health` Command through the API", command(signed("health"))],
    [58, "a local application's own Command (not a cellgate verb: only published on MQTT)", command(() => "setpoint 21")],
    [
      60,
      "a forged Command (signed with the wrong key): refused, never run",
      command(signed("modem-reset", "not the gateway's key, 32 bytes!")),
    ],
    [64, "the modem's AT channel hangs (only a reset helps)", () => sim.hang("until-reset")],
    [95, "the modem is unplugged", () => void pty.unplug()],
    [100, "the modem is plugged back in", () => void pty.replug()],
  ];
  const timers: NodeJS.Timeout[] = [];
  const cycle = () => {
    for (const [at, what, act] of steps) {
      timers.push(
        setTimeout(() => {
          say(`[demo] ${what}`);
          act();
        }, at * 1000),
      );
    }
  };
  cycle();
  const again = setInterval(cycle, 120_000);
  return () => {
    offMo();
    clearInterval(again);
    timers.forEach((t) => clearTimeout(t));
  };
}
