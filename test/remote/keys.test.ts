import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commandKey } from "../../src/commands/index.js";
import { isCellgateError } from "../../src/core/index.js";
import { deriveGatewayKey, gatewayKey, hkdfSha256, iccidForKey, readKeyMap } from "../../src/remote/index.js";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const range = (from: number, to: number) => Buffer.from(Array.from({ length: to - from + 1 }, (_, i) => from + i));

describe("HKDF-SHA256 (RFC 5869 appendix A, test cases 1-3)", () => {
  it.each([
    [
      "basic",
      hex("0b".repeat(22)),
      hex("000102030405060708090a0b0c"),
      hex("f0f1f2f3f4f5f6f7f8f9"),
      42,
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
    ],
    [
      "longer inputs and outputs",
      range(0x00, 0x4f),
      range(0x60, 0xaf),
      range(0xb0, 0xff),
      82,
      "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da32" +
        "75600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
    ],
    [
      "zero-length salt and info",
      hex("0b".repeat(22)),
      Buffer.alloc(0),
      Buffer.alloc(0),
      42,
      "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
    ],
  ])("%s", (_name, ikm, salt, info, length, okm) => {
    expect(hkdfSha256(ikm, salt, info, length).toString("hex")).toBe(okm);
  });
});

describe("a gateway's key from the fleet key and its ICCID", () => {
  const fleet = commandKey("fleet key: 0123456789abcdef0123456789abcdef", "test");

  it("is 64 hex digits, the same for the ICCID however the modem or the API writes it, different per SIM and per fleet", () => {
    const k = deriveGatewayKey(fleet, "8988307000012345678");
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    // The API lists 19 digits; a modem reports 20 (check digit) or 19 + F.
    for (const same of ["89883070000123456785", "8988307000012345678F", '"8988307000012345678"', " 8988307000012345678 "])
      expect(deriveGatewayKey(fleet, same)).toBe(k);
    expect(deriveGatewayKey(fleet, "8988307000012345679")).not.toBe(k);
    expect(deriveGatewayKey(commandKey("another fleet key, also 32 bytes!", "t"), "8988307000012345678")).not.toBe(k);
    expect(iccidForKey("89883070000123456785")).toBe("8988307000012345678");
  });

  it("is the known vector (computed independently with Python's hmac, RFC 5869 written out)", () => {
    // PRK = HMAC(salt="cellgate fleet key v1", fleet); OKM = HMAC(PRK, info + 0x01), info = "cellgate gateway command key\n" + ICCID.
    expect(deriveGatewayKey(fleet, "8988307000012345678")).toBe(VECTOR);
  });

  it("signs with the derived key for a fleet, or the map's key for a SIM by SID, unique name or ICCID", () => {
    const t = { sid: `DE${"a".repeat(32)}`, uniqueName: "gw-1", iccid: "8988307000012345678" };
    expect(gatewayKey({ kind: "fleet", fleetKey: fleet }, t)).toEqual(Buffer.from(VECTOR));
    const dir = mkdtempSync(join(tmpdir(), "cellgate-keys-"));
    dirs.push(dir);
    const file = join(dir, "keys");
    writeFileSync(
      file,
      `# per-gateway keys\ngw-1   key-of-gateway-one-0123456789\n89883070000123456790 key-by-iccid-0123456789abcdef\n\n`,
    );
    const map = readKeyMap(file);
    expect(gatewayKey(map, t).toString()).toBe("key-of-gateway-one-0123456789");
    expect(gatewayKey(map, { sid: "DEx", uniqueName: null, iccid: "8988307000012345679" }).toString()).toBe(
      "key-by-iccid-0123456789abcdef",
    );
    const missing = (() => {
      try {
        return gatewayKey(map, { sid: "DEy", uniqueName: "gw-9", iccid: null });
      } catch (e) {
        return e;
      }
    })();
    expect(isCellgateError(missing, "CG_ERR_COMMAND_KEY") && missing.message).toMatch(/no key for SIM gw-9 in .*keys/);
    writeFileSync(file, "just-one-field\n");
    expect(() => readKeyMap(file)).toThrow(/keys:1: expected "NAME KEY"/);
  });
});

const VECTOR = "1e1cc5466b0f66e0896675eb7f7c8517917c8205916654ff0950f806b0fb6fad";
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
