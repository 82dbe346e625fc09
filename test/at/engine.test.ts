import { describe, expect, it } from "vitest";
import { AtEngine, createLinkPair, type Urc } from "../../src/at/index.js";
import { ManualClock, isCellgateError } from "../../src/core/index.js";
import { drive, driveRejects, flush } from "../helpers/drive.js";
import { ScriptedModem, withSync, type Script } from "../helpers/scripted-modem.js";

function setup(script: Script, opts: { timeoutMs?: number } = {}) {
  const [host, far] = createLinkPair();
  const clock = new ManualClock(1_000_000);
  const modem = new ScriptedModem(far, withSync(script));
  const engine = new AtEngine({ link: host, clock, timeoutMs: opts.timeoutMs ?? 1_000 });
  const urcs: Urc[] = [];
  engine.onUrc((u) => urcs.push(u));
  const run = (cmd: string) => drive(engine.command(cmd), clock);
  return { engine, modem, clock, urcs, run, host };
}

const CSQ: Script = (cmd) => (cmd === "AT+CSQ" ? "\r\n+CSQ: 18,99\r\n\r\nOK\r\n" : "\r\nERROR\r\n");

describe("AtEngine: commands", () => {
  it("starts with ESC + AT to leave any half-finished SMS entry, then runs the command", async () => {
    const { run, modem } = setup(CSQ);
    const r = await run("AT+CSQ");
    expect(r).toEqual({ command: "AT+CSQ", lines: ["+CSQ: 18,99"], final: "OK" });
    expect(modem.received).toEqual(["<ESC>", "AT", "AT+CSQ"]);
  });

  it("strips echo whether or not echo is on", async () => {
    const { run } = setup((cmd) => (cmd === "AT+CGMI" ? `${cmd}\r\r\nQuectel\r\n\r\nOK\r\n` : undefined));
    expect((await run("AT+CGMI")).lines).toEqual(["Quectel"]);
  });

  it("maps +CME ERROR codes to coded errors that carry the modem's words", async () => {
    const { engine, clock } = setup(() => "\r\n+CME ERROR: 10\r\n");
    const err = await driveRejects(engine.command("AT+CPIN?"), clock);
    expect(isCellgateError(err, "CG_ERR_AT_CME")).toBe(true);
    expect((err as { detail: Record<string, unknown> }).detail).toMatchObject({
      errorCode: 10,
      errorText: "SIM not inserted",
      retryable: false,
    });
  });

  it("maps +CMS ERROR and plain ERROR", async () => {
    const { engine, clock } = setup((cmd) => (cmd.startsWith("AT+CMGR") ? "\r\n+CMS ERROR: 321\r\n" : "\r\nERROR\r\n"));
    const cms = await driveRejects(engine.command("AT+CMGR=9"), clock);
    expect(isCellgateError(cms, "CG_ERR_AT_CMS") && cms.detail.errorText).toBe("invalid memory index");
    const plain = await driveRejects(engine.command("AT+BOGUS"), clock);
    expect(isCellgateError(plain, "CG_ERR_AT_ERROR")).toBe(true);
  });

  it("refuses text that is not one AT command line", async () => {
    const { engine } = setup(CSQ);
    for (const bad of ["CSQ", "AT+CSQ\rAT", "AT+CMGS=5\x1a"]) {
      await expect(engine.command(bad)).rejects.toMatchObject({ code: "CG_ERR_AT_INVALID" });
    }
  });

  it("runs one command at a time, in order", async () => {
    const { engine, modem, clock } = setup((cmd) => `\r\n${cmd.slice(2)}\r\n\r\nOK\r\n`);
    const all = Promise.all(["AT+A", "AT+B", "AT+C"].map((c) => engine.command(c)));
    const rs = await drive(all, clock);
    expect(rs.map((r) => r.lines)).toEqual([["+A"], ["+B"], ["+C"]]);
    expect(modem.received.slice(2)).toEqual(["AT+A", "AT+B", "AT+C"]);
  });

  it("an urgent command (+CNMA) goes before those waiting, after the one in flight and earlier urgent ones", async () => {
    const { engine, modem, clock } = setup((cmd) => `\r\n${cmd.slice(2)}\r\n\r\nOK\r\n`);
    const all = Promise.all([
      engine.command("AT+A"),
      engine.command("AT+B"),
      engine.command("AT+C"),
      engine.command("AT+CNMA=1", { urgent: true }),
      engine.command("AT+U2", { urgent: true }),
    ]);
    await drive(all, clock);
    expect(modem.received.slice(2)).toEqual(["AT+A", "AT+CNMA=1", "AT+U2", "AT+B", "AT+C"]);
  });
});

