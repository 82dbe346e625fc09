import { describe, expect, it } from "vitest";
import { AtEngine, cmeCodeOf, cmeInfo, cmsCodeOf, cmsInfo, createLinkPair, isUnsupported } from "../../src/at/index.js";
import { ManualClock, isCellgateError } from "../../src/core/index.js";
import { drive, driveRejects } from "../helpers/drive.js";
import { ScriptedModem, type Script } from "../helpers/scripted-modem.js";

function setup(script: Script, o: { escInLine?: boolean } = {}) {
  const [host, far] = createLinkPair();
  const clock = new ManualClock(1_000_000);
  const modem = new ScriptedModem(far, script, o);
  const engine = new AtEngine({ link: host, clock, timeoutMs: 1_000, resyncTimeoutMs: 500 });
  return { engine, modem, clock, run: (cmd: string) => drive(engine.command(cmd), clock) };
}

// A u-blox SARA-R4-style line: a stray ESC before AT makes the whole line an error, in words.
const VERBOSE_ESC: Script = (cmd) => {
  if (cmd.startsWith("\x1b")) return "\r\n+CME ERROR: operation not supported\r\n";
  if (cmd === "AT") return "\r\nOK\r\n";
  if (cmd === "AT+COPS?") return '\r\n+COPS: 0,0,"T-Mobile",7\r\n\r\nOK\r\n';
  return "\r\n+CME ERROR: operation not supported\r\n";
};

describe("resync that cannot stall", () => {
  it("an error to ESC+AT proves the channel: a plain AT follows, then the command", async () => {
    const { run, modem } = setup(VERBOSE_ESC, { escInLine: true });
    const r = await run("AT+COPS?");
    expect(r.lines).toEqual(['+COPS: 0,0,"T-Mobile",7']);
    // ESC is written once (the prompt may be open at start), never again.
    expect(modem.received).toEqual(["\x1bAT", "AT", "AT+COPS?"]);
  });

  it("answers still owed to earlier ATs are absorbed, not handed to the next command", async () => {
    // The first AT's answer is an ERROR (garbled line), the second AT's OK comes in two parts.
    let ats = 0;
    const { run } = setup((cmd) => {
      if (cmd === "<ESC>") return undefined;
      if (cmd.endsWith("AT") && ats++ === 0) return "\r\nERROR\r\n";
      if (cmd === "AT") return ["\r\nOK\r\n"];
      if (cmd === "AT+CSQ") return "\r\n+CSQ: 20,99\r\n\r\nOK\r\n";
      return "\r\nERROR\r\n";
    });
    expect((await run("AT+CSQ")).lines).toEqual(["+CSQ: 20,99"]);
    expect((await run("AT+CSQ")).lines).toEqual(["+CSQ: 20,99"]);
  });

  it("a modem that answers ERROR to every AT still counts as answering (bounded, then on)", async () => {
    const { engine, modem, clock } = setup((cmd) => (cmd === "<ESC>" ? undefined : "\r\nERROR\r\n"));
    const err = await driveRejects(engine.command("AT+CSQ"), clock);
    expect(isCellgateError(err, "CG_ERR_AT_ERROR")).toBe(true);
    const ats = modem.received.filter((c) => c.endsWith("AT")).length;
    expect(ats).toBeGreaterThan(1);
    expect(ats).toBeLessThanOrEqual(5);
    expect(engine.consecutiveTimeouts).toBe(0);
  });

  it("a silent modem fails within the budget, with the number of ATs written", async () => {
    const { engine, modem, clock } = setup(() => undefined);
    const started = clock.now();
    const err = await driveRejects(engine.command("AT+CSQ"), clock);
    expect(isCellgateError(err, "CG_ERR_AT_TIMEOUT") && err.detail.phase).toBe("resync");
    expect(clock.now() - started).toBeLessThanOrEqual(1_500 + 20);
    expect(modem.received.filter((c) => c.endsWith("AT")).length).toBe(3);
    expect(modem.received).not.toContain("AT+CSQ");
  });
});

