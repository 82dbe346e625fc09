import { describe, expect, it } from "vitest";
import { CellgateError, isCellgateError, ManualClock } from "../../src/core/index.js";
import { sendMoSms, type SmsSender } from "../../src/sms/index.js";
import { drive } from "../helpers/drive.js";

/** A sender that fails with the given errors first, then answers with a message reference. */
function sender(failures: Error[]): SmsSender & { calls: Array<{ hex: string; tpduLength: number }> } {
  const calls: Array<{ hex: string; tpduLength: number }> = [];
  return {
    calls,
    send: (pdu) => {
      calls.push(pdu);
      const f = failures.shift();
      return f === undefined ? Promise.resolve(42) : Promise.reject(f);
    },
  };
}

const cms = (code: number) => new CellgateError("CG_ERR_AT_CMS", `+CMS ERROR: ${code}`, { errorCode: code });
const timeout = (phase: string) => new CellgateError("CG_ERR_AT_TIMEOUT", "timeout", { phase });

describe("sendMoSms (MO)", () => {
  it("to 2936 for Programmable Wireless, 000 for Super SIM; the result carries the message reference", async () => {
    const s = sender([]);
    const r = await sendMoSms({ text: "status ok" }, { sender: s, product: "programmable-wireless" });
    expect(r).toMatchObject({ mr: 42, to: "2936", encoding: "gsm7", attempts: 1, pdu: "00010004819263000009737A985E9F83DE6B" });
    const ss = await sendMoSms({ data: Uint8Array.from([1, 2]) }, { sender: sender([]), product: "super-sim" });
    expect(ss).toMatchObject({ to: "000", encoding: "8bit" });
  });

  it("too long is refused before anything is written", async () => {
    const s = sender([]);
    await expect(sendMoSms({ text: "x".repeat(161) }, { sender: s, product: "programmable-wireless" })).rejects.toMatchObject({
      code: "CG_ERR_PDU_ENCODE",
    });
    await expect(sendMoSms({ data: new Uint8Array(141) }, { sender: s, product: "programmable-wireless" })).rejects.toMatchObject(
      { code: "CG_ERR_PDU_ENCODE" },
    );
    expect(s.calls).toHaveLength(0);
  });

  it.each([
    ["+CMS ERROR: 513 (lower layer)", cms(513)],
    ["+CMS ERROR: 500", cms(500)],
    ["+CMS ERROR: 331 (no network)", cms(331)],
    ["no prompt in time", timeout("prompt")],
  ])("retries after %s, with backoff", async (_label, err) => {
    const clock = new ManualClock();
    const s = sender([err, err]);
    const r = await drive(
      sendMoSms({ text: "hi" }, { sender: s, product: "programmable-wireless", clock, backoffMs: 1000 }),
      clock,
      100,
    );
    expect(r.attempts).toBe(3);
    expect(s.calls).toHaveLength(3);
    expect(clock.now()).toBeGreaterThanOrEqual(750 + 1500);
  });

  it("does not retry a permanent error (+CMS 304) or a timeout after the PDU was written", async () => {
    const bad = await sendMoSms({ text: "hi" }, { sender: sender([cms(304)]), product: "programmable-wireless" }).catch(
      (e: unknown) => e,
    );
    expect(isCellgateError(bad, "CG_ERR_SMS_SEND") && bad.detail).toMatchObject({ attempts: 1, maybeSent: false });
    const silent = await sendMoSms(
      { text: "hi" },
      { sender: sender([timeout("final")]), product: "programmable-wireless" },
    ).catch((e: unknown) => e);
    expect(isCellgateError(silent, "CG_ERR_SMS_SEND") && silent.detail).toMatchObject({ attempts: 1, maybeSent: true });
    expect((silent as Error).message).toMatch(/may have been sent/);
  });

  it("gives up after the last attempt", async () => {
    const clock = new ManualClock();
    const err = await drive(
      sendMoSms(
        { text: "hi" },
        { sender: sender([cms(513), cms(513), cms(513), cms(513)]), product: "programmable-wireless", clock, attempts: 4 },
      ).catch((e: unknown) => e),
      clock,
      100,
    );
    expect(isCellgateError(err, "CG_ERR_SMS_SEND") && err.detail.attempts).toBe(4);
  });
});
