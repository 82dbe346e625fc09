import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { validTwilioSignature } from "../../src/remote/index.js";
import type { ApiSimulator } from "../../src/sim/api/index.js";
import { startApiSimulator } from "../helpers/api-sim.js";
import { callbackServer } from "../helpers/capture.js";
import { waitFor } from "../helpers/pty-modem.js";

// What the simulator enforces for a fleet, as any HTTP client sees it (raw fetch on loopback).
let sim: ApiSimulator;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function raw(path: string, form?: Record<string, string>) {
  const auth = `Basic ${Buffer.from(`${sim.credentials.accountSid}:${sim.credentials.authToken}`).toString("base64")}`;
  const res = await fetch(`${sim.baseUrl}${path}`, {
    method: form ? "POST" : "GET",
    headers: { authorization: auth, ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe("the simulated account's limits", () => {
  it("refuses requests beyond the account's concurrency with 429 / 20429 and Retry-After, and says how many run", async () => {
    sim = await startApiSimulator({ fleet: 3, concurrency: 2 });
    // Two answers held in flight until all six requests have arrived: the overlap does not depend on the machine's speed.
    const release = sim.holdAnswers();
    const pending = Promise.all(Array.from({ length: 6 }, () => raw("/v1/Sims/gw-00001")));
    await waitFor(() => sim.load.refused === 4 && sim.load.inFlight === 2, 30_000, "four refused, two held");
    release();
    const answers = await pending;
    const refused = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(2);
    expect(refused).toHaveLength(4);
    expect(refused[0]!.body).toMatchObject({ code: 20429, status: 429 });
    expect(refused[0]!.headers.get("retry-after")).toBe("1");
    expect(answers.every((a) => Number(a.headers.get("twilio-concurrent-requests")) >= 1)).toBe(true);
    expect(sim.load).toMatchObject({ refused: 4, inFlight: 0 });
    expect(sim.load.peak).toBeGreaterThanOrEqual(3);
  });

  it("refuses a SIM's Command past its queue of undelivered ones with 33118; the others still go", async () => {
    sim = await startApiSimulator({ fleet: 2, queueLimit: 2, asyncMs: 5, deliveryRetryMs: 20 });
    sim.setMtDelivery((_c, s) => (s.uniqueName === "gw-00001" ? "offline" : "stored"));
    for (let i = 0; i < 2; i++) expect((await raw("/v1/Commands", { Sim: "gw-00001", Command: `status ${i}` })).status).toBe(201);
    await expect.poll(() => sim.store.queuedFor(sim.fleet[0]!.sid)).toBe(2);
    const third = await raw("/v1/Commands", { Sim: "gw-00001", Command: "status 2" });
    expect(third).toMatchObject({ status: 400, body: { code: 33118 } });
    expect((await raw("/v1/Commands", { Sim: "gw-00002", Command: "status" })).status).toBe(201);
    const mine = sim.store.commandsOf(sim.fleet[0]!.sid);
    expect(mine.map((c) => c.status)).toEqual(["queued", "queued"]);
  });

  it("a 5xx after the Command was created: it exists, the answer says 500", async () => {
    sim = await startApiSimulator({ fleet: 1 });
    sim.inject({ status: 500, after: true }, { path: /^\/v1\/Commands$/ });
    expect((await raw("/v1/Commands", { Sim: "gw-00001", Command: "status" })).status).toBe(500);
    expect(sim.store.commandsOf(sim.fleet[0]!.sid)).toHaveLength(1);
  });
});

describe("delivery and receipts", () => {
  it("Programmable Wireless: a device away keeps its Command queued; back within the day, it is sent and delivered", async () => {
    const clock = new ManualClock(Date.parse("2026-11-26T12:00:00Z"));
    sim = await startApiSimulator({ fleet: 1, clock, asyncMs: 10, deliveryRetryMs: 60_000 });
    let online = false;
    sim.setMtDelivery(() => (online ? "stored" : "offline"));
    const { body } = await raw("/v1/Commands", { Sim: "gw-00001", Command: "status" });
    const cmd = sim.store.commands.find((c) => c.sid === body.sid)!;
    clock.advance(3 * 3_600_000);
    expect(cmd.status).toBe("queued");
    online = true;
    clock.advance(60_000); // the next try reaches it; the receipt follows
    expect(cmd.status).toBe("delivered");
    expect(sim.store.queuedFor(cmd.simSid)).toBe(0);
  });

  it("Super SIM: sent after the first try, tried again for 24 h, and left sent when never delivered", async () => {
    const clock = new ManualClock(Date.parse("2026-11-26T12:00:00Z"));
    sim = await startApiSimulator({ product: "super-sim", fleet: 1, clock, asyncMs: 10, deliveryRetryMs: 600_000 });
    let tries = 0;
    sim.setMtDelivery(() => (tries++, "offline"));
    const { body } = await raw("/v1/SmsCommands", { Sim: "gw-00001", Payload: "status" });
    const cmd = sim.store.commands.find((c) => c.sid === body.sid)!;
    clock.advance(10);
    expect(cmd.status).toBe("sent");
    clock.advance(23 * 3_600_000);
    expect(cmd.retryUntil).toBeDefined();
    clock.advance(2 * 3_600_000);
    expect(cmd.status).toBe("sent");
    expect(cmd.retryUntil).toBeUndefined();
    expect(tries).toBe(24 * 6 + 1);
    const list = await raw(`/v1/SmsCommands?Sim=gw-00001&Direction=to_sim`);
    expect(list.body.sms_commands).toMatchObject([{ sid: cmd.sid, status: "sent" }]);
  });
});

describe("MO Commands and signed callbacks", () => {
  it("a gateway's reply is a from_sim Command, POSTed to commands_callback_url with a valid X-Twilio-Signature", async () => {
    sim = await startApiSimulator({ fleet: 2 });
    const hook = await callbackServer();
    closers.push(hook.close);
    await raw("/v1/Sims/gw-00002", { CommandsCallbackUrl: hook.url });
    sim.receiveMo(sim.fleet[1]!.sid, { text: "#k3f9x status ok" });
    const hit = await hook.next();
    expect(Object.fromEntries(hit.params)).toMatchObject({
      SimSid: sim.fleet[1]!.sid,
      SimUniqueName: "gw-00002",
      Command: "#k3f9x status ok",
      Direction: "from_sim",
      Status: "received",
    });
    expect(validTwilioSignature(sim.credentials.authToken, hit.signature, hit.url, [...hit.params])).toBe(true);
    expect(validTwilioSignature("another-token", hit.signature, hit.url, [...hit.params])).toBe(false);
    const list = await raw("/v1/Commands?Direction=from_sim&Sim=gw-00002");
    expect(list.body.commands).toMatchObject([{ command: "#k3f9x status ok", status: "received", direction: "from_sim" }]);
  });

  it("Super SIM: a status change is scheduled (202), then done, and the CallbackUrl hears it, signed", async () => {
    sim = await startApiSimulator({ product: "super-sim", fleet: 1, asyncMs: 20 });
    const hook = await callbackServer();
    closers.push(hook.close);
    const r = await raw("/v1/Sims/gw-00001", { Status: "inactive", CallbackUrl: hook.url });
    expect(r).toMatchObject({ status: 202, body: { status: "scheduled" } });
    const hit = await hook.next();
    expect(Object.fromEntries(hit.params)).toMatchObject({ SimSid: sim.fleet[0]!.sid, Status: "inactive" });
    expect(validTwilioSignature(sim.credentials.authToken, hit.signature, hit.url, [...hit.params])).toBe(true);
    expect((await raw("/v1/Sims/gw-00001")).body.status).toBe("inactive");
  });
});
