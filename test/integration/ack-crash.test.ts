import { execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSONALITIES } from "../../src/sim/modem/index.js";
import { decodePdu } from "../../src/sms/pdu/index.js";
import { startBroker, subscriber, type TestBroker } from "../helpers/broker.js";
import { CLI, cleanEnv, exited, runDaemon } from "../helpers/daemon-proc.js";
import { PTY_BACKENDS, startPtyModem, waitFor } from "../helpers/pty-modem.js";

// The daemon SIGKILLed after a routed Command was handed off and before its +CNMA reached the
// module (an nRF9160, written from Nordic's AT reference: no SMS storage, every SMS routed as
// +CMT and acknowledged with +CNMA). The network delivers the SMS again; the restarted daemon
// must acknowledge it, and the Command must run once and be answered once.
const KEY = "ack-crash command key: 0123456789abcdef";
const SID = `DC${"0".repeat(28)}ac4c`;
const run = promisify(execFile);

let broker: TestBroker;
let modem: Awaited<ReturnType<typeof startPtyModem>>;
let dir: string;
let app: Awaited<ReturnType<typeof subscriber>>;
let daemon: ChildProcess | undefined;
const out = { logs: "" };
const acks: string[] = [];
const prefix = "cellgate/ack-crash";

beforeAll(async () => {
  broker = await startBroker();
  modem = await startPtyModem(PTY_BACKENDS[0]!, { personality: PERSONALITIES["nordic-nrf9160"]! });
  modem.sim.events.on("command", (cmd) => cmd.startsWith("AT+CNMA") && acks.push(cmd));
  dir = mkdtempSync(join(tmpdir(), "cellgate-ack-crash-"));
  app = await subscriber(broker.url, [`${prefix}/commands/received`]);
}, 30_000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
    daemon.kill("SIGTERM");
    await exited(daemon);
  }
  await app?.close();
  await modem?.cleanup();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(): ChildProcess {
  const config = join(dir, "cellgate.yaml");
  writeFileSync(
    config,
    [
      "gateway:\n  id: ack-crash",
      `modem:\n  port: ${modem.link}\n  pollS: 5`,
      `mqtt:\n  url: ${broker.url}\n  keepaliveS: 5`,
      "api:\n  provider: none",
      `state:\n  dir: ${join(dir, "state")}`,
      `control:\n  socket: ${join(dir, "control.sock")}`,
      "log:\n  level: debug\n",
    ].join("\n"),
  );
  return runDaemon(config, cleanEnv({ CELLGATE_COMMAND_KEY: KEY }), out);
}

const sign = async (text: string) =>
  (await run(process.execPath, [...CLI, "sign", text], { env: cleanEnv({ CELLGATE_COMMAND_KEY: KEY }) })).stdout.trim();
const routing = () => modem.sim.world.settings.cnmi[1] === 2;
const received = () => app.on(`${prefix}/commands/received`).filter((m) => m.json.sid === SID);
const sentTexts = () =>
  modem.sim.sent.flatMap((s) =>
    (s.pdu === undefined ? [] : [decodePdu(s.pdu)]).flatMap((p) => (p.type === "submit" && p.text ? [p.text] : [])),
  );
const replies = () => sentTexts().filter((t) => t.startsWith("status "));
const versionReplies = () => sentTexts().filter((t) => t.startsWith("version "));

describe("nRF9160: SIGKILL between the hand-off and the acknowledgement", () => {
  it("the re-delivered Command is acknowledged and run once, its reply sent once", async ({ onTestFailed }) => {
    onTestFailed(() => console.log(out.logs.slice(-6000)));
    daemon = start();
    await waitFor(routing, 45_000, "the daemon to turn +CMT routing on");
    const signed = (
      await run(process.execPath, [...CLI, "sign", "status"], { env: cleanEnv({ CELLGATE_COMMAND_KEY: KEY }) })
    ).stdout.trim();

    // The daemon's +CNMA never reaches the module; the daemon is killed once the hand-off is seen.
    modem.sim.loseNext(/^AT\+CNMA/i);
    modem.sim.sendFromNetwork({ text: signed, sid: SID, sidAt: "end" });
    await waitFor(() => received().length === 1, 30_000, "the Command on commands/received (handed off)");
    daemon.kill("SIGKILL");
    await exited(daemon);
    expect(acks).toHaveLength(0);
    await waitFor(() => !modem.sim.awaitingAck, 30_000, "the module to give up waiting for +CNMA");
    expect(modem.sim.heldByNetwork).toBe(1); // the network keeps it to deliver again

    const logsBefore = out.logs.length;
    daemon = start();
    await waitFor(
      () => modem.sim.heldByNetwork === 0 && !modem.sim.awaitingAck && acks.length === 1,
      45_000,
      "the re-delivery acknowledged",
    );
    await waitFor(() => replies().length >= 1, 60_000, "the Command's reply");
    // A barrier: Commands run one at a time, in order, so a second run of the first would reply
    // before this one does.
    const version = await sign("version");
    modem.sim.sendFromNetwork({ text: version, sid: `DC${"0".repeat(28)}5e2d`, sidAt: "end" });
    await waitFor(() => versionReplies().length === 1, 60_000, "the barrier Command's reply");
    // Handed off at least once and run once: a kill between the consumer and the seen-set write
    // hands the same message off again (same id); the journal does not run it twice.
    expect(new Set(received().map((m) => m.json.id))).toEqual(new Set([`sid:${SID}`]));
    expect(replies()).toHaveLength(1);
    expect(out.logs.slice(logsBefore)).toMatch(/already handed off|message handed off/);
  }, 180_000);
});
