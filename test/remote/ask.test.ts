import { describe, expect, it } from "vitest";
import { created, fleetWorld } from "./world.js";

// The operator's side over real HTTP on loopback: the API simulator with a fleet of simulated
// gateways (each the real Command processor), the real client, the asker.
describe("asking gateways", () => {
  it("one SIM: signed with its derived key and a request id, created once, the reply matched by that id", async () => {
    const w = await fleetWorld();
    const { rows, apiFailed } = await w.ask(["gw-00001"], "status");
    expect(apiFailed).toBe(false);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r).toMatchObject({ name: "gw-00001", state: "answered", correlated: true, late: [] });
    expect(r.reply).toMatch(/^status ok reg=roaming rat=lte rsrp=-\d+ /);
    expect(r.rid).toMatch(/^[0-9a-z]{5}$/);
    const sent = w.api.store.commandsOf(r.sim).filter((c) => c.direction === "to_sim");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.command).toMatch(new RegExp(`^status #[0-9a-z]{6}\\.${r.rid}\\.[\\w-]{22}$`));
    expect(sent[0]!.includeSid).toBe("end");
  });

  it("several in flight to one SIM: each reply goes to its own request", async () => {
    const w = await fleetWorld({ fleet: { kinds: { "gw-00002": "slow" }, slowMs: 300 } });
    const [a, b, c] = await Promise.all([
      w.ask(["gw-00002"], "signal"),
      w.ask(["gw-00002"], "net"),
      w.ask(["gw-00002"], "version"),
    ]);
    expect(a.rows[0]).toMatchObject({ state: "answered", correlated: true });
    expect(a.rows[0]!.reply).toMatch(/^signal /);
    expect(b.rows[0]!.reply).toMatch(/^net /);
    expect(c.rows[0]!.reply).toMatch(/^version cellgate=/);
    expect(created(w.api, a.rows[0]!.sim)).toBe(3);
  });

  it("the same verb twice to one SIM in one run: matched by id, not by verb", async () => {
    const w = await fleetWorld({ fleet: { kinds: { "gw-00003": "slow" }, slowMs: 200 } });
    const { rows } = await w.ask(["gw-00003", "gw-00003"], "status");
    expect(rows.map((r) => r.state)).toEqual(["answered", "answered"]);
    expect(new Set(rows.map((r) => r.rid)).size).toBe(2);
    expect(rows.every((r) => r.correlated)).toBe(true);
  });

  it("a 5xx after the Command was created: looked up, found, not created again", async () => {
    const w = await fleetWorld();
    w.api.inject({ status: 500, after: true }, { path: /^\/v1\/Commands$/ });
    const { rows } = await w.ask(["gw-00001"], "status");
    expect(rows[0]!.state).toBe("answered");
    expect(created(w.api, rows[0]!.sim)).toBe(1);
    expect(w.api.requests.filter((r) => r === "POST /v1/Commands")).toHaveLength(1);
  });

  it("a reset before the create arrived: looked up, not there, created (once)", async () => {
    const w = await fleetWorld();
    w.api.inject({ reset: true }, { path: /^\/v1\/Commands$/ });
    const { rows } = await w.ask(["gw-00001"], "status");
    expect(rows[0]!.state).toBe("answered");
    expect(created(w.api, rows[0]!.sim)).toBe(1);
    expect(w.api.requests.filter((r) => r === "POST /v1/Commands")).toHaveLength(2);
  });

  it("a gateway with another key NAKs (bad-tag), one away for good is reported without an answer", async () => {
    const w = await fleetWorld({ fleet: { kinds: { "gw-00004": "nak", "gw-00005": "never" } } });
    const { rows } = await w.ask(["gw-00001", "gw-00004", "gw-00005"], "health", { timeoutMs: 1500 });
    expect(rows.map((r) => [r.name, r.state])).toEqual([
      ["gw-00001", "answered"],
      ["gw-00004", "nak"],
      ["gw-00005", "no-answer"],
    ]);
    expect(rows[1]!.reply).toBe("NAK health bad-tag");
    expect(rows[2]!.detail).toMatch(/no answer within 2 s|no answer within 1 s/);
  });

  it("33118 (too many queued for the SIM) is that SIM's failure, not retried; the others are asked", async () => {
    const w = await fleetWorld({ sim: { queueLimit: 1 }, fleet: { kinds: { "gw-00005": "never" } } });
    const first = await w.ask(["gw-00005"], "status", { timeoutMs: 300 });
    expect(first.rows[0]!.state).toBe("no-answer");
    const { rows } = await w.ask(["gw-00005", "gw-00001"], "status");
    expect(rows[0]).toMatchObject({ state: "failed", detail: expect.stringMatching(/^33118 /) as string });
    expect(rows[1]!.state).toBe("answered");
    expect(w.api.requests.filter((r) => r === "POST /v1/Commands")).toHaveLength(3);
  });

  it("a late reply to an earlier request is shown as late, never as this request's answer", async () => {
    const w = await fleetWorld({ fleet: { kinds: { "gw-00002": "offline" }, offlineMs: 1500 } });
    const early = await w.ask(["gw-00002"], "signal", { timeoutMs: 300 });
    expect(early.rows[0]!.state).toBe("no-answer");
    // The gateway comes back: the network delivers both; the first reply answers the earlier request.
    const { rows } = await w.ask(["gw-00002"], "net", { timeoutMs: 15_000 });
    expect(rows[0]!.state).toBe("answered");
    expect(rows[0]!.reply).toMatch(/^net /);
    expect(rows[0]!.late.some((l) => l.includes(`#${early.rows[0]!.rid} signal `))).toBe(true);
  });

  it("read and act windows: a gateway reached 2 h late answers a status and refuses a modem-reset", async () => {
    const w = await fleetWorld({ fleet: { kinds: { "gw-00003": "late" }, lateMs: 2 * 3_600_000 } });
    const read = await w.ask(["gw-00003"], "status");
    const act = await w.ask(["gw-00003", "gw-00001"], "modem-reset");
    expect(read.rows[0]!.state).toBe("answered");
    expect(act.rows[0]).toMatchObject({ state: "nak", reply: "NAK modem-reset expired" });
    expect(act.rows[1]!.reply).toMatch(/^modem-reset ok /);
  });

  it("Super SIM: SmsCommands created and read (Direction=from_sim), the replies from 000 matched the same way", async () => {
    const w = await fleetWorld({ sim: { product: "super-sim" }, fleet: { kinds: { "gw-00002": "nak" } } });
    const { rows } = await w.ask(["gw-00001", "gw-00002"], "net");
    expect(rows.map((r) => r.state)).toEqual(["answered", "nak"]);
    expect(rows[0]!.reply).toMatch(/^net reg=roaming .* apn=super$/);
    expect(rows[0]!.commandSid).toMatch(/^HC/);
    expect(w.api.requests).toContain("GET /v1/SmsCommands");
  });
});
