import { describe, expect, it } from "vitest";
import {
  dottedIpv6,
  parseCclkRead,
  parseCfunRead,
  parseCgattRead,
  parseCgdcontRead,
  parseCgpaddrExec,
  parseQltsExec,
} from "../../../src/modem/parsers/index.js";

describe("parseCgdcontRead (ModemManager test-modem-helpers.c)", () => {
  it("Nokia: empty unquoted APN", () => {
    expect(parseCgdcontRead(['+CGDCONT: 1,"IP",,,0,0'])).toEqual([{ cid: 1, type: "IP", apn: "" }]);
  });

  it("Samsung: three contexts", () => {
    const r = parseCgdcontRead([
      '+CGDCONT: 1,"IP","nate.sktelecom.com","",0,0',
      '+CGDCONT: 2,"IP","epc.tmobile.com","",0,0',
      '+CGDCONT: 3,"IP","MAXROAM.com","",0,0',
    ]);
    expect(r.map((c) => c.apn)).toEqual(["nate.sktelecom.com", "epc.tmobile.com", "MAXROAM.com"]);
  });

  it("SIMCom: only three fields", () => {
    expect(parseCgdcontRead(['+CGDCONT: 1,"IP","nate.sktelecom.com"'])).toEqual([
      { cid: 1, type: "IP", apn: "nate.sktelecom.com" },
    ]);
  });

  it("Telit ME910C1 (magenta IoT quickstart): IPV4V6 contexts with zero addresses", () => {
    const r = parseCgdcontRead([
      '+CGDCONT: 1,"IP","catm","",0,0,0,0',
      '+CGDCONT: 2,"IPV4V6","","0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0",0,0,0,0',
    ]);
    expect(r).toEqual([
      { cid: 1, type: "IP", apn: "catm" },
      { cid: 2, type: "IPV4V6", apn: "" },
    ]);
  });

  it("Quectel dual stack: both zero addresses in one quoted field are no address; a real one is kept", () => {
    expect(
      parseCgdcontRead(['+CGDCONT: 1,"IPV4V6","wireless.twilio.com","0.0.0.0,0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0",0,0,0,0']),
    ).toEqual([{ cid: 1, type: "IPV4V6", apn: "wireless.twilio.com" }]);
    expect(
      parseCgdcontRead(['+CGDCONT: 1,"IPV4V6","super","10.1.2.3,0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0",0,0,0,0'])[0]?.address,
    ).toBe("10.1.2.3");
  });

  it("Twilio APN with an address", () => {
    expect(parseCgdcontRead(['+CGDCONT: 1,"IP","wireless.twilio.com","10.64.12.3",0,0'])).toEqual([
      { cid: 1, type: "IP", apn: "wireless.twilio.com", address: "10.64.12.3" },
    ]);
  });

  it("rejects a context without a cid", () => {
    expect(() => parseCgdcontRead(['+CGDCONT: ,"IP"'])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});

describe("parseCgpaddrExec: the addresses the network gave (27.007 §10.1.14)", () => {
  it.each<[string, string[], ReturnType<typeof parseCgpaddrExec>]>([
    ["Quectel EC25 manual: quoted", ['+CGPADDR: 1,"10.76.51.180"'], [{ cid: 1, ipv4: "10.76.51.180" }]],
    ["SIMCom SIM7600 manual: bare", ["+CGPADDR: 1,10.71.155.118"], [{ cid: 1, ipv4: "10.71.155.118" }]],
    ["not active: 0.0.0.0", ['+CGPADDR: 1,"0.0.0.0"', "+CGPADDR: 2,0.0.0.0"], [{ cid: 1 }, { cid: 2 }]],
    ["not active: no address field", ["+CGPADDR: 3", "+CGPADDR: 4,"], [{ cid: 3 }, { cid: 4 }]],
    [
      "dual stack, IPv6 as 16 dotted bytes (the Quectel EG915Q address of ref at-transcripts §13)",
      ['+CGPADDR: 2,"10.8.13.50","38.7.251.144.154.37.192.120.172.57.189.17.176.171.138.245"'],
      [{ cid: 2, ipv4: "10.8.13.50", ipv6: "2607:fb90:9a25:c078:ac39:bd11:b0ab:8af5" }],
    ],
    [
      "IPv6 only, colon form after AT+CGPIAF=1",
      ['+CGPADDR: 1,"2607:FB90:9A25:C078:0000:0000:0000:0001"'],
      [{ cid: 1, ipv6: "2607:fb90:9a25:c078::1" }],
    ],
    ["IPv6 all zeros and 0.0.0.0: nothing", ['+CGPADDR: 1,"0.0.0.0","0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0"'], [{ cid: 1 }]],
  ])("%s", (_name, lines, want) => {
    expect(parseCgpaddrExec(lines)).toEqual(want);
  });

  it.each([
    ["the EG915Q DNS addresses of ref at-transcripts §13", "253.0.151.106.0.0.0.0.0.0.0.0.0.0.0.9", "fd00:976a:0:0:0:0:0:9"],
    ["fifteen bytes is not an address", "253.0.151.106.0.0.0.0.0.0.0.0.0.0.0", undefined],
    ["a byte over 255", "256.0.151.106.0.0.0.0.0.0.0.0.0.0.0.9", undefined],
  ])("dottedIpv6: %s", (_name, dotted, want) => {
    expect(dottedIpv6(dotted)).toBe(want);
  });

  it("compresses the longest zero run as RFC 5952 says", () => {
    expect(parseCgpaddrExec(['+CGPADDR: 1,"253.0.151.106.0.0.0.0.0.0.0.0.0.0.0.9"'])).toEqual([{ cid: 1, ipv6: "fd00:976a::9" }]);
    expect(parseCgpaddrExec(["+CGPADDR: 1,2001:db8:0:0:1:0:0:1"])).toEqual([{ cid: 1, ipv6: "2001:db8::1:0:0:1" }]);
  });

  it.each([
    ["no cid", ['+CGPADDR: ,"10.0.0.1"']],
    ["not an address", ['+CGPADDR: 1,"10.0.0.300"']],
    ["an unclosed quote", ['+CGPADDR: 1,"10.0.0.1']],
  ])("rejects %s with a coded error quoting the line", (_name, lines) => {
    expect(() => parseCgpaddrExec(lines)).toThrow(
      expect.objectContaining({ code: "CG_ERR_MODEM_PARSE", detail: { raw: lines[0] } }),
    );
  });
});

describe("parseCgattRead / parseCfunRead", () => {
  it("SIMCom manual: +CGATT: 1", () => {
    expect(parseCgattRead(["+CGATT: 1"])).toBe(true);
    expect(parseCgattRead(["+CGATT: 0"])).toBe(false);
    expect(() => parseCgattRead(["+CGATT: 2"])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });

  it.each([
    ["+CFUN: 1", 1],
    ["+CFUN: 1,0", 1],
    ["+CFUN: 0", 0],
    ["+CFUN: 0,0", 0],
    ["+CFUN: 19", 19],
    ["+CFUN: 19,0", 19],
    ["+CFUN: 4", 4],
  ])("ModemManager cfun table: %s", (line, want) => {
    expect(parseCfunRead([line])).toBe(want);
  });

  it("ZTE K3565-Z answers AT+CFUN? with a range: refused", () => {
    expect(() => parseCfunRead(["+CFUN: (0-1,4-7),(0-1)"])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});

describe("network time: +CCLK? and Quectel +QLTS", () => {
  it.each([
    ['+CCLK: "24/11/26,14:03:21+04"', "2024-11-26T14:03:21+01:00", 60],
    ['+CCLK: "24/11/26,14:03:21-32"', "2024-11-26T14:03:21-08:00", -480],
    ['+CCLK: "24/11/26,14:03:21+22"', "2024-11-26T14:03:21+05:30", 330],
    ['+CCLK: "24/11/26,14:03:21"', "2024-11-26T14:03:21Z", null],
  ])("%s", (line, iso, tz) => {
    const t = parseCclkRead([line]);
    expect(t.iso).toBe(iso);
    expect(t.tzMinutes).toBe(tz);
    expect(t.epochMs).toBe(Date.parse(iso));
    expect(t.source).toBe("rtc");
  });

  it("Quectel +QLTS: four-digit year and DST; empty when no NITZ was received", () => {
    expect(parseQltsExec(['+QLTS: "2019/01/13,03:40:48+32,0"'])).toEqual({
      iso: "2019-01-13T03:40:48+08:00",
      epochMs: Date.parse("2019-01-13T03:40:48+08:00"),
      tzMinutes: 480,
      source: "nitz",
      dst: 0,
    });
    expect(parseQltsExec(['+QLTS: ""'])).toBeNull();
  });

  it("rejects impossible fields", () => {
    expect(() => parseCclkRead(['+CCLK: "24/13/26,14:03:21+04"'])).toThrow(
      expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }),
    );
    expect(() => parseCclkRead(['+CCLK: "garbage"'])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});
