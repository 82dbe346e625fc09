import { isRefusal, type AtPort } from "../at/index.js";
import { describeError, isCellgateError, sleep, type Clock, type Logger } from "../core/index.js";
import { parseCfunRead, parseCgsnExec, parseCimiExec, parseIccidReply, parseIdentityText } from "./parsers/index.js";
import { withRetry } from "./retry.js";
import type { ModemIdentity, SimState, VendorName } from "./types.js";
import { chooseProfile, PROFILES, type VendorProfile } from "./vendors/index.js";

export interface InitDeps {
  port: AtPort;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
  vendor?: VendorName | "auto";
  pin?: string;
  simState: () => Promise<SimState>;
}

export interface InitResult {
  identity: ModemIdentity;
  profile: VendorProfile;
  /** The +CSCS character set strings arrive in. */
  charset: string;
}

/**
 * The init sequence (ModemManager's E0, V1, +CMEE=1, then identification). Run after every
 * open and every modem restart: a modem that rebooted comes back with echo on (TinyGSM#608).
 */
export async function initModem(d: InitDeps): Promise<InitResult> {
  const opt = d.signal ? { signal: d.signal } : {};
  const run = (cmd: string) => withRetry(() => d.port.command(cmd, opt), { clock: d.clock, ...opt });
  const tolerate = async (cmd: string) => {
    try {
      await run(cmd);
      return true;
    } catch (err) {
      if (!isCellgateError(err, "CG_ERR_AT_ERROR") && !isCellgateError(err, "CG_ERR_AT_CME")) throw err;
      d.log.info({ cmd, err: describeError(err) }, "init command refused; continuing");
      return false;
    }
  };
  const first = async <T>(cmds: readonly string[], parse: (lines: string[]) => T): Promise<T> => {
    let last: unknown;
    for (const cmd of cmds) {
      try {
        return parse((await run(cmd)).lines);
      } catch (err) {
        if (
          !isCellgateError(err, "CG_ERR_AT_ERROR") &&
          !isCellgateError(err, "CG_ERR_AT_CME") &&
          !isCellgateError(err, "CG_ERR_MODEM_PARSE")
        )
          throw err;
        last = err;
      }
    }
    throw last;
  };

  // Every vendor's URCs are known before identification: a modem that just booted prints
  // +QIND / SMS DONE while AT+CGMI is in flight (openwrt#25285 took one for the vendor name).
  for (const p of Object.values(PROFILES)) d.port.addUrcs(p.urcs);
  for (const cmd of ["ATE0", "ATV1", "AT+CMEE=1"]) await tolerate(cmd);
  let charset = "IRA";
  if (!(await tolerate('AT+CSCS="IRA"'))) {
    charset = await first(["AT+CSCS?"], (l) => /"([^"]+)"/.exec(l.join(""))?.[1] ?? "GSM").catch(() => "GSM");
  }

  const manufacturer = await first(["AT+CGMI", "AT+GMI"], (l) => parseIdentityText(l, "+CGMI"));
  const model = await first(["AT+CGMM", "AT+GMM"], (l) => parseIdentityText(l, "+CGMM"));
  const revision = await first(["AT+CGMR", "AT+GMR"], (l) => parseIdentityText(l, "+CGMR"));
  const { imei, luhnValid } = await first(["AT+CGSN", "AT+GSN"], parseCgsnExec);
  if (!luhnValid) d.log.warn({ imei }, "the IMEI fails its Luhn check");

  const profile = chooseProfile({ manufacturer, model }, d.vendor);
  for (const cmd of profile.initCommands) await tolerate(cmd);
  await radioOn(d, run);

  const sim = await settledSimState(d, opt.signal);
  // Every vendor's own command first, then the standard EF_ICCID read any 27.007 modem has.
  const iccidCommands = [...new Set([...profile.iccidCommands, ICCID_BY_CRSM])];
  const iccid = sim === "absent" ? null : await first(iccidCommands, parseIccidReply).catch(() => null);
  const imsi = sim === "ready" ? await first(["AT+CIMI"], parseCimiExec).catch(() => null) : null;

  // Registration changes as URCs with location (<n>=2), on LTE with the reject cause and the PSM
  // timers where the modem has them (<n>=5, else 4, else 2); a modem without a domain refuses it.
  for (const cmd of ["AT+CREG=2", "AT+CGREG=2"]) await tolerate(cmd);
  for (const n of [5, 4, 2]) if (await tolerate(`AT+CEREG=${n}`)) break;
  // Packet domain events (+CGEV: NW PDN DEACT…, 27.007 §10.1.19): a torn-down context is redialled at once.
  if (!(await tolerate("AT+CGEREP=2,1"))) await tolerate("AT+CGEREP=1");

  const identity: ModemIdentity = { manufacturer, model, revision, imei, iccid, imsi, vendor: profile.name };
  d.log.info({ identity }, "modem identified");
  return { identity, profile, charset };
}

const ICCID_BY_CRSM = "AT+CRSM=176,12258,0,0,10"; // READ BINARY of EF_ICCID (TS 102 221 §13.2)

/**
 * A modem that boots in minimum functionality (+CFUN: 0, the nRF91's default) has its radio
 * off: a gateway agent turns it on. Flight mode (4) is someone's choice and is left alone.
 */
async function radioOn(d: InitDeps, run: (cmd: string) => Promise<{ lines: string[] }>): Promise<void> {
  const fun = await run("AT+CFUN?").then(
    (r) => parseCfunRead(r.lines),
    () => undefined,
  );
  if (fun !== 0) return;
  d.log.warn("the modem is in minimum functionality (+CFUN: 0): turning the radio on");
  await run("AT+CFUN=1").catch((err: unknown) => d.log.error({ err: describeError(err) }, "AT+CFUN=1 refused"));
}

/**
 * +CPIN? until the SIM is past "busy" (right after boot, or right after the radio came on: some
 * modems answer a plain ERROR until the UICC is initialised), entering the PIN if one is configured.
 */
async function settledSimState(d: InitDeps, signal?: AbortSignal): Promise<SimState> {
  const read = async (): Promise<SimState> => {
    try {
      return await d.simState();
    } catch (err) {
      if (isRefusal(err)) return "busy";
      throw err;
    }
  };
  let state = await read();
  for (let i = 0; state === "busy" && i < 5; i++) {
    await sleep(1000 * 2 ** i, d.clock, signal);
    state = await read();
  }
  if (state === "sim-pin" && d.pin !== undefined) {
    if (!/^\d{4,8}$/.test(d.pin)) {
      d.log.error("the configured SIM PIN is not 4 to 8 digits; not sent");
      return state;
    }
    await d.port.command(`AT+CPIN="${d.pin}"`, { sensitive: true, ...(signal ? { signal } : {}) });
    state = await d.simState();
  }
  return state;
}
