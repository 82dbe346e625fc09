import { readlinkSync, symlinkSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isCellgateError } from "../../src/core/index.js";
import { Modem, PortSupervisor, type PortSupervisorOptions, type RecoveryEvent } from "../../src/modem/index.js";
import { PtyModem } from "../../src/sim/modem/index.js";
import { PTY_BACKENDS, startPtyModem, waitFor } from "../helpers/pty-modem.js";

// The port supervisor against the simulator over a real pty: the port yanked and coming
// back (under the same or another allowed name), the device node vanishing, and a modem
// that stops answering brought back by the recovery ladder.
describe.each(PTY_BACKENDS)("PortSupervisor over a pty (%s)", (backend) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function supervised(o: Partial<PortSupervisorOptions> = {}, ports?: (link: string) => string[]) {
    const m = await startPtyModem(backend, { bootMs: 300 });
    cleanups.push(m.cleanup);
    const sup: PortSupervisor = new PortSupervisor({
      ports: ports ? ports(m.link) : [m.link],
      pollMs: 100,
      engine: { timeoutMs: 1000, resyncTimeoutMs: 1000 },
      onReady: async (_port, signal) => void (await modem.init(signal)),
      resetCommand: (): string => modem.profile.resetCommand,
      ...o,
    });
    const modem: Modem = new Modem({ port: sup.port });
    modem.events.on("rebooted", () => void sup.reinit("boot banner"));
    const lost: string[] = [];
    const opened: string[] = [];
    sup.events.on("portLost", (e) => lost.push(e.reason));
    sup.events.on("portOpened", (e) => opened.push(e.path));
    cleanups.push(() => sup.stop());
    await sup.start(10_000);
    return { ...m, sup, modem, lost, opened };
  }

  it(
    "port yanked mid-command: the command fails at once, commands fail fast while it is gone, and it is reopened when " +
      "it returns",
    async () => {
      const { sup, sim, pty, modem, lost, opened } = await supervised();
      expect(modem.identity?.model).toBe("EC25");
      sim.hang();
      const pending = sup.port.command("AT+CSQ", { timeoutMs: 10_000 }).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      await pty.unplug();
      expect(isCellgateError(await pending, "CG_ERR_AT_CLOSED")).toBe(true);
      await waitFor(() => sup.state.kind === "waiting", 3000, "the supervisor to notice");
      expect(lost).toHaveLength(1);
      await expect(sup.port.command("AT")).rejects.toMatchObject({ code: "CG_ERR_LINK_LOST" });

      await pty.replug(); // the modem comes back freshly booted: echo on, settings lost
      await waitFor(() => opened.length === 2, 10_000, "the port to be reopened");
      await waitFor(() => !sim.world.settings.echo, 10_000, "the modem to be re-initialised");
      expect((await sup.port.command("AT+CSQ")).lines).toEqual(["+CSQ: 21,99"]);
    },
  );

  it("the device node vanishing (no EIO) is noticed and the port reopened when the node is back", async () => {
    const { sup, link, lost, opened } = await supervised();
    const target = readlinkSync(link);
    unlinkSync(link);
    await waitFor(() => lost.length === 1, 3000, "the node watch");
    expect(lost[0]).toMatch(/device node gone/);
    symlinkSync(target, link);
    await waitFor(() => opened.length === 2, 5000, "the reopen");
    expect((await sup.port.command("AT+CGATT?")).lines).toEqual(["+CGATT: 1"]);
  });

  it("the modem reappears under another name the config allows", async () => {
    const { sup, sim, pty, link, opened } = await supervised({}, (l) => [join(dirname(l), "ttyUSB*"), l]);
    await pty.unplug();
    await waitFor(() => sup.state.kind === "waiting", 3000, "the loss");
    const other = await PtyModem.serve(sim, join(dirname(link), "ttyUSB3"), backend);
    cleanups.push(() => other.close());
    sim.reboot();
    await waitFor(() => opened.length === 2, 10_000, "the reopen under the new name");
    expect(opened[1]).toBe(join(dirname(link), "ttyUSB3"));
    await waitFor(() => !sim.world.settings.echo, 10_000, "the re-init");
    expect((await sup.port.command("AT+CSQ")).lines).toEqual(["+CSQ: 21,99"]);
  });

  it("a modem that stops answering is brought back by the ladder: resync fails, the reset works", async () => {
    const { sup, sim } = await supervised({
      livenessMs: 200,
      engine: { timeoutMs: 600, resyncTimeoutMs: 600 },
      ladder: { timeoutsToAct: 2 },
      resetWaitMs: 10_000,
    });
    const steps: RecoveryEvent[] = [];
    sup.events.on("recovery", (e) => steps.push(e));
    const resets: string[] = [];
    sim.events.on("command", (c) => c.includes("CFUN=1,1") && resets.push(c));
    sim.hang("until-reset");
    await waitFor(() => steps.some((s) => s.step === "reset" && "phase" in s && s.phase !== "start"), 20_000, "the reset step");
    expect(steps).toEqual([
      { step: "resync", phase: "start" },
      { step: "resync", phase: "failed" },
      { step: "reset", phase: "start" },
      { step: "reset", phase: "ok" },
    ]);
    expect(resets).toHaveLength(1);
    expect(sim.world.settings.echo).toBe(false); // re-initialised after the reboot
    expect((await sup.port.command("AT+CSQ")).lines).toEqual(["+CSQ: 21,99"]);
  });

  it("a modem that answers nothing at all: every step fails, the ladder gives up and cools down", async () => {
    const { sup, sim } = await supervised({
      livenessMs: 200,
      engine: { timeoutMs: 600, resyncTimeoutMs: 600 },
      ladder: { timeoutsToAct: 2, cooldownMs: 60_000 },
      resetWaitMs: 1500,
    });
    const steps: RecoveryEvent[] = [];
    sup.events.on("recovery", (e) => steps.push(e));
    sim.hang("all");
    await waitFor(() => steps.some((s) => s.step === "give-up"), 30_000, "the ladder to give up");
    expect(steps.map((s) => ("phase" in s ? `${s.step}:${s.phase}` : s.step))).toEqual([
      "resync:start",
      "resync:failed",
      "reset:start",
      "reset:failed",
      "reopen:start",
      "reopen:failed",
      "give-up",
    ]);
    // Cooling down: more timeouts do not restart the ladder.
    await new Promise((r) => setTimeout(r, 1000));
    expect(steps).toHaveLength(7);
  });
});
