import diagnostics from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import { createLinkPair, maskSecrets, traceLink, type IoTrace } from "../../src/at/index.js";

describe("traceLink", () => {
  it("publishes both directions on cellgate:at:io, with PINs masked", async () => {
    const [a, b] = createLinkPair();
    const traced = traceLink(a);
    const seen: IoTrace[] = [];
    const onMessage = (m: unknown) => seen.push(m as IoTrace);
    diagnostics.subscribe("cellgate:at:io", onMessage);
    traced.onData(() => {});
    await traced.write(Buffer.from('AT+CPIN="1234"\r'));
    await b.write(Buffer.from("\r\nOK\r\n"));
    await new Promise((r) => setImmediate(r));
    diagnostics.unsubscribe("cellgate:at:io", onMessage);
    const text = seen.map((s) => `${s.dir}:${Buffer.from(s.hex, "hex").toString("latin1")}`);
    expect(text).toEqual(["tx:AT+CPIN=<redacted>\r", "rx:\r\nOK\r\n"]);
  });

  it.each([
    ['AT+CPIN="1234"\r', "AT+CPIN=<redacted>\r"],
    ['AT+CLCK="SC",0,"0000"\r', "AT+CLCK=<redacted>\r"],
    ['AT+CPWD="SC","1111","2222"\r', "AT+CPWD=<redacted>\r"],
    ["AT+CSQ\r", "AT+CSQ\r"],
  ])("masks %j", (input, want) => {
    expect(maskSecrets(Buffer.from(input, "latin1")).toString("latin1")).toBe(want);
  });
});
