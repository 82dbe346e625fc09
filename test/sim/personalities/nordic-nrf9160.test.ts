import { describe, expect, it } from "vitest";
import { type ModemSimulatorOptions, type Personality } from "../../../src/sim/modem/index.js";
import { nordicNrf9160, nordicNrf9160With } from "../../../src/sim/modem/personalities/nordic-nrf9160.js";
import { onTheWire } from "../../helpers/wire.js";

// The nRF9160 (modem firmware 1.3.x) personality driven byte for byte, no engine in between.
// Sections are those of the fact sheet docs/modems/nordic-nrf9160.md (nRF91 AT Commands guide).

function setup(o: ModemSimulatorOptions & { personality?: Personality } = {}) {
  const { sim, clock, tx, read } = onTheWire({ personality: nordicNrf9160, ...o });
  const answer = (...lines: string[]) => [...lines, "OK"].map((l) => `\r\n${l}\r\n`).join("");
  /** AT+CFUN=1 and the UICC's start-up (500 ms by default). */
  const on = () => {
    expect(tx("AT+CFUN=1\r")).toMatch(/^\r\nOK\r\n/);
    read(600);
  };
  return { sim, clock, tx, read, answer, on };
}

const ERR = "\r\nERROR\r\n";
// §10.4: the manual's +CMT example (28 octets of TPDU after the 7 of the SMSC part).
const MANUAL_PDU = "069144888888F8D4F29C9E769F4161D0BC3D07B5CBF379F89C769F416F7B590E62D3CB";
const SUBMIT = "0011000B911326880736F40000AA0AE8329BFD4697D9EC37"; // 23-octet SMS-SUBMIT, no SMSC

describe("nRF9160: power-on (§5) and V.250 basics (§3)", () => {
  it("§5: no banner, no echo, starts in +CFUN: 0 with the UICC off; +CPIN? errors until the UICC is up", () => {
    const { tx, read, answer } = setup();
    expect(read(1000)).toBe("");
    expect(tx("AT\r")).toBe(answer()); // no echo
    expect(tx("AT+CFUN?\r")).toBe(answer("+CFUN: 0"));
    expect(tx("AT+CEREG?\r")).toBe(answer("+CEREG: 0,0"));
    expect(tx("AT+CPIN?\r")).toBe(ERR);
    expect(tx("AT+CFUN=1\r")).toBe(answer());
    expect(tx("AT+CPIN?\r")).toBe(ERR); // TinyGSM #486: ERROR, ERROR, then READY
    expect(tx("AT+CMEE=1\r")).toBe(answer());
    expect(tx("AT+CPIN?\r")).toBe("\r\n+CME ERROR: 14\r\n");
    read(500);
    expect(tx("AT+CPIN?\r")).toBe(answer("+CPIN: READY"));
    expect(tx("AT+CFUN?\r")).toBe(answer("+CFUN: 1"));
  });

  it("§5.1: the CFUN list; no <rst>, no 15/16", () => {
    const { tx, answer } = setup();
    expect(tx("AT+CFUN=?\r")).toBe(answer("+CFUN: (0,1,4,20,21,30,31,40,41,44)"));
    for (const c of ["AT+CFUN=1,1", "AT+CFUN=15", "AT+CFUN=16", "AT+CFUN=2"]) expect(tx(`${c}\r`)).toBe(ERR);
    expect(tx("AT+CFUN=4\r")).toBe(answer());
    expect(tx("AT+CFUN?\r")).toBe(answer("+CFUN: 4"));
  });

  it("§3: no V.250 basic command answers (ATE0/ATE1 included: the modem never echoes)", () => {
    const { tx, answer } = setup();
    for (const c of ["ATE0", "ATE1", "ATV1", "ATQ0", "ATZ", "AT&F", "AT&W", "ATI", "ATS3?", "ATD*99#"])
      expect(tx(`${c}\r`)).toBe(ERR);
    expect(tx("AT\r")).toBe(answer());
  });

  it("§3: compound lines after one AT", () => {
    const { tx, answer } = setup();
    expect(tx("AT+CMEE=1;+CMEE?\r")).toBe(answer("+CMEE: 1"));
  });
});