describe("AtEngine: URCs", () => {
  it("URC in the middle of a command is not in the response", async () => {
    const { run, urcs } = setup((cmd) =>
      cmd === "AT+CSQ" ? ["\r\n+CSQ: 18,99\r\n", '\r\n+CMTI: "SM",3\r\n', "\r\nRDY\r\n", "\r\nOK\r\n"] : undefined,
    );
    const r = await run("AT+CSQ");
    expect(r.lines).toEqual(["+CSQ: 18,99"]);
    expect(urcs.map((u) => u.line)).toEqual(['+CMTI: "SM",3', "RDY"]);
  });

  it("URCs are delivered in arrival order, across commands and idle time", async () => {
    const { engine, modem, clock, urcs } = setup((cmd) =>
      cmd === "AT+CSQ"
        ? ['\r\n+CMTI: "SM",1\r\n\r\n+CSQ: 9,99\r\n\r\n+CMTI: "SM",2\r\n', "\r\nOK\r\n\r\n+CREG: 5\r\n"]
        : undefined,
    );
    modem.send("\r\n+CREG: 2\r\n");
    await flush();
    await drive(engine.command("AT+CSQ"), clock);
    modem.send(['\r\n+CMTI: "SM",3\r\n', "\r\n+CGREG: 1\r\n"]);
    await flush();
    expect(urcs.map((u) => u.line)).toEqual([
      "+CREG: 2",
      '+CMTI: "SM",1',
      '+CMTI: "SM",2',
      "+CREG: 5",
      '+CMTI: "SM",3',
      "+CGREG: 1",
    ]);
  });

  it("+CREG: is the reply while AT+CREG? is in flight, and a URC otherwise", async () => {
    const { run, urcs } = setup((cmd) =>
      cmd === "AT+CREG?"
        ? '\r\n+CREG: 2,5,"0502","0404736D"\r\n\r\nOK\r\n'
        : cmd === "AT+CSQ"
          ? "\r\n+CREG: 5\r\n\r\n+CSQ: 1,99\r\n\r\nOK\r\n"
          : undefined,
    );
    expect((await run("AT+CREG?")).lines).toEqual(['+CREG: 2,5,"0502","0404736D"']);
    expect((await run("AT+CSQ")).lines).toEqual(["+CSQ: 1,99"]);
    expect(urcs.map((u) => u.line)).toEqual(["+CREG: 5"]);
  });

  it("+CMT: takes its PDU line with it, even in the middle of a reply", async () => {
    const { run, urcs } = setup((cmd) =>
      cmd === "AT+CSQ"
        ? ["\r\n+CMT: ,24\r\n", "00040B911234567890F000000250100173832305C8329BFD06\r\n", "\r\n+CSQ: 5,99\r\n\r\nOK\r\n"]
        : undefined,
    );
    expect((await run("AT+CSQ")).lines).toEqual(["+CSQ: 5,99"]);
    expect(urcs).toEqual([
      { name: "+CMT:", line: "+CMT: ,24", trailing: ["00040B911234567890F000000250100173832305C8329BFD06"] },
    ]);
  });

  it("a URC listener that throws does not break the engine or the other listeners", async () => {
    const { engine, run, modem } = setup(CSQ);
    const seen: string[] = [];
    engine.onUrc(() => {
      throw new Error("boom");
    });
    engine.onUrc((u) => seen.push(u.line));
    modem.send("\r\nRING\r\n");
    await flush();
    expect(seen).toEqual(["RING"]);
    expect((await run("AT+CSQ")).lines).toEqual(["+CSQ: 18,99"]);
  });
});

