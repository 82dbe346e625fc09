import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, formatLogLine, textLogs } from "../../src/core/index.js";

describe("logger", () => {
  it("redacts secrets wherever they sit", () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger({ stream, level: "info" });
    log.info(
      {
        authToken: "tok-123",
        api: { apiSecret: "sec-456", password: "pw-789" },
        sim: { pin: "1234" },
        headers: { authorization: "Basic abc" },
      },
      "hello",
    );
    const out = lines.join("");
    for (const secret of ["tok-123", "sec-456", "pw-789", "1234", "Basic abc"]) expect(out).not.toContain(secret);
    expect(out).toContain("[redacted]");
  });
});

describe("text log lines (log.format: text, or a terminal)", () => {
  it.each([
    [
      "message first, then the fields; strings quoted only when they must be",
      {
        level: 40,
        time: Date.UTC(2026, 10, 30, 16, 31, 2, 481),
        name: "cellgate",
        mod: "mqtt",
        err: "ECONNREFUSED 127.0.0.1:1883",
        msg: "MQTT disconnected",
      },
      '16:31:02.481 WARN  [mqtt] MQTT disconnected err="ECONNREFUSED 127.0.0.1:1883"\n',
    ],
    [
      "objects as JSON, numbers and booleans bare",
      {
        level: 30,
        time: Date.UTC(2026, 0, 1),
        name: "cellgate",
        msg: "queued",
        topic: "cellgate/gw/events",
        seq: 7,
        ok: true,
        d: { a: 1 },
      },
      '00:00:00.000 INFO  queued topic=cellgate/gw/events seq=7 ok=true d={"a":1}\n',
    ],
    ["a line that is not JSON is passed on", "not json", "not json\n"],
  ])("%s", (_why, input, want) => {
    expect(formatLogLine(typeof input === "string" ? input : JSON.stringify(input))).toBe(want);
  });

  it("the logger writes text lines, redacted, when asked to; auto follows the terminal", () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(formatLogLine(chunk.toString().trimEnd()));
        done();
      },
    });
    createLogger({ stream, level: "info" }).warn({ password: "pw-1", port: "/dev/ttyUSB2" }, "modem port lost");
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}modem port lost password=\[redacted\] port=\/dev\/ttyUSB2\n$/);
    expect([textLogs("text", false), textLogs("json", true), textLogs("auto", true), textLogs("auto", false)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
});