describe("nRF9160: identity (§2 / §4)", () => {
  it("bare +CGMI/+CGMM/+CGMR/+CGSN; +CGSN=1..3 quoted; %-commands unquoted; no +GMI/+GSN/ATI", () => {
    const { tx, answer } = setup();
    expect(tx("AT+CGMI\r")).toBe(answer("Nordic Semiconductor ASA"));
    expect(tx("AT+CGMM\r")).toBe(answer("nRF9160-SICA"));
    expect(tx("AT+CGMR\r")).toBe(answer("mfw_nrf9160_1.3.5"));
    expect(tx("AT+CGSN\r")).toBe(answer("352656100367872"));
    expect(tx("AT+CGSN=0\r")).toBe(answer("352656100367872"));
    expect(tx("AT+CGSN=1\r")).toBe(answer('+CGSN: "352656100367872"'));
    expect(tx("AT+CGSN=2\r")).toMatch(/^\r\n\+CGSN: "35265610036787\d{2}"\r\n\r\nOK\r\n$/);
    expect(tx("AT+CGSN=3\r")).toMatch(/^\r\n\+CGSN: "\d{2}"\r\n\r\nOK\r\n$/);
    expect(tx("AT+CGSN=?\r")).toBe(answer("+CGSN: (0-3)"));
    expect(tx("AT%SHORTSWVER\r")).toBe(answer("%SHORTSWVER: nrf9160_1.3.5"));
    expect(tx("AT%HWVERSION\r")).toBe(answer("%HWVERSION: nRF9160 SICA B0A"));
    expect(tx("AT%XMODEMUUID\r")).toBe(answer("%XMODEMUUID: 25c95751-efa4-40d4-8b4a-1dcaab81fac9"));
    for (const c of ["AT+GMI", "AT+GMM", "AT+GMR", "AT+GSN", "ATI"]) expect(tx(`${c}\r`)).toBe(ERR);
  });

  it("§4.5: +CIMI bare once the UICC is up, ERROR before", () => {
    const { tx, answer, on } = setup();
    expect(tx("AT+CIMI\r")).toBe(ERR);
    on();
    expect(tx("AT+CIMI\r")).toBe(answer("310260123456789"));
  });
});

describe("nRF9160: errors (§4 / §9)", () => {
  it("§9.1: +CMEE 0 (default) and 1 only; unknown commands plain ERROR whatever +CMEE", () => {
    const { tx, answer, on } = setup();
    expect(tx("AT+CMEE?\r")).toBe(answer("+CMEE: 0"));
    expect(tx("AT+CMEE=?\r")).toBe(answer("+CMEE: (0,1)"));
    expect(tx("AT+CMEE=2\r")).toBe(ERR);
    on();
    expect(tx("AT%XSYSTEMMODE=1,0,0,0\r")).toBe(ERR); // 518 hidden by +CMEE 0
    tx("AT+CMEE=1\r");
    expect(tx("AT%XSYSTEMMODE=1,0,0,0\r")).toBe("\r\n+CME ERROR: 518\r\n"); // §5.36: not while active
    expect(tx("AT+NOPE\r")).toBe(ERR);
    expect(tx("AT+CMGR=0\r")).toBe(ERR);
  });

  it("§5.36: %XSYSTEMMODE is set while the modem is not active", () => {
    const { tx, answer } = setup();
    expect(tx("AT%XSYSTEMMODE?\r")).toBe(answer("%XSYSTEMMODE: 1,0,0,0"));
    expect(tx("AT%XSYSTEMMODE=0,1,0,0\r")).toBe(answer());
    expect(tx("AT%XSYSTEMMODE?\r")).toBe(answer("%XSYSTEMMODE: 0,1,0,0"));
    expect(tx("AT%XSYSTEMMODE=?\r")).toBe(ERR);
  });
});