describe("AtEngine: timeouts and resync", () => {
  it("a late reply after a timeout is not given to the next command", async () => {
    const { engine, modem, clock, run } = setup((cmd) => (cmd === "AT+CREG?" ? "\r\n+CREG: 0,1\r\n\r\nOK\r\n" : undefined));
    await run("AT"); // initial sync done
    const err = await driveRejects(engine.command("AT+CSQ"), clock);
    expect(isCellgateError(err, "CG_ERR_AT_TIMEOUT")).toBe(true);
    expect(engine.consecutiveTimeouts).toBe(1);
    const strays: string[] = [];
    engine.events.on("stray", (s) => strays.push(s.line));
    modem.send("\r\n+CSQ: 10,99\r\n\r\nOK\r\n"); // the late reply, with nothing in flight
    await flush();
    const r = await run("AT+CREG?");
    expect(r.lines).toEqual(["+CREG: 0,1"]);
    expect(strays).toEqual(["+CSQ: 10,99", "OK"]);
    expect(engine.consecutiveTimeouts).toBe(0);
  });

  it("a late reply that arrives after the resync AT was written is absorbed by the resync", async () => {
    const { engine, modem, clock, run } = setup(() => undefined);
    await run("AT");
    const held: string[] = [];
    modem.script = (cmd) => {
      held.push(cmd); // stuck: answers nothing
      return undefined;
    };
    await driveRejects(engine.command("AT+CSQ"), clock);
    const next = engine.command("AT+CREG?");
    await flush();
    expect(held).toEqual(["AT+CSQ", "AT"]);
    // Unstuck, the modem answers in order: the timed-out AT+CSQ, then the resync AT.
    modem.script = (cmd) => (cmd === "AT+CREG?" ? "\r\n+CREG: 0,5\r\n\r\nOK\r\n" : undefined);
    modem.send("\r\n+CSQ: 10,99\r\n\r\nOK\r\n\r\nOK\r\n");
    expect((await drive(next, clock)).lines).toEqual(["+CREG: 0,5"]);
  });

  it("a late bare OK within the quiet window after the resync OK is absorbed too", async () => {
    const { engine, modem, clock, run } = setup((cmd) => (cmd === "AT+CGATT?" ? "\r\n+CGATT: 1\r\n\r\nOK\r\n" : undefined));
    await run("AT");
    let resyncs = 0;
    modem.script = (cmd) => {
      if (cmd === "AT") {
        resyncs++;
        // our OK, then (in a later read) the timed-out command's OK
        return ["\r\nOK\r\n", "\r\nOK\r\n"];
      }
      return cmd === "AT+CGATT?" ? "\r\n+CGATT: 1\r\n\r\nOK\r\n" : undefined;
    };
    await driveRejects(engine.command("AT+CFUN=1"), clock);
    const events: string[][] = [];
    engine.events.on("resync", (e) => events.push(e.absorbed));
    expect((await run("AT+CGATT?")).lines).toEqual(["+CGATT: 1"]);
    expect(resyncs).toBe(1);
    expect(events).toEqual([["OK", "OK"]]);
  });

  it("counts consecutive timeouts, including a resync that is not answered, and resets on an answer", async () => {
    let alive = true;
    const { engine, modem, clock, run } = setup((cmd) =>
      cmd === "AT+CSQ" && alive ? "\r\n+CSQ: 3,99\r\n\r\nOK\r\n" : undefined,
    );
    await run("AT+CSQ");
    alive = false;
    modem.script = () => undefined;
    const timeouts: number[] = [];
    engine.events.on("timeout", (e) => timeouts.push(e.consecutive));
    await driveRejects(engine.command("AT+CSQ"), clock);
    const second = await driveRejects(engine.command("AT+CSQ"), clock);
    expect(isCellgateError(second, "CG_ERR_AT_TIMEOUT") && second.detail.phase).toBe("resync");
    expect(timeouts).toEqual([1, 2]);
    modem.script = withSync(CSQ);
    expect((await run("AT+CSQ")).lines).toEqual(["+CSQ: 18,99"]);
    expect(engine.consecutiveTimeouts).toBe(0);
  });
});

