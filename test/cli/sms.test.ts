import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeSubmit } from "../../src/sms/pdu/index.js";
import { buildMtPdus } from "../../src/sim/modem/index.js";
import { cleanEnv, runCli } from "../helpers/daemon-proc.js";
import { PTY_BACKENDS, startPtyModem } from "../helpers/pty-modem.js";

// `cellgate sms list|read|delete --port`: no daemon, this process opens the modem's AT port (a
// simulator on a real pty) and reads its storage as it is. Through the daemon:
// test/integration/integrations.test.ts.
let modem: Awaited<ReturnType<typeof startPtyModem>>;
let inbound: number;
let draft: number;

beforeAll(async () => {
  modem = await startPtyModem(PTY_BACKENDS[0]!);
  inbound = modem.sim.store.add("ME", {
    stat: 1,
    pdu: buildMtPdus({ from: "+15557654321", text: "meter 42 ok" }, Date.now())[0]!,
  })!;
  draft = modem.sim.store.add("ME", { stat: 2, pdu: encodeSubmit({ to: "2936", text: "a draft" }).hex })!;
});
afterAll(() => modem?.cleanup());

const sms = (...args: string[]) => runCli(["sms", ...args, "--port", modem.link], cleanEnv({ CELLGATE_MODEM_PORT: "" }));

describe("cellgate sms --port", () => {
  it("list prints every stored message decoded, one line each, and JSON with --json", async () => {
    const r = await sms("list", "--memory", "ME");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`ME:${inbound} read +15557654321`);
    expect(r.stdout).toContain('"meter 42 ok"');
    expect(r.stdout).toContain(`ME:${draft} unsent 2936`);
    const j = await sms("list", "--memory", "ME", "--json");
    const messages = (
      JSON.parse(j.stdout) as { messages: Array<{ index: number; handedOff: unknown; fields: { text?: string } }> }
    ).messages;
    expect(messages.find((m) => m.index === inbound)).toMatchObject({ handedOff: null, fields: { text: "meter 42 ok" } });
  });

  it("read prints one message; a bad memory is a usage error", async () => {
    const r = await sms("read", String(inbound), "--memory", "ME");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^ME:${inbound} read \\+15557654321 .*"meter 42 ok"\\n$`));
    const bad = await sms("list", "--memory", "XX");
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain("--memory must be one of ME, SM, MT, SR, BM");
  });

  it("delete needs --force without a daemon (it cannot tell what was handed off), then deletes", async () => {
    const refused = await sms("delete", String(inbound), "--memory", "ME");
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain("pass --force");
    expect(modem.sim.store.get("ME", inbound)).toBeDefined();
    const done = await sms("delete", String(inbound), "--memory", "ME", "--force");
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe(`deleted ME:${inbound}\n`);
    expect(modem.sim.store.get("ME", inbound)).toBeUndefined();
  });
});