describe("nRF9160: registration, +CEREG only (§9)", () => {
  it("§8.10 / §5.1: CFUN=1 prints searching then registered (AcT 7), with +CGEV: ME PDN ACT 0 (§7.3); CFUN=0 detaches", () => {
    const { tx, answer } = setup();
    tx("AT+CEREG=2;+CGEREP=1\r");
    expect(tx("AT+CFUN=1\r")).toBe(
      answer() + '\r\n+CEREG: 2\r\n\r\n+CGEV: ME PDN ACT 0\r\n\r\n+CEREG: 5,"2D18","03089F02",7\r\n',
    );
    expect(tx("AT+CEREG?\r")).toBe(answer('+CEREG: 2,5,"2D18","03089F02",7'));
    expect(tx("AT+CFUN=0\r")).toBe(answer() + "\r\n+CGEV: ME DETACH\r\n\r\n+CEREG: 0\r\n");
  });

  it("§9: <n> 0–5; URC forms per <n>; AcT 9 on NB-IoT; reject cause; PSM timers", () => {
    const { tx, sim, read, answer, on } = setup();
    on();
    expect(tx("AT+CEREG=?\r")).toBe(answer("+CEREG: (0-5)"));
    expect(tx("AT+CEREG=6\r")).toBe(ERR);
    tx("AT+CEREG=1\r");
    expect(tx("AT+CEREG?\r")).toBe(answer("+CEREG: 1,5"));
    sim.setNetwork({ eps: 2 });
    expect(read()).toBe("\r\n+CEREG: 2\r\n");
    tx("AT+CEREG=2\r");
    sim.setNetwork({ eps: 1, rat: "nb-iot" });
    expect(read()).toBe('\r\n+CEREG: 1,"2D18","03089F02",9\r\n');
    tx("AT+CEREG=3\r");
    sim.setNetwork({ eps: 3, rejectCause: 15 });
    expect(read()).toBe("\r\n+CEREG: 3,,,,0,15\r\n");
    tx("AT+CEREG=4\r");
    sim.setNetwork({ eps: 1, rejectCause: null, psm: { activeTime: "00100001", periodicTau: "00101010" } });
    expect(read()).toBe('\r\n+CEREG: 1,"2D18","03089F02",9,,,"00100001","00101010"\r\n');
    tx("AT+CEREG=5\r");
    expect(tx("AT+CEREG?\r")).toBe(answer('+CEREG: 5,1,"2D18","03089F02",9,,,"00100001","00101010"'));
    for (const c of ["AT+CREG?", "AT+CGREG?", "AT+C5GREG?", "AT+CREG=2"]) expect(tx(`${c}\r`)).toBe(ERR);
  });

  it("§10: +COPS numeric with AcT; +COPS=? with empty names; attach, APN on cid 0, address", () => {
    const { tx, answer, on } = setup();
    expect(tx("AT+COPS?\r")).toBe(answer("+COPS: 0"));
    on();
    expect(tx("AT+COPS?\r")).toBe(answer('+COPS: 0,2,"310260",7'));
    expect(tx("AT+COPS=3,0;+COPS?\r")).toBe(answer('+COPS: 0,0,"T-Mobile",7'));
    expect(tx("AT+COPS=?\r")).toBe(answer('+COPS: (2,"","","310260",7)'));
    expect(tx("AT+COPS=2\r")).toBe(ERR);
    expect(tx("AT+CGATT?\r")).toBe(answer("+CGATT: 1"));
    expect(tx("AT+CGDCONT?\r")).toBe(answer('+CGDCONT: 0,"IP","","10.64.12.3",0,0'));
    expect(tx("AT+CGDCONT=?\r")).toBe(ERR);
    expect(tx("AT+CGPADDR\r")).toBe(answer('+CGPADDR: 0,"10.64.12.3"'));
    expect(tx("AT+CGPADDR=0\r")).toBe(answer('+CGPADDR: 0,"10.64.12.3"'));
    expect(tx("AT+CGACT?\r")).toBe(answer("+CGACT: 0,1"));
    expect(tx("AT+CGACT=0,0\r")).toBe(ERR); // §7.4.1: cid 0 is not +CGACT's
  });
});

