import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exited } from "../helpers/daemon-proc.js";
import { e2eWorld, type E2eWorld } from "../helpers/e2e.js";
import { waitFor } from "../helpers/pty-modem.js";

// Remote diagnostics end to end: an operator signs a Command with `cellgate sign`, creates it
// with POST /v1/Commands on the Wireless API simulator, the simulated network delivers it to
// the modem simulator (a pty, the real serialport binding), `cellgate run` verifies and runs
// it, and the reply travels back as an MO SMS to 2936 that the API shows as a from_sim Command
// and POSTs to the SIM's commands_callback_url.
const KEY = "e2e command key: 0123456789abcdef";

let w: E2eWorld;
let dir: string;
const events = (type: string) => w.events(type);
const received = (sid: string) => w.received(sid);
const fromSim = () => w.fromSim();
const sign = (text: string, key?: string) => w.sign(text, key);
const post = (text: string) => w.post(text);
const start = () => w.start();
const daemon = () => w.daemon();

beforeAll(async () => {
  w = await e2eWorld({
    id: "cmd-gw",
    key: KEY,
    yaml: (d) => {
      // The host reboot: recorded, then the daemon dies at once (SIGKILL), as it would when the host goes down.
      const reboot = join(d, "reboot.sh");
      writeFileSync(reboot, `#!/bin/sh\necho reboot >> "${join(d, "reboots.log")}"\nkill -9 $PPID\n`);
      chmodSync(reboot, 0o755);
      return [`commands:\n  reboot:\n    command: [${reboot}]\n    minIntervalS: 60\n  backOnlineSms: [reboot]`];
    },
  });
  dir = w.dir;
  start();
  await waitFor(() => events("back-online").length === 1, 30_000, "the daemon to be back online");
}, 60_000);

afterAll(async () => {
  await w?.close();
  // The key never appears in what the daemon wrote.
  expect(w.out.logs).not.toContain(KEY);
});

