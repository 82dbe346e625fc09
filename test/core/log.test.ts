import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/index.js";

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