describe("nRF9160: signal (§7)", () => {
  it("§7: no +CSQ (1.3.x); +CESQ with only rsrq/rsrp; %XMONITOR; read forms refused", () => {
    const { tx, sim, answer, on } = setup();
    expect(tx("AT+CESQ\r")).toBe(answer("+CESQ: 99,99,255,255,255,255")); // not active
    on();
    expect(tx("AT+CSQ\r")).toBe(ERR);
    expect(tx("AT+CESQ\r")).toBe(answer("+CESQ: 99,99,255,255,20,46"));
    expect(tx("AT+CESQ=?\r")).toBe(answer("+CESQ: (99),(99),(255),(255),(0-34,255),(0-97,255)"));
    expect(tx("AT+CESQ?\r")).toBe(ERR);
    expect(tx("AT%XMONITOR\r")).toBe(
      answer('%XMONITOR: 5,"T-Mobile","TMO","310260","2D18",7,66,"03089F02",187,66786,46,36,"","11100000","11100000","00000000"'),
    );
    expect(tx("AT%XMONITOR?\r")).toBe(ERR);
    expect(tx("AT%XMONITOR=?\r")).toBe(ERR);
    expect(tx("AT%XCBAND\r")).toBe(answer("%XCBAND: 66"));
    sim.setNetwork({ eps: 2 });
    expect(tx("AT%XMONITOR\r")).toBe(answer("%XMONITOR: 2"));
  });

  it("§7 (2020 text §5.7): the +CSQ switch answers 99,99 at most", () => {
    const { tx, answer, on } = setup({ personality: nordicNrf9160With({ csq: "always-99" }) });
    on();
    expect(tx("AT+CSQ\r")).toBe(answer("+CSQ: 99,99"));
    expect(tx("AT+CSQ=?\r")).toBe(answer("+CSQ: (99),(99)"));
  });

  it("§5.6: %CESQ URC when a threshold is crossed", () => {
    const { tx, sim, read, answer, on } = setup();
    on();
    expect(tx("AT%CESQ=1\r")).toBe(answer());
    sim.setNetwork({ rsrpDbm: -96 }); // index 45: same threshold band
    expect(read()).toBe("");
    sim.setNetwork({ rsrpDbm: -120 });
    expect(read()).toBe("\r\n%CESQ: 21,1,20,2\r\n");
  });
});

describe("nRF9160: SIM and ICCID (§6)", () => {
  it("§4.9: %XICCID unquoted with the trailing F; no read form; no +CCID/+ICCID/+QCCID", () => {
    const { tx, answer, on } = setup();
    expect(tx("AT%XICCID\r")).toBe(ERR); // UICC off in CFUN 0
    on();
    expect(tx("AT%XICCID\r")).toBe(answer("%XICCID: 8988307000012345678F"));
    expect(tx("AT%XICCID?\r")).toBe(ERR);
    for (const c of ["AT+CCID", "AT+ICCID", "AT+QCCID", "AT+CICCID", "AT#CCID"]) expect(tx(`${c}\r`)).toBe(ERR);
    expect(tx("AT%XSIM?\r")).toBe(answer("%XSIM: 1"));
    expect(tx('AT+CPINR="SIM PIN"\r')).toBe(answer('+CPINR: "SIM PIN",3'));
  });

  it("§6: a PIN-locked SIM reads SIM PIN once the UICC is up", () => {
    const { tx, answer, on } = setup({ sim: { pin: "1234" } });
    on();
    expect(tx("AT+CPIN?\r")).toBe(answer("+CPIN: SIM PIN"));
    expect(tx("AT%XSIM?\r")).toBe(answer("%XSIM: 0,1"));
    expect(tx("AT+CEREG?\r")).toBe(answer("+CEREG: 0,0"));
  });
});