describe("AtEngine: cancellation and closing", () => {
  it("a command aborted before it starts is never written", async () => {
    const { engine, modem, clock } = setup(CSQ);
    const ac = new AbortController();
    ac.abort(new Error("not needed"));
    const err = await driveRejects(engine.command("AT+CSQ", { signal: ac.signal }), clock);
    expect(isCellgateError(err, "CG_ERR_AT_ABORTED")).toBe(true);
    expect(modem.received).not.toContain("AT+CSQ");
  });

  it("a command aborted in flight fails at once, and the next one is resynchronised", async () => {
    const { engine, modem, clock, run } = setup((cmd) => (cmd === "AT+CSQ" ? "\r\n+CSQ: 7,99\r\n\r\nOK\r\n" : undefined));
    await run("AT");
    const ac = new AbortController();
    const p = engine.command("AT+COPS=?", { signal: ac.signal, timeoutMs: 180_000 });
    await flush();
    ac.abort();
    const err = await driveRejects(p, clock);
    expect(isCellgateError(err, "CG_ERR_AT_ABORTED")).toBe(true);
    expect(engine.consecutiveTimeouts).toBe(0);
    expect((await run("AT+CSQ")).lines).toEqual(["+CSQ: 7,99"]);
    expect(modem.received.slice(-3)).toEqual(["AT+COPS=?", "AT", "AT+CSQ"]);
  });

  it("the link closing fails the command in flight and everything queued", async () => {
    const { engine, modem, clock, run } = setup(() => undefined);
    await run("AT");
    const a = engine.command("AT+CSQ");
    const b = engine.command("AT+CREG?");
    await flush();
    await modem.link.close();
    const [ea, eb] = await Promise.all([driveRejects(a, clock), driveRejects(b, clock)]);
    expect([ea, eb].map((e) => isCellgateError(e, "CG_ERR_AT_CLOSED"))).toEqual([true, true]);
    await expect(engine.command("AT")).rejects.toMatchObject({ code: "CG_ERR_AT_CLOSED" });
  });

  it("masks a PIN in errors", async () => {
    const { engine, clock } = setup(() => "\r\n+CME ERROR: 16\r\n");
    const err = await driveRejects(engine.command('AT+CPIN="1234"', { sensitive: true }), clock);
    expect(JSON.stringify(err)).not.toContain("1234");
    expect((err as Error).message).not.toContain("1234");
    expect((err as Error).message).toContain("AT+CPIN=<redacted>");
  });
});

describe("AtEngine: the SMS prompt flow", () => {
  const PDU = "0011000B915121551532F40000AA0AE8329BFD4697D9EC37";
  const sms =
    (prompt: string | string[]): Script =>
    (cmd, m) => {
      if (cmd === "AT+CMGS=23") {
        m.expectPdu();
        return prompt;
      }
      if (cmd === `${PDU}<^Z>`) return "\r\n+CMGS: 42\r\n\r\nOK\r\n";
      return undefined;
    };

  it.each([
    ["`> ` (python-gsmmodem)", "\r\n> "],
    ["`>` without a space (SIM7670G)", "\r\n>"],
    ["`\\r\\r\\n>` dribbled", ["\r", "\r", "\n", ">"]],
    ["URCs before the prompt (ZTE in python-gsmmodem)", ['\r\n+ZDONR: "METEOR",272,3,"CS_ONLY","ROAM_OFF"\r\n', "\r\n> "]],
  ])("%s", async (_label, prompt) => {
    const { engine, clock, modem } = setup(sms(prompt));
    const r = await drive(engine.smsCommand("AT+CMGS=23", PDU), clock);
    expect(r.lines.filter((l) => l.startsWith("+CMGS"))).toEqual(["+CMGS: 42"]);
    expect(modem.received.slice(-2)).toEqual(["AT+CMGS=23", `${PDU}<^Z>`]);
  });

  it("strips the echoed PDU (echo on)", async () => {
    const { engine, clock } = setup((cmd, m) => {
      if (cmd === "AT+CMGS=23") {
        m.expectPdu();
        return "AT+CMGS=23\r\r\n> ";
      }
      return cmd.endsWith("<^Z>") ? `${PDU}\x1a\r\n+CMGS: 7\r\n\r\nOK\r\n` : undefined;
    });
    expect((await drive(engine.smsCommand("AT+CMGS=23", PDU), clock)).lines).toEqual(["+CMGS: 7"]);
  });

  it("sends ESC when the prompt does not come, and resyncs before the next command", async () => {
    const { engine, clock, modem, run } = setup((cmd) => (cmd === "AT+CSQ" ? "\r\n+CSQ: 1,99\r\n\r\nOK\r\n" : undefined));
    await run("AT");
    const err = await driveRejects(engine.smsCommand("AT+CMGS=23", PDU), clock);
    expect(isCellgateError(err, "CG_ERR_AT_TIMEOUT") && err.detail.phase).toBe("prompt");
    await flush();
    expect(modem.received.slice(-2)).toEqual(["AT+CMGS=23", "<ESC>"]); // at once, not only before the next command
    await run("AT+CSQ");
    expect(modem.received.slice(-4)).toEqual(["AT+CMGS=23", "<ESC>", "AT", "AT+CSQ"]);
  });

  it("an error instead of the prompt is that error; OK without a prompt is CG_ERR_AT_PROMPT", async () => {
    const { engine, clock } = setup((cmd) =>
      cmd === "AT+CMGS=23" ? "\r\n+CMS ERROR: 304\r\n" : cmd === "AT+CMGS=32" ? "\r\npad\r\n\r\nOK\r\n" : undefined,
    );
    const cms = await driveRejects(engine.smsCommand("AT+CMGS=23", PDU), clock);
    expect(isCellgateError(cms, "CG_ERR_AT_CMS") && cms.detail.errorText).toBe("invalid PDU mode parameter");
    const noPrompt = await driveRejects(engine.smsCommand("AT+CMGS=32", PDU), clock);
    expect(isCellgateError(noPrompt, "CG_ERR_AT_PROMPT")).toBe(true);
  });

  it("refuses a payload that is not hex before writing anything", async () => {
    const { engine } = setup(() => undefined);
    await expect(engine.smsCommand("AT+CMGS=3", "hello\x1a")).rejects.toMatchObject({ code: "CG_ERR_AT_INVALID" });
  });
});

