import { describe, expect, it } from "vitest";
import { parseCommandLine, type ModemSimulatorOptions } from "../../src/sim/modem/index.js";
import { standardModem } from "../helpers/standard-modem.js";
import { onTheWire } from "../helpers/wire.js";

// The simulator's wire behaviour, byte for byte, with no engine in between, on a module that
// does 27.007/27.005 by the book (the vendors' modules have their own tests in personalities/).
function setup(o: ModemSimulatorOptions = {}) {
  return onTheWire({ personality: standardModem(), ...o });
}

describe("ModemSimulator: the basics", () => {
  it("echoes until ATE0, then answers without echo", () => {
    const { tx } = setup();
    expect(tx("AT\r")).toBe("AT\r\r\nOK\r\n");
    expect(tx("ATE0\r")).toBe("ATE0\r\r\nOK\r\n");
    expect(tx("AT+CSQ\r")).toBe("\r\n+CSQ: 21,99\r\n\r\nOK\r\n");
  });

  it("errors follow +CMEE: ERROR, numeric, verbose", () => {
    const { tx, sim } = setup({ sim: { present: false } });
    tx("ATE0\r");
    sim.world.settings.cmee = 0;
    expect(tx("AT+CIMI\r")).toBe("\r\nERROR\r\n");
    tx("AT+CMEE=1\r");
    expect(tx("AT+CIMI\r")).toBe("\r\n+CME ERROR: 10\r\n");
    tx("AT+CMEE=2\r");
    expect(tx("AT+CIMI\r")).toBe("\r\n+CME ERROR: SIM not inserted\r\n");
    expect(tx("AT+NOPE\r")).toBe("\r\nERROR\r\n");
  });

  it("concatenated commands answer once", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+COPS=3,2;+COPS?\r")).toBe('\r\n+COPS: 0,2,"310260",7\r\n\r\nOK\r\n');
    expect(parseCommandLine("E0V1")).toEqual([
      { name: "E", form: "exec", args: "0" },
      { name: "V", form: "exec", args: "1" },
    ]);
  });

  it("registration: read with <n>, URC on change per <n>", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    expect(tx("AT+CEREG?\r")).toBe("\r\n+CEREG: 0,5\r\n\r\nOK\r\n");
    tx("AT+CEREG=2\r");
    expect(tx("AT+CEREG?\r")).toBe('\r\n+CEREG: 2,5,"2D18","3089F02",7\r\n\r\nOK\r\n');
    sim.setNetwork({ eps: 2 });
    expect(read()).toBe("\r\n+CEREG: 2\r\n");
  });
});

describe("ModemSimulator: the bearer's address", () => {
  it("+CGDCONT? shows 0.0.0.0; +CGPADDR the network's address while attached", () => {
    const [up, down] = ['"10.64.12.3"', '"0.0.0.0"'];
    const { tx, sim } = setup();
    tx("ATE0\r");
    expect(tx("AT+CGDCONT?\r")).toBe('\r\n+CGDCONT: 1,"IP","wireless.twilio.com","0.0.0.0",0,0,0,0\r\n\r\nOK\r\n');
    expect(tx("AT+CGPADDR\r")).toBe(`\r\n+CGPADDR: 1,${up}\r\n\r\nOK\r\n`);
    expect(tx("AT+CGPADDR=1\r")).toBe(`\r\n+CGPADDR: 1,${up}\r\n\r\nOK\r\n`);
    expect(tx("AT+CGPADDR=?\r")).toBe("\r\n+CGPADDR: (1)\r\n\r\nOK\r\n");
    expect(tx("AT+CGPADDR=7\r")).toMatch(/ERROR/);
    sim.setNetwork({ attached: false });
    expect(tx("AT+CGPADDR\r")).toBe(`\r\n+CGPADDR: 1,${down}\r\n\r\nOK\r\n`);
  });
});