describe("nRF9160: SMS without storage (§11)", () => {
  it("§10.8: +CPMS only MT with capacity 0; no storage commands; PDU mode for the registered client only", () => {
    const { tx, answer, on } = setup();
    on();
    expect(tx("AT+CPMS?\r")).toBe(answer('+CPMS: "MT",0,0,"MT",0,0,"MT",0,0'));
    expect(tx('AT+CPMS="MT","MT","MT"\r')).toBe(answer("+CPMS: 0,0,0,0,0,0"));
    expect(tx("AT+CPMS=?\r")).toBe(answer('+CPMS: ("MT"),("MT"),("MT")'));
    expect(tx('AT+CPMS="SM"\r')).toBe(ERR);
    for (const c of ["AT+CMGR=0", "AT+CMGL=4", "AT+CMGD=0", "AT+CMGW=23", "AT+CMSS=0", "AT+CSMS?", "AT+CSCA?"]) {
      expect(tx(`${c}\r`)).toBe(ERR);
    }
    expect(tx("AT+CMGF=0\r")).toBe(ERR); // §10.1: not registered with +CNMI yet
    expect(tx("AT+CNMI?\r")).toBe(answer("+CNMI: 0,0,0,0,1"));
    expect(tx("AT+CNMI=?\r")).toBe(ERR);
    for (const c of ["AT+CNMI=2,1,0,0,0", "AT+CNMI=3,1,0,0", "AT+CNMI=3,2,0,0", "AT+CNMI=3,0,0,1"])
      expect(tx(`${c}\r`)).toBe(ERR);
    expect(tx("AT+CNMI=3,2,0,1\r")).toBe(answer());
    expect(tx("AT+CNMI?\r")).toBe(answer("+CNMI: 3,2,0,1,1"));
    expect(tx("AT+CMGF?\r")).toBe(answer("+CMGF: 0"));
    expect(tx("AT+CMGF=?\r")).toBe(answer("+CMGF: (0)"));
    expect(tx("AT+CMGF=1\r")).toBe(ERR);
    expect(tx("AT+CMGF=0\r")).toBe(answer());
  });

  it("§10.4/§10.6: +CMT with the quoted originator and the TPDU length, acknowledged by +CNMA", () => {
    const { tx, sim, read, answer, on } = setup();
    on();
    expect(sim.deliverSms({ pdu: MANUAL_PDU, originator: "+358401234567" })).toBeUndefined();
    expect(sim.heldByNetwork).toBe(1); // no SMS client: the network keeps it
    expect(read()).toBe("");
    expect(tx("AT+CNMI=3,2,0,1\r")).toBe(answer() + `\r\n+CMT: "+358401234567",28\r\n${MANUAL_PDU}\r\n`);
    expect(sim.awaitingAck).toBe(true);
    expect(tx("AT+CNMA=1\r")).toBe(answer());
    expect(sim.awaitingAck).toBe(false);
    tx("AT+CMEE=1\r");
    expect(tx("AT+CNMA=1\r")).toBe("\r\n+CMS ERROR: 302\r\n"); // nothing owed
    expect(tx("AT+CNMA=?\r")).toBe(answer("+CNMA: (0-2)"));
    sim.sendFromNetwork({ from: "+358401234567", text: "hello" });
    expect(read()).toMatch(/^\r\n\+CMT: "\+358401234567",\d+\r\n[0-9A-F]+\r\n$/);
    expect(tx("AT+CNMA=1,9\r010017116031621300\x1a")).toBe(answer()); // §10.6: with an RP-ACK PDU, no prompt
    expect(sim.awaitingAck).toBe(false);
    read(10_000);
    expect(tx("AT+CNMI?\r")).toBe(answer("+CNMI: 3,2,0,1,1")); // acknowledged in time: still registered
  });

  it("[IC cnma_set]: no +CNMA within the timer → client unregistered, +CMS ERROR: 524; delivered again after +CNMI", () => {
    const { tx, sim, read, answer, on } = setup();
    on();
    tx("AT+CNMI=3,2,0,1;+CMEE=1\r");
    sim.deliverSms({ pdu: MANUAL_PDU, originator: "+358401234567" });
    expect(read()).toBe(`\r\n+CMT: "+358401234567",28\r\n${MANUAL_PDU}\r\n`);
    expect(read(4990)).toBe("");
    expect(read(10)).toBe("\r\n+CMS ERROR: 524\r\n");
    expect(tx("AT+CNMI?\r")).toBe(answer("+CNMI: 3,0,0,0,1"));
    expect(tx("AT+CNMA=1\r")).toBe("\r\n+CMS ERROR: 302\r\n"); // too late
    expect(tx(`AT+CMGS=23\r${SUBMIT}\x1a`)).toContain("+CMS ERROR: 302\r\n"); // unregistered client cannot send
    expect(sim.heldByNetwork).toBe(1);
    expect(read(60_000)).toBe(""); // nothing while unregistered
    expect(tx("AT+CNMI=3,2,0,1\r")).toBe(answer() + `\r\n+CMT: "+358401234567",28\r\n${MANUAL_PDU}\r\n`);
    expect(tx("AT+CNMA=1\r")).toBe(answer());
    expect(sim.heldByNetwork).toBe(0);
  });

  it("the ack timer is configurable", () => {
    const { tx, sim, read, on } = setup({ personality: nordicNrf9160With({ ackTimeoutMs: 1000 }) });
    on();
    tx("AT+CNMI=3,2,0,1\r");
    sim.deliverSms({ pdu: MANUAL_PDU, originator: "+358401234567" });
    read();
    expect(read(1000)).toBe("\r\n+CMS ERROR: 524\r\n");
  });

  it("§10.3: +CMGS without a prompt: the PDU follows the CR in the same write", () => {
    const { tx, sim, answer, on } = setup();
    on();
    tx("AT+CNMI=3,2,0,1\r");
    expect(tx(`AT+CMGS=23\r${SUBMIT}\x1a`)).toBe(answer("+CMGS: 1"));
    expect(sim.sent).toEqual([{ pdu: SUBMIT, mr: 1 }]);
    expect(tx("AT+CMGS=23\r")).toBe(""); // no "> "
    expect(tx(`${SUBMIT}\x1a`)).toBe(answer("+CMGS: 2"));
    tx("AT+CMEE=1\r");
    expect(tx(`AT+CMGS=30\r${SUBMIT}\x1a`)).toBe("\r\n+CMS ERROR: 304\r\n");
  });
});