describe("AtEngine: garbage", () => {
  it("an over-long line is dropped with CG_ERR_AT_FRAME and the command still completes", async () => {
    const { engine, run, modem } = setup((cmd) => (cmd === "AT+CSQ" ? "\r\n+CSQ: 4,99\r\n\r\nOK\r\n" : undefined));
    await run("AT");
    const frames: Array<{ code: string; detail: Record<string, unknown> }> = [];
    engine.events.on("overflow", (e) => frames.push(e));
    modem.send("\x00".repeat(20_000) + "\r\n");
    await flush();
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ code: "CG_ERR_AT_FRAME", detail: { dropped: 20_000 } });
    expect((await run("AT+CSQ")).lines).toEqual(["+CSQ: 4,99"]);
  });
});

describe("AtEngine: resync and unknown URCs", () => {
  it("an unregistered URC just before the resync OK does not make the resync fail", async () => {
    const { engine, clock, modem } = setup((cmd) =>
      cmd === "AT" ? '\r\n+QIND: "smsfull","SM"\r\n\r\nOK\r\n' : cmd === "AT+CMGF=0" ? "\r\nOK\r\n" : undefined,
    );
    const r = await drive(engine.command("AT+CMGF=0"), clock);
    expect(r.final).toBe("OK");
    expect(modem.received).toEqual(["<ESC>", "AT", "AT+CMGF=0"]);
  });

  it("but output of the timed-out command before an OK marks that OK as the late reply's", async () => {
    const { engine, clock, modem, run } = setup(() => undefined);
    await run("AT");
    await driveRejects(engine.command("AT+CSQ"), clock);
    modem.script = (cmd) =>
      cmd === "AT"
        ? ["\r\n+CSQ: 9,99\r\n\r\nOK\r\n", "\r\nOK\r\n"]
        : cmd === "AT+CGATT?"
          ? "\r\n+CGATT: 1\r\n\r\nOK\r\n"
          : undefined;
    const absorbed: string[][] = [];
    engine.events.on("resync", (e) => absorbed.push(e.absorbed));
    expect((await run("AT+CGATT?")).lines).toEqual(["+CGATT: 1"]);
    expect(absorbed).toEqual([["+CSQ: 9,99", "OK", "OK"]]);
  });
});