describe("compound command lines", () => {
  it("AT+CSQ;+CREG? returns every line; +CREG: is part of the reply, not a URC", async () => {
    const urcs: string[] = [];
    const { engine, run } = setup((cmd) =>
      cmd === "AT+CSQ;+CREG?" ? "\r\n+CSQ: 21,99\r\n\r\n+CREG: 0,5\r\n\r\nOK\r\n" : cmd === "<ESC>" ? undefined : "\r\nOK\r\n",
    );
    engine.onUrc((u) => urcs.push(u.line));
    expect((await run("AT+CSQ;+CREG?")).lines).toEqual(["+CSQ: 21,99", "+CREG: 0,5"]);
    expect(urcs).toEqual([]);
  });

  it("+CFUN: 1 in the reply to AT+CSQ;+CFUN? is not a boot banner", async () => {
    const urcs: string[] = [];
    const { engine, run } = setup((cmd) =>
      cmd === "AT+CSQ;+CFUN?" ? "\r\n+CSQ: 21,99\r\n\r\n+CFUN: 1\r\n\r\nOK\r\n" : cmd === "<ESC>" ? undefined : "\r\nOK\r\n",
    );
    engine.onUrc((u) => urcs.push(u.line));
    expect((await run("AT+CSQ;+CFUN?")).lines).toEqual(["+CSQ: 21,99", "+CFUN: 1"]);
    expect(urcs).toEqual([]);
  });
});

describe("error texts and numbers are one error", () => {
  it("a verbose +CME ERROR carries the standard number and counts as unsupported", async () => {
    const { engine, clock } = setup((cmd) =>
      cmd === "<ESC>" ? undefined : cmd === "AT" ? "\r\nOK\r\n" : "\r\n+CME ERROR: operation not supported\r\n",
    );
    const err = await driveRejects(engine.command("AT+C5GREG?"), clock);
    expect(isCellgateError(err, "CG_ERR_AT_CME") && err.detail).toMatchObject({
      errorCode: 4,
      errorText: "operation not supported",
    });
    expect(isUnsupported(err)).toBe(true);
  });

  it("every 27.007 §9.2 and 27.005 §3.2.5 name maps back to its number", () => {
    const firstCme = new Map<string, number>();
    const firstCms = new Map<string, number>();
    for (let code = 0; code < 1000; code++) {
      const cme = cmeInfo(code);
      // A name two codes share ("congestion": 122 and 157) maps to the first of them.
      if (cme !== undefined) expect([code, cmeCodeOf(cme.name)]).toEqual([code, firstCme.get(cme.name) ?? code]);
      if (cme !== undefined && !firstCme.has(cme.name)) firstCme.set(cme.name, code);
      const cms = cmsInfo(code);
      if (cms !== undefined) expect([code, cmsCodeOf(cms.name)]).toEqual([code, firstCms.get(cms.name) ?? code]);
      if (cms !== undefined && !firstCms.has(cms.name)) firstCms.set(cms.name, code);
    }
  });

  it.each([
    ["Operation not supported", 4],
    ["SIM not inserted", 10],
    ["SIM PIN required", 11],
    ["incorrect password", 16],
    ["no network service", 30],
    ["Unknown error", 100],
    ["operation not allowed", 3],
  ])("+CME ERROR: %s is %i", (text, code) => expect(cmeCodeOf(text)).toBe(code));

  it.each([
    ["SIM not inserted", 310],
    ["memory full", 322],
    ["invalid memory index", 321],
    ["operation not allowed", 302],
    ["Operation not supported", 303],
    ["SMSC address unknown", 330],
    ["no +CNMA acknowledgement expected", 340],
  ])("+CMS ERROR: %s is %i", (text, code) => expect(cmsCodeOf(text)).toBe(code));
});
