import { afterEach, describe, expect, it } from "vitest";
import { createApiClient } from "../../src/api/index.js";
import { ModemBridge } from "../../src/sim/api/index.js";
import { sendMoSms } from "../../src/sms/index.js";
import { startApiSimulator } from "../helpers/api-sim.js";
import { callbackServer } from "../helpers/capture.js";
import { PTY_BACKENDS, startPtyInbox, waitFor } from "../helpers/pty-modem.js";

/** The simulator as any HTTP client sees it: raw fetch over loopback, no cellgate client in between. */
describe("Wireless API simulator over HTTP", () => {
  async function raw(path: string, init: RequestInit & { auth?: string | null } = {}) {
    const sim = current!;
    const auth =
      init.auth === undefined
        ? `Basic ${Buffer.from(`${sim.credentials.accountSid}:${sim.credentials.authToken}`).toString("base64")}`
        : init.auth;
    const res = await fetch(`${sim.baseUrl}${path}`, {
      ...init,
      headers: {
        ...(auth ? { authorization: auth } : {}),
        ...(init.body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === "" ? null : (JSON.parse(text) as Record<string, unknown>) };
  }
  let current: Awaited<ReturnType<typeof startApiSimulator>> | undefined;

  it("answers 401 with Twilio's error body and a Basic challenge, for no or wrong credentials", async () => {
    current = await startApiSimulator();
    for (const auth of [
      null,
      `Basic ${Buffer.from(`${current.credentials.accountSid}:nope`).toString("base64")}`,
      "Bearer made-up",
    ]) {
      const r = await raw("/v1/Sims", { auth });
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toBe('Basic realm="Twilio API"');
      expect(r.body).toEqual({
        code: 20003,
        message: "Authentication Error - invalid username",
        more_info: "https://www.twilio.com/docs/errors/20003",
        status: 401,
      });
    }
  });

  it("pages with PageSize, Page and an opaque PageToken; rejects bad paging parameters", async () => {
    current = await startApiSimulator();
    const first = await raw("/v1/Sims?PageSize=5&Status=active");
    const meta = first.body!.meta as Record<string, string | number | null>;
    expect(meta).toMatchObject({ page: 0, page_size: 5, key: "sims", previous_page_url: null });
    expect(meta.first_page_url).toBe(`${current.baseUrl}/v1/Sims?Status=active&PageSize=5&Page=0`);
    const sizes = [];
    let next: string | null = `${current.baseUrl}/v1/Sims?PageSize=4`;
    while (next !== null) {
      const page = await raw(next.slice(current.baseUrl.length));
      sizes.push((page.body!.sims as unknown[]).length);
      const m = page.body!.meta as { next_page_url: string | null; page: number };
      if (m.next_page_url) expect(new URL(m.next_page_url).searchParams.get("PageToken")).toMatch(/^[A-Za-z0-9_-]+$/);
      next = m.next_page_url;
    }
    expect(sizes).toEqual([4, 4, 4]);
    for (const q of ["PageSize=0", "PageSize=1001", "PageSize=ten", "PageToken=garbage"]) {
      const r = await raw(`/v1/Sims?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body).toMatchObject({ code: 20001, status: 400 });
    }
  });

  it("404s an unknown path or resource, deletes with 204", async () => {
    current = await startApiSimulator();
    expect((await raw("/v1/Nope")).status).toBe(404);
    expect((await raw("/v1/RatePlans/WP00000000000000000000000000000000")).body).toMatchObject({ code: 20404, status: 404 });
    const created = await raw("/v1/Commands", { method: "POST", body: "Sim=gateway-0001&Command=hello" });
    expect(created.status).toBe(201);
    const sid = created.body!.sid as string;
    expect((await raw(`/v1/Commands/${sid}`, { method: "DELETE" })).status).toBe(204);
    expect((await raw(`/v1/Commands/${sid}`)).status).toBe(404);
    expect((await raw("/v1/Sims/gateway-0002", { method: "DELETE" })).status).toBe(204);
    expect((await raw("/v1/Sims/gateway-0002")).status).toBe(404);
  });

  it("accepts API key credentials and a KORE bearer token; refuses a bad client", async () => {
    current = await startApiSimulator();
    const c = current.credentials;
    expect(
      (await raw("/v1/RatePlans", { auth: `Basic ${Buffer.from(`${c.apiKeySid}:${c.apiKeySecret}`).toString("base64")}` }))
        .status,
    ).toBe(200);
    const tok = await fetch(`${current.baseUrl}/api-services/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret }),
    });
    const { access_token: token, expires_in: ttl } = (await tok.json()) as { access_token: string; expires_in: number };
    expect(ttl).toBe(3600);
    expect((await raw("/v1/RatePlans", { auth: `Bearer ${token}` })).status).toBe(200);
    current.revokeTokens();
    expect((await raw("/v1/RatePlans", { auth: `Bearer ${token}` })).status).toBe(401);
    const bad = await fetch(`${current.baseUrl}/api-services/v1/auth/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: c.clientId, client_secret: "x" }),
    });
    expect(bad.status).toBe(401);
  });

  it("Super SIM: Sims, Fleets, UsageRecords and SmsCommands", async () => {
    current = await startApiSimulator({ product: "super-sim" });
    const sims = await raw("/v1/Sims?Iccid=8988307000012345678");
    const [sim] = sims.body!.sims as Array<Record<string, string>>;
    expect(sim).toMatchObject({ status: "active", iccid: "8988307000012345678" });
    expect((await raw(`/v1/Fleets/${sim!.fleet_sid}`)).body).toMatchObject({ unique_name: "gateways", data_limit: 1000 });
    const cmd = await raw("/v1/SmsCommands", { method: "POST", body: `Sim=${sim!.sid}&Payload=status` });
    expect(cmd.status).toBe(201);
    expect(cmd.body).toMatchObject({ payload: "status", direction: "to_sim", status: "queued" });
    expect(((await raw("/v1/SmsCommands")).body!.sms_commands as unknown[]).length).toBe(1);
    expect((await raw("/v1/SmsCommands", { method: "POST", body: `Sim=${sim!.sid}` })).status).toBe(400);
  });

  afterEach(() => {
    current = undefined;
  });
});

const SHORT_CODE = "2936";

// The API simulator and the modem simulator joined by the simulated network, the modem opened
// over a pty with the real serialport binding, its SMS read by the real inbox.
describe.each(PTY_BACKENDS)("the network between the API and the modem (%s)", (backend) => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function world(product: "programmable-wireless" | "super-sim" = "programmable-wireless") {
    const api = await startApiSimulator({ product });
    const { sim, modem, inbox, got } = await startPtyInbox(backend, cleanups, { product });
    const bridge = new ModemBridge(api, sim, { trafficEveryMs: 60_000 });
    cleanups.push(() => bridge.stop());
    await inbox.start();
    const client = createApiClient({
      provider: "twilio",
      product,
      baseUrl: api.baseUrl,
      credentials: { username: api.credentials.accountSid, password: api.credentials.authToken },
    });
    cleanups.push(() => client.close());
    return { api, sim, bridge, modem, got, client, wireless: client.wireless! };
  }

  it("an MT Command arrives at the gateway as an SMS from 2936, its SID where IncludeSid put it, then shows delivered", async () => {
    const { got, wireless } = await world();
    const text = await wireless.createCommand({ sim: "gateway-0001", command: "status", includeSid: "end" });
    const bin = await wireless.createCommand({
      sim: "gateway-0001",
      command: Buffer.from([0xca, 0xfe, 0x00, 0x01]).toString("base64"),
      commandMode: "binary",
    });
    await waitFor(() => got.length === 2, 10_000, "both Commands at the inbox");
    const byText = got.find((g) => g.text !== undefined)!;
    expect(byText).toMatchObject({ kind: "command", sender: SHORT_CODE, text: "status", sid: text.sid });
    const byData = got.find((g) => g.text === undefined)!;
    expect(byData).toMatchObject({ kind: "command", sender: SHORT_CODE, dataBase64: "yv4AAQ==" });
    await expect.poll(async () => (await wireless.fetchCommand(text.sid)).status, { timeout: 5000 }).toBe("delivered");
    // Each Command is marked delivered on its own delivery; the binary one may still be in flight.
    await expect.poll(async () => (await wireless.fetchCommand(bin.sid)).status, { timeout: 5000 }).toBe("delivered");
  });

  it("an MO SMS to 2936 becomes a from_sim Command, POSTed to the SIM's commands_callback_url", async () => {
    const { modem, wireless } = await world();
    const hook = await callbackServer();
    cleanups.push(() => hook.close());
    await wireless.updateSim("gateway-0001", { commandsCallbackUrl: hook.url, commandsCallbackMethod: "POST" });
    await sendMoSms({ text: "reboot done" }, { sender: modem.sms, product: "programmable-wireless" });
    const hit = await hook.next();
    expect(hit.method).toBe("POST");
    expect(hit.params.get("Command")).toBe("reboot done");
    expect(hit.params.get("Direction")).toBe("from_sim");
    const [mo] = await wireless.all(wireless.listCommands({ direction: "from_sim" }));
    expect(mo).toMatchObject({
      sid: hit.params.get("CommandSid"),
      command: "reboot done",
      status: "received",
      direction: "from_sim",
      commandMode: "text",
    });
  });

  it("while the modem is attached a data session is open and usage grows; detaching closes it", async () => {
    const { api, sim, bridge, wireless } = await world();
    const before = (await wireless.all(wireless.simUsageRecords(api.gatewaySim.sid, { granularity: "all" })))[0]!.data.total!;
    bridge.tick();
    bridge.tick();
    const [open] = await wireless.all(wireless.dataSessions(api.gatewaySim.sid));
    expect(open).toMatchObject({
      radioLink: "LTE",
      operatorName: sim.world.net.longName,
      operatorMcc: sim.world.net.mcc,
      end: null,
    });
    const after = (await wireless.all(wireless.simUsageRecords(api.gatewaySim.sid, { granularity: "all" })))[0]!.data.total!;
    expect(after - before).toBe(20_000);
    sim.setNetwork({ eps: 2, attached: false });
    bridge.tick();
    const [closed] = await wireless.all(wireless.dataSessions(api.gatewaySim.sid));
    expect(closed!.sid).toBe(open!.sid);
    expect(closed!.end).not.toBeNull();
  });

  it("Super SIM: an SmsCommand arrives as an SMS from 000 and shows delivered; an MO SMS to 000 is listed as from_sim", async () => {
    const { api, got, modem, client } = await world("super-sim");
    const created = await client.http.request("POST", "/v1/SmsCommands", {
      form: { Sim: api.gatewaySim.sid, Payload: "health" },
    });
    const sid = (created.body as { sid: string }).sid;
    await waitFor(() => got.length === 1, 10_000, "the SmsCommand at the inbox");
    expect(got[0]).toMatchObject({ kind: "command", sender: "000", text: "health" });
    await expect
      .poll(
        async () =>
          (
            (await client.http.request("GET", "/v1/SmsCommands")).body as { sms_commands: Array<{ sid: string; status: string }> }
          ).sms_commands.find((c) => c.sid === sid)?.status,
        { timeout: 5000 },
      )
      .toBe("delivered");
    await sendMoSms({ text: "ok" }, { sender: modem.sms, product: "super-sim" });
    await expect
      .poll(
        async () =>
          (
            (await client.http.request("GET", "/v1/SmsCommands")).body as {
              sms_commands: Array<{ direction: string; payload: string; status: string }>;
            }
          ).sms_commands.find((c) => c.direction === "from_sim"),
        { timeout: 5000 },
      )
      .toMatchObject({ payload: "ok", status: "received" });
  });
});