describe("ModemSimulator: SMS storage", () => {
  const PDU = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";

  it("delivers into storage with +CMTI; lists, reads (marking read) and deletes in PDU mode", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    expect(sim.deliverSms({ pdu: PDU })).toEqual({ memory: "SM", index: 0 });
    expect(read()).toBe('\r\n+CMTI: "SM",0\r\n');
    expect(tx("AT+CPMS?\r")).toBe('\r\n+CPMS: "SM",1,30,"SM",1,30,"SM",1,30\r\n\r\nOK\r\n');
    expect(tx("AT+CMGL=0\r")).toBe(`\r\n+CMGL: 0,0,,${PDU.length / 2 - 8}\r\n\r\n${PDU}\r\n\r\nOK\r\n`);
    expect(tx("AT+CMGL=0\r")).toBe("\r\nOK\r\n"); // now read
    expect(tx("AT+CMGR=0\r")).toBe(`\r\n+CMGR: 1,,${PDU.length / 2 - 8}\r\n\r\n${PDU}\r\n\r\nOK\r\n`);
    expect(tx('AT+CMGL="ALL"\r')).toBe("\r\nERROR\r\n"); // the text-mode form in PDU mode
    expect(tx("AT+CMGR=99\r")).toBe("\r\n+CMS ERROR: 321\r\n");
    expect(tx("AT+CMGD=0\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CMGL=4\r")).toBe("\r\nOK\r\n");
  });

  it("text mode shows what the deliverer described", () => {
    const { tx, sim } = setup();
    tx("ATE0\r");
    sim.deliverSms({ pdu: PDU, text: { address: "+31641600986", scts: "02/08/26,19:37:41+08", body: "How are you?" } });
    tx("AT+CMGF=1\r");
    expect(tx('AT+CMGL="ALL"\r')).toBe(
      '\r\n+CMGL: 0,"REC UNREAD","+31641600986",,"02/08/26,19:37:41+08"\r\n\r\nHow are you?\r\n\r\nOK\r\n',
    );
  });

  it("full storage refuses the message; +CPMS switches memories", () => {
    const { tx, sim } = setup();
    tx("ATE0\r");
    for (let i = 0; i < 30; i++) expect(sim.deliverSms({ pdu: PDU })).toBeDefined();
    expect(sim.deliverSms({ pdu: PDU })).toBeUndefined();
    expect(tx('AT+CPMS="ME","ME","ME"\r')).toBe("\r\n+CPMS: 0,255,0,255,0,255\r\n\r\nOK\r\n");
    expect(sim.deliverSms({ pdu: PDU })).toEqual({ memory: "ME", index: 0 });
  });

  it("+CMGS: prompt, PDU length checked against the TPDU, +CMGS: <mr>", () => {
    const { tx, sim } = setup();
    tx("ATE0\r");
    const submit = "0011000B911326880736F40000AA0AE8329BFD4697D9EC37";
    expect(tx(`AT+CMGS=${submit.length / 2 - 1}\r`)).toBe("\r\n> ");
    expect(tx(`${submit}\x1a`)).toBe("\r\n+CMGS: 1\r\n\r\nOK\r\n");
    expect(sim.sent).toEqual([{ pdu: submit, mr: 1 }]);
    expect(tx("AT+CMGS=5\r")).toBe("\r\n+CMS ERROR: 304\r\n");
    tx(`AT+CMGS=30\r`);
    expect(tx(`${submit}\x1a`)).toBe("\r\n+CMS ERROR: 304\r\n");
    tx(`AT+CMGS=${submit.length / 2 - 1}\r`);
    expect(tx("0011\x1b")).toBe(""); // ESC cancels silently
    expect(tx("AT\r")).toBe("\r\nOK\r\n");
  });
});

describe("ModemSimulator: faults", () => {
  it("hang: swallows everything until unhang", () => {
    const { tx, sim } = setup();
    tx("ATE0\r");
    sim.hang();
    expect(tx("AT\r", 1000)).toBe("");
    sim.unhang();
    expect(tx("AT\r")).toBe("\r\nOK\r\n");
  });

  it("hang until reset: only AT+CFUN=1,1 gets through, then the boot banners", () => {
    const { tx, sim } = setup();
    tx("ATE0\r");
    sim.hang("until-reset");
    expect(tx("AT\r", 1000)).toBe("");
    expect(tx("AT+CFUN=1,1\r", 200)).toBe("\r\nOK\r\n\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n");
    expect(tx("AT\r")).toBe("AT\r\r\nOK\r\n"); // echo is back on after a restart
  });

  it("stall: answers, but late", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    sim.stall(2000);
    expect(tx("AT+CSQ\r", 1000)).toBe("");
    expect(read(1500)).toBe("\r\n+CSQ: 21,99\r\n\r\nOK\r\n");
  });

  it("dribble: one to three bytes per write", () => {
    const { tx, sim, chunks } = setup();
    tx("ATE0\r");
    sim.dribble(true);
    chunks.length = 0;
    expect(tx("AT+CSQ\r", 50)).toBe("\r\n+CSQ: 21,99\r\n\r\nOK\r\n");
    expect(chunks.length).toBeGreaterThan(6);
    expect(chunks.every((c) => c.length >= 1 && c.length <= 3)).toBe(true);
    expect(new Set(chunks.map((c) => c.length)).size).toBeGreaterThan(1);
  });

  it("a URC inside the next reply, and garbage on the line", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    sim.urcInNextReply('+CMTI: "SM",4');
    expect(tx("AT+CSQ\r")).toBe('\r\n+CSQ: 21,99\r\n\r\n+CMTI: "SM",4\r\n\r\nOK\r\n');
    sim.garbage(Buffer.from([0x00, 0xff, 0x7e]));
    expect(read()).toBe("\x00\xff~");
  });
});