describe("nRF9160: reset (§12)", () => {
  it("§12: no reset command; a stuck modem is not woken by any AT line", () => {
    const { tx, sim } = setup();
    expect(nordicNrf9160.resets).toEqual([]);
    let rebooted = 0;
    sim.events.on("rebooted", () => rebooted++);
    sim.hang("until-reset");
    expect(tx("AT+CFUN=1,1\r", 1000)).toBe("");
    expect(tx("AT+CFUN=0\r", 1000)).toBe("");
    expect(rebooted).toBe(0);
  });

  it("§5/§12: the modem library's reset prints nothing and restores the power-on state", () => {
    const { tx, sim, read, answer, on } = setup();
    on();
    tx("AT+CMEE=1;+CNMI=3,2,0,1;+CEREG=2\r");
    let rebooted = 0;
    sim.events.on("rebooted", () => rebooted++);
    sim.reboot();
    expect(read(200)).toBe(""); // no banner
    expect(rebooted).toBe(1);
    expect(tx("AT+CFUN?\r")).toBe(answer("+CFUN: 0"));
    expect(tx("AT+CMEE?\r")).toBe(answer("+CMEE: 0"));
    expect(tx("AT+CNMI?\r")).toBe(answer("+CNMI: 0,0,0,0,1"));
    expect(tx("AT+CPIN?\r")).toBe(ERR);
  });

  it("§12: AT+CFUN=0 then AT+CFUN=1 is a radio cycle, not a reboot: settings stay", () => {
    const { tx, sim, answer, on } = setup();
    on();
    tx("AT+CMEE=1;+CEREG=1\r");
    let rebooted = 0;
    sim.events.on("rebooted", () => rebooted++);
    expect(tx("AT+CFUN=0\r")).toBe(answer() + "\r\n+CEREG: 0\r\n");
    expect(tx("AT+CFUN=1\r")).toBe(answer() + "\r\n+CEREG: 2\r\n\r\n+CEREG: 5\r\n");
    expect(tx("AT+CMEE?\r")).toBe(answer("+CMEE: 1"));
    expect(rebooted).toBe(0);
  });
});
