import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AtEngine, createLinkPair } from "../../src/at/index.js";
import { ManualClock } from "../../src/core/index.js";
import { Modem } from "../../src/modem/index.js";
import { ModemSimulator, serveInProcess } from "../../src/sim/modem/index.js";
import { nordicNrf9160With } from "../../src/sim/modem/personalities/nordic-nrf9160.js";
import { Inbox, type InboundMessage, type SmsDevice } from "../../src/sms/index.js";
import { drive } from "../helpers/drive.js";

// A module with no SMS storage (the nRF9160, written from Nordic's AT reference): every SMS is
// routed as +CMT and must be acknowledged with +CNMA before the network's timer runs out, else
// the module stops routing (+CMS ERROR: 524) and the network delivers the message again later.
const SID = "DC0123456789abcdef0123456789abcdef";
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The modem's SMS device with another acknowledge (held back, or never sent: the process died). */
function withAck(d: SmsDevice, acknowledge: SmsDevice["acknowledge"]): SmsDevice {
  return {
    events: d.events,
    get memories() {
      return d.memories;
    },
    setupReception: (o, s) => d.setupReception(o, s),
    list: (m, s) => d.list(m, s),
    read: (i, m, s) => d.read(i, m, s),
    delete: (i, m, s) => d.delete(i, m, s),
    acknowledge,
  };
}

function setup(stateDir = mkdtempSync(join(tmpdir(), "cellgate-direct-"))) {
  dirs.push(stateDir);
  const clock = new ManualClock(Date.parse("2026-11-26T12:00:00Z"));
  const sim = new ModemSimulator({ clock, personality: nordicNrf9160With({ ackTimeoutMs: 5000 }) });
  const acks: string[] = [];
  const order: string[] = [];
  sim.events.on("command", (c) => {
    if (!c.startsWith("AT+CNMA")) return;
    acks.push(c);
    order.push("ack");
  });
  const run = <T>(p: Promise<T>) => drive(p, clock, 5);
  const until = (cond: () => boolean) =>
    run(
      (async () => {
        while (!cond()) await new Promise((r) => setImmediate(r));
      })(),
    );
  /** One gateway process: engine, modem, inbox; `device` may wrap the modem's SMS (to kill it mid-way). */
  const gateway = async (wrap: (d: SmsDevice) => SmsDevice = (d) => d) => {
    const [host, far] = createLinkPair();
    serveInProcess(sim, far);
    const engine = new AtEngine({ link: host, clock });
    const modem = new Modem({ port: engine, clock });
    await run(modem.init());
    const got: InboundMessage[] = [];
    const inbox = await Inbox.open({
      device: wrap(modem.sms),
      stateDir,
      product: "programmable-wireless",
      clock,
      reassemblyTimeoutMs: 30 * 60_000,
      sweepIntervalMs: 5 * 60_000,
      consumer: (m) => {
        got.push(m);
        order.push("handed-off");
        return Promise.resolve();
      },
    });
    await run(inbox.start());
    return { engine, modem, inbox, got };
  };
  return { clock, sim, acks, order, run, until, gateway, stateDir };
}

describe("SMS on a modem without storage: +CMT, acknowledged after the hand-off", () => {
  it("the modem has no storage, so reception is routed; each Command is handed off once, then acknowledged", async () => {
    const { sim, acks, order, until, gateway, run } = setup();
    const g = await gateway();
    expect(g.modem.sms.reception).toEqual({ kind: "direct", cnmi: "AT+CNMI=3,2,0,1", acked: true });
    sim.sendFromNetwork({ text: "status", sid: SID, sidAt: "end" });
    await until(() => g.got.length === 1 && acks.length === 1 && !sim.awaitingAck);
    expect(g.got[0]).toMatchObject({ id: `sid:${SID}`, kind: "command", sender: "2936", text: "status" });
    sim.sendFromNetwork({ text: "health" });
    await until(() => g.got.length === 2 && acks.length === 2 && !sim.awaitingAck);
    expect(sim.heldByNetwork).toBe(0);
    expect(order).toEqual(["handed-off", "ack", "handed-off", "ack"]);
    await run(g.inbox.stop());
  });

  it(
    "a missed acknowledgement: the module stops routing (+CMS ERROR: 524), cellgate sets it up again, the re-delivery " +
      "is handed off once",
    async () => {
      const { sim, acks, clock, until, gateway, run } = setup();
      let stalled = true;
      // The first acknowledgement is held back past the network's timer (a slow disk, a busy modem).
      const g = await gateway((d) =>
        withAck(d, async (s) => {
          while (stalled) await new Promise((r) => setImmediate(r));
          return d.acknowledge(s);
        }),
      );
      sim.sendFromNetwork({ text: "status", sid: SID, sidAt: "end" });
      await until(() => g.got.length === 1);
      const cnmiBefore = [...sim.world.settings.cnmi];
      await run(
        (async () => {
          clock.advance(6000); // past the 5 s the module waits
          while (sim.awaitingAck) await new Promise((r) => setImmediate(r));
        })(),
      );
      expect(cnmiBefore[1]).toBe(2);
      expect(sim.world.settings.cnmi[1]).toBe(0); // routing off: the SMS client was unregistered
      stalled = false;
      // The late acknowledgement is refused, reception is set up again, the network delivers again.
      await until(() => sim.world.settings.cnmi[1] === 2 && sim.heldByNetwork === 0 && !sim.awaitingAck && acks.length >= 2);
      expect(g.got).toHaveLength(1); // the re-delivery was recognised, not handed off twice
      await run(g.inbox.stop());
    },
  );

  it(
    "killed between the hand-off and the acknowledgement: after a restart the re-delivered SMS is acknowledged, not " +
      "handed off again",
    async () => {
      const { sim, acks, clock, until, gateway, run, stateDir } = setup();
      const dead = new Promise<void>(() => {}); // the process dies before its +CNMA leaves
      const first = await gateway((d) => withAck(d, () => dead));
      sim.sendFromNetwork({ text: "modem-reset", sid: SID, sidAt: "end" });
      await until(() => first.got.length === 1);
      await first.engine.close();
      await run(
        (async () => {
          clock.advance(6000);
          while (sim.awaitingAck) await new Promise((r) => setImmediate(r));
        })(),
      );
      expect(sim.heldByNetwork).toBe(1); // the network keeps it
      const second = await gateway();
      expect(stateDir).toBeTruthy();
      await until(() => sim.heldByNetwork === 0 && !sim.awaitingAck && acks.some((a) => a.startsWith("AT+CNMA")));
      expect(second.got).toHaveLength(0); // handed off once, in the first life
      expect(first.got).toHaveLength(1);
      await run(second.inbox.stop());
    },
  );
});
