import { afterEach, describe, expect, it } from "vitest";
import { basicAuth } from "../../src/api/index.js";
import { CallbackServer, httpFeed, pullLever, twilioSignature, type CallbackEvent } from "../../src/remote/index.js";
import { fleetWorld } from "./world.js";

// `remote serve` as Twilio and a run see it, over loopback: signed callbacks in, the feed out.
const servers: CallbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(authToken: string, feedAuth: string) {
  const refused: string[] = [];
  const seen: CallbackEvent[] = [];
  const s = await CallbackServer.start({
    host: "127.0.0.1",
    port: 0,
    authToken,
    feedAuthorizations: [feedAuth],
    onRefused: (why, path) => refused.push(`${path}: ${why}`),
    onEvent: (e) => seen.push(e),
  });
  servers.push(s);
  return { s, refused, seen };
}

const post = (url: string, params: Record<string, string>, signature?: string) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(signature ? { "x-twilio-signature": signature } : {}) },
    body: new URLSearchParams(params).toString(),
  });

describe("remote serve", () => {
  const TOKEN = "0123456789abcdef0123456789abcdef";
  const FEED = "Basic " + Buffer.from("SKx:secret").toString("base64");
  const reply = {
    AccountSid: "ACx",
    SimSid: `DE${"a".repeat(32)}`,
    Command: "#abcde status ok",
    Direction: "from_sim",
    Status: "received",
  };

  it("takes a callback with a valid signature; refuses one without, or forged, and keeps nothing of them", async () => {
    const { s, refused, seen } = await serve(TOKEN, FEED);
    const url = `${s.publicUrl}/callbacks/mo`;
    expect((await post(url, reply, twilioSignature(TOKEN, url, Object.entries(reply)))).status).toBe(204);
    expect((await post(url, reply)).status).toBe(403);
    expect((await post(url, reply, twilioSignature("another account's token!", url, Object.entries(reply)))).status).toBe(403);
    const altered = { ...reply, Command: "#abcde status degraded" };
    expect((await post(url, altered, twilioSignature(TOKEN, url, Object.entries(reply)))).status).toBe(403);
    expect(refused).toEqual([
      "/callbacks/mo: no X-Twilio-Signature",
      "/callbacks/mo: a forged X-Twilio-Signature",
      "/callbacks/mo: a forged X-Twilio-Signature",
    ]);
    expect(seen).toMatchObject([{ seq: 1, kind: "reply", sim: reply.SimSid, text: "#abcde status ok" }]);
  });

  it("the feed is for the account's credentials only, and waits for the next event", async () => {
    const { s } = await serve(TOKEN, FEED);
    expect((await fetch(`${s.localUrl}/feed`)).status).toBe(401);
    expect(
      (await fetch(`${s.localUrl}/feed`, { headers: { authorization: "Basic " + Buffer.from("SKx:wrong").toString("base64") } }))
        .status,
    ).toBe(401);
    const feed = httpFeed(s.localUrl, FEED);
    expect(await feed.publicUrl()).toBe(s.publicUrl);
    const waiting = feed.next(0, 10_000);
    const url = `${s.publicUrl}/callbacks/command`;
    const status = { CommandSid: `DC${"b".repeat(32)}`, SimSid: reply.SimSid, CommandStatus: "delivered", Status: "delivered" };
    await post(url, status, twilioSignature(TOKEN, url, Object.entries(status)));
    expect(await waiting).toEqual({
      events: [expect.objectContaining({ seq: 1, kind: "command-status", status: "delivered", commandSid: status.CommandSid })],
      last: 1,
    });
  });
});

describe("replies and changes by callback, from the simulator through remote serve", () => {
  it("a run with --via takes its replies from the feed; the simulator's callbacks are signed and accepted", async () => {
    const w = await fleetWorld();
    const auth = await basicAuth(w.api.credentials.apiKeySid, w.api.credentials.apiKeySecret).header();
    const { s, refused } = await serve(w.api.credentials.authToken, auth);
    for (const sim of ["gw-00001", "gw-00002"])
      await w.fleetApi.updateSim((await w.fleetApi.findSim(sim)).sid, { commandsCallbackUrl: `${s.publicUrl}/callbacks/mo` });
    const polls = () => w.api.requests.filter((r) => r === "GET /v1/Commands").length;
    const { rows } = await w.ask(["gw-00001", "gw-00002"], "status", { feed: httpFeed(s.localUrl, auth), pollMs: 60_000 });
    expect(rows.map((r) => r.state)).toEqual(["answered", "answered"]);
    expect(polls()).toBe(0); // every reply came by callback
    expect(refused).toEqual([]);
  });

  it("a status change and a Reset Connectivity: 202, then followed to their outcome by polling, or by the callback", async () => {
    const w = await fleetWorld({ sim: { asyncMs: 300 } });
    const responses: number[] = [];
    w.api.onResponse((r) => r.operationId === "UpdateSim" && responses.push(r.status));
    const target = await w.fleetApi.findSim("gw-00003");
    const polled = await pullLever({
      api: w.fleetApi,
      target,
      change: { status: "suspended" },
      wait: true,
      timeoutMs: 10_000,
      pollMs: 50,
    });
    expect(polled).toMatchObject({
      before: { status: "active" },
      accepted: { status: "updating" },
      after: { status: "suspended" },
      done: true,
    });
    const auth = await basicAuth(w.api.credentials.apiKeySid, w.api.credentials.apiKeySecret).header();
    const { s, seen } = await serve(w.api.credentials.authToken, auth);
    const reads = () => w.api.requests.filter((r) => r === `GET /v1/Sims/${target.sid}`).length;
    const before = reads();
    const called = await pullLever({
      api: w.fleetApi,
      target,
      change: { resetConnectivity: true },
      wait: true,
      timeoutMs: 10_000,
      pollMs: 60_000,
      feed: httpFeed(s.localUrl, auth),
    });
    expect(called).toMatchObject({ accepted: { resetStatus: "resetting" }, after: { resetStatus: null }, done: true });
    expect(seen).toMatchObject([{ kind: "sim-status", sim: target.sid }]);
    expect(reads() - before).toBe(3); // before, right after the change, and once the callback came
    expect(responses).toEqual([202, 202]);
  });

  it("a wait that runs out says so", async () => {
    const w = await fleetWorld({ sim: { asyncMs: 5000 } });
    const target = await w.fleetApi.findSim("gw-00004");
    const r = await pullLever({
      api: w.fleetApi,
      target,
      change: { status: "suspended" },
      wait: true,
      timeoutMs: 300,
      pollMs: 50,
    });
    expect(r).toMatchObject({ after: { status: "updating" }, done: false });
  });
});