describe("Commands, end to end", () => {
  let signedStatus = "";

  it(
    "cellgate sign status → POST /v1/Commands → verified and run → the reply is a from_sim Command, and the callback " +
      "URL is called",
    async () => {
      signedStatus = await sign("status");
      expect(signedStatus).toMatch(/^status #[0-9a-z]{6}\.[A-Za-z0-9_-]{22}$/);
      const sid = await post(signedStatus);
      await waitFor(() => received(sid).length === 1, 15_000, "the Command on commands/received");
      expect(received(sid)[0]!.json).toMatchObject({ kind: "command", sender: "2936", text: signedStatus, auth: "verified" });
      await waitFor(() => fromSim().some((c) => c.startsWith("status ")), 15_000, "the reply at the API's callback");
      const reply = fromSim().find((c) => c.startsWith("status "))!;
      // data=unknown: the default probe reads the MQTT bridge's state, and this broker has no bridge.
      expect(reply).toMatch(/^status (ok|degraded) reg=roaming rat=lte rsrp=-95 att=1 data=unknown sim=active mqtt=up /);
      expect(reply).toMatch(/ up=\S+ v=0\.1\.0 op=T-Mobile ip=10\.64\.12\.3$/); // the address from +CGPADDR (+CGDCONT? shows 0.0.0.0)
      expect(reply.length).toBeLessThanOrEqual(160);
      const mo = await w.client.wireless!.all(w.client.wireless!.listCommands({ direction: "from_sim" }));
      expect(mo.find((c) => c.command === reply)).toMatchObject({
        status: "received",
        direction: "from_sim",
        commandMode: "text",
      });
      expect(events("command-run").map((e) => e.json.verb)).toEqual(["status"]);
    },
  );

  it("a forged Command (signed with another key) is not run: NAKed, and visible on events", async () => {
    const forged = await sign("modem-reset", "an attacker's guess at the key!!");
    const sid = await post(forged);
    await waitFor(() => events("command-rejected").some((e) => e.json.reason === "bad-tag"), 15_000, "the rejection on events");
    // The event and commands/received are two publishes: either may reach the subscriber first.
    await waitFor(() => received(sid).length === 1, 15_000, "the Command on commands/received");
    expect(received(sid)[0]!.json).toMatchObject({ auth: "rejected", auth_reason: "bad-tag" });
    expect(events("command-rejected").find((e) => e.json.reason === "bad-tag")!.json).toMatchObject({
      verb: "modem-reset",
      sender: "2936",
      signed: true,
      sid,
    });
    await waitFor(() => fromSim().includes("NAK modem-reset bad-tag"), 15_000, "the NAK");
    expect(events("command-run").map((e) => e.json.verb)).toEqual(["status"]);
    expect(events("recovery").filter((e) => e.json.step === "reset")).toEqual([]);
  });

  it("a replayed Command (the same signed text, created again) is not run: NAKed, and visible on events", async () => {
    const sid = await post(signedStatus);
    await waitFor(() => events("command-rejected").some((e) => e.json.reason === "replay"), 15_000, "the rejection on events");
    await waitFor(() => received(sid).length === 1, 15_000, "the Command on commands/received");
    expect(received(sid)[0]!.json).toMatchObject({ auth: "rejected", auth_reason: "replay" });
    await waitFor(() => fromSim().includes("NAK status replay"), 15_000, "the NAK");
    expect(events("command-run").map((e) => e.json.verb)).toEqual(["status"]);
  });

  it("an application's own Command and an ordinary SMS are delivered unlabelled: no rejection, no NAK, no SMS spent", async () => {
    const rejectedBefore = events("command-rejected").length;
    const app1 = await post("setpoint 21");
    await waitFor(() => received(app1).length === 1, 15_000, "the application Command on commands/received");
    expect(received(app1)[0]!.json).toMatchObject({ kind: "command", sender: "2936", text: "setpoint 21", auth: "none" });
    expect(received(app1)[0]!.json).not.toHaveProperty("auth_reason");
    // "How are you?" from +31641600986 (python-messaging's test vector): spam or a carrier notice, to cellgate.
    w.modem.sim.deliverSms({ pdu: "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07" });
    const foreign = () => w.app.on(`${w.prefix}/commands/received`).filter((m) => m.json.sender === "+31641600986");
    await waitFor(() => foreign().length === 1, 15_000, "the ordinary SMS on commands/received");
    expect(foreign()[0]!.json).toMatchObject({ kind: "foreign", text: "How are you?", auth: "none" });
    // Commands are handled in arrival order: once an unsigned verb's NAK is back, any NAK for the two above would be too.
    await post("status");
    await waitFor(() => fromSim().includes("NAK status unsigned"), 15_000, "the NAK of the unsigned verb");
    expect(
      fromSim()
        .filter((c) => c.startsWith("NAK"))
        .sort(),
    ).toEqual(["NAK modem-reset bad-tag", "NAK status replay", "NAK status unsigned"]);
    expect(
      events("command-rejected")
        .slice(rejectedBefore)
        .map((e) => e.json.reason),
    ).toEqual(["unsigned"]);
  });

  it("modem-reset runs the ladder's reset step and is answered after it; back-online follows", async () => {
    await post(await sign("modem-reset"));
    await waitFor(() => fromSim().some((c) => c.startsWith("modem-reset ")), 60_000, "the reply after the reset");
    expect(fromSim().find((c) => c.startsWith("modem-reset "))).toMatch(
      /^modem-reset ok took=\S+ reg=roaming rsrp=-95 the modem answers again$/,
    );
    // (A loaded machine may add a resync of its own: the Command's step is the reset.)
    expect(
      events("recovery")
        .filter((e) => e.json.step === "reset")
        .map((e) => `${String(e.json.phase)} ${String(e.json.detail)}`),
    ).toEqual(["start requested by a Command", "ok requested by a Command"]);
    await waitFor(() => events("back-online").some((e) => e.json.trigger === "recovery"), 15_000, "back online after the reset");
    expect(events("back-online").find((e) => e.json.trigger === "recovery")!.json).toMatchObject({
      reason: "after a modem reset (requested by a Command)",
    });
  }, 90_000);

  it("reboot CONFIRM reboots once, even though the process dies right after; the next start says why and texts its status", async () => {
    const text = await sign("reboot CONFIRM");
    await post(text);
    expect(await exited(daemon()!)).toBeNull(); // killed by the "reboot"
    expect(readFileSync(join(dir, "reboots.log"), "utf8")).toBe("reboot\n");
    expect(fromSim()).toContain("reboot ok rebooting now; back-online follows");
    start();
    await waitFor(() => events("back-online").some((e) => e.json.trigger === "reboot"), 30_000, "back online after the reboot");
    expect(events("back-online").find((e) => e.json.trigger === "reboot")!.json).toMatchObject({
      reason: expect.stringMatching(/^after a reboot requested by a Command at /) as string,
    });
    await waitFor(() => fromSim().some((c) => c.startsWith("online after=reboot ")), 30_000, "the back-online SMS");
    // The reboot SMS may have been re-read from the modem after the restart: still one reboot.
    await post(text);
    await waitFor(() => fromSim().includes("NAK reboot replay"), 15_000, "the replay refused");
    expect(readFileSync(join(dir, "reboots.log"), "utf8")).toBe("reboot\n");
    expect(existsSync(join(dir, "state", "commands", "journal.json"))).toBe(true);
  }, 90_000);
});
