import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBroker, subscriber, type TestBroker } from "../helpers/broker.js";
import { cleanEnv, exited, runCli, runDaemon } from "../helpers/daemon-proc.js";
import { PTY_BACKENDS, startPtyModem, waitFor } from "../helpers/pty-modem.js";

// The modem's URCs change what cellgate publishes when they arrive. The poll is set to five
// minutes, so anything seen within seconds came from a URC: a registration change (Quectel
// EC25, +CREG/+CGREG/+CEREG at <n>=2) and a signal change (+QIND: "csq", §4.3 of its manual).
const PREFIX = "cellgate/urc-gw";
let broker: TestBroker;
let modem: Awaited<ReturnType<typeof startPtyModem>>;
let dir: string;
let daemon: ChildProcess;
let app: Awaited<ReturnType<typeof subscriber>>;
const out = { logs: "" };
const network = () => app.on(`${PREFIX}/network`).map((m) => m.json);

beforeAll(async () => {
  broker = await startBroker();
  modem = await startPtyModem(PTY_BACKENDS[0]!, { personality: "quectel-ec25" });
  dir = mkdtempSync(join(tmpdir(), "cellgate-urc-"));
  const config = join(dir, "cellgate.yaml");
  writeFileSync(
    config,
    [
      "gateway:\n  id: urc-gw",
      `modem:\n  port: ${modem.link}\n  pollS: 300`,
      `mqtt:\n  url: ${broker.url}`,
      "api:\n  provider: none",
      `state:\n  dir: ${join(dir, "state")}`,
      `control:\n  socket: ${join(dir, "control.sock")}`,
      "log:\n  level: debug\n",
    ].join("\n"),
  );
  app = await subscriber(broker.url, [`${PREFIX}/network`]);
  daemon = runDaemon(config, cleanEnv(), out);
  await waitFor(() => network().some((n) => n.registration !== null), 45_000, "the first network snapshot");
}, 60_000);

afterAll(async () => {
  daemon.kill("SIGTERM");
  await exited(daemon);
  await app.close();
  await modem.cleanup();
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the picture follows the modem's URCs", () => {
  it("a registration change is published when its URC arrives, with the operator read again", async () => {
    const copsBefore = [] as string[];
    modem.sim.events.on("command", (c) => c === "AT+COPS?" && copsBefore.push(c));
    expect(network().at(-1)!.registration).toMatchObject({ state: "roaming" });
    modem.sim.setNetwork({ cs: 1, ps: 1, eps: 1, mcc: "310", mnc: "410", longName: "AT&T" });
    await waitFor(
      () => network().some((n) => (n.registration as { state?: string } | null)?.state === "home"),
      15_000,
      "home registration on network",
    );
    await waitFor(
      () => network().some((n) => (n.operator as { name?: string } | null)?.name === "AT&T"),
      15_000,
      "the new operator",
    );
    expect(copsBefore.length).toBeGreaterThan(0);
  });

  it("`cellgate status` answers from that picture without AT traffic; --fresh polls the modem", async () => {
    const seen: string[] = [];
    modem.sim.events.on("command", (c: string) => seen.push(c));
    modem.sim.setNetwork({ cs: 5, ps: 5, eps: 5 });
    await waitFor(
      () => network().some((n) => (n.registration as { state?: string } | null)?.state === "roaming"),
      15_000,
      "the roaming registration on network",
    );
    const socket = join(dir, "control.sock");
    type Status = { polled: boolean; modemReadAgoS: number; modem: { registration: { eps?: { state: string } } } };
    const before = seen.length;
    const kept = JSON.parse((await runCli(["status", "--json", "--socket", socket], cleanEnv())).stdout) as Status;
    // Only the operator reads that follow each domain's URC (+CREG, +CGREG, +CEREG) may still be running.
    expect(seen.slice(before).filter((c) => !c.startsWith("AT+COPS"))).toEqual([]);
    expect(kept.polled).toBe(false);
    expect(kept.modem.registration.eps?.state).toBe("roaming"); // from the URC, not a poll
    expect(kept.modemReadAgoS).toBeGreaterThanOrEqual(0);
    const text = (await runCli(["status", "--socket", socket], cleanEnv())).stdout;
    expect(text).toMatch(/^modem read \d+ s ago, registration and signal kept current by its reports \(--fresh: read it now\)$/m);
    const polledAt = seen.length;
    const fresh = JSON.parse((await runCli(["status", "--json", "--fresh", "--socket", socket], cleanEnv())).stdout) as Status;
    expect(fresh).toMatchObject({ polled: true, modemReadAgoS: 0 });
    expect(seen.slice(polledAt)).toEqual(expect.arrayContaining(["AT+CSQ", "AT+CEREG?"]));
    expect((await runCli(["status", "--socket", socket, "--fresh"], cleanEnv())).stdout).not.toMatch(/^modem read/m);
  });

  it("a signal change is published when its URC arrives", async () => {
    modem.sim.setNetwork({ rssiDbm: -61 });
    await waitFor(
      () => network().some((n) => (n.signal as { rssiDbm?: number } | null)?.rssiDbm === -61),
      15_000,
      "the new RSSI",
    );
  });
});
