import { describe, expect, it } from "vitest";
import { currentRat, ratFromAct, ratFromText, type AccessTech } from "../../src/modem/index.js";

// The words and <AcT> values are the ones the fact sheets give for each module (docs/modems/).
describe("the radio in service", () => {
  it.each([
    ["LTE CAT-M1", "lte-m"], // SIM7080 +CPSI
    ["LTE NB-IOT", "nb-iot"], // SIM7080 +CPSI
    ["CAT-M", "lte-m"],
    ["eMTC", "lte-m"], // BG95 +QCSQ / +QNWINFO
    ["NBIoT", "nb-iot"],
    ["CAT-NB", "nb-iot"],
    ["LTE-M", "lte-m"], // %XMONITOR as cellgate names it
    ["NB-IoT", "nb-iot"],
    ["FDD LTE", "lte"], // EC25 +QNWINFO
    ["TDD LTE", "lte"],
    ["LTE", "lte"], // SIM7600 +CPSI, +QENG
    ["WCDMA", "umts"],
    ["HSPA+", "umts"],
    ["GSM", "gsm"],
    ["EDGE", "gsm"],
    ["NR5G-SA", "nr"],
  ])("%s is %s", (text, rat) => expect(ratFromText(text)).toBe(rat));

  it("unknown words are unknown", () => expect(ratFromText("NOSERVICE")).toBeUndefined());

  it.each<[AccessTech, string, string]>([
    ["lte", "EC25", "lte"],
    ["lte", "SIMCOM_SIM7600G-H", "lte"],
    ["lte", "LE910C1-NF", "lte"],
    ["lte", "SARA-R410M-02B", "lte-m"], // LTE-M/NB-IoT only: E-UTRAN is Cat-M1
    ["ec-gsm-iot", "SARA-R410M-02B", "lte-m"], // early -02B firmware prints 8 for Cat-M1
    ["ec-gsm-iot", "BG95-M3", "lte-m"], // Quectel BG9x: 8 = eMTC
    ["nb-iot", "BG95-M3", "nb-iot"],
    ["lte", "nRF9160-SICA", "lte-m"],
    ["lte", "SIMCOM_SIM7080G", "lte-m"],
    ["nb-iot", "SIMCOM_SIM7080G", "nb-iot"],
    ["ec-gsm-iot", "EC25", "gsm"], // 27.007's EC-GSM-IoT on a module that is not LTE-M-only
    ["umts", "EC25", "umts"],
    ["nr-5gcn", "RM502Q-AE", "nr"],
  ])("<AcT> %s on %s is %s", (act, model, rat) => expect(ratFromAct(act, model)).toBe(rat));

  it("the vendor's report wins over <AcT>; either alone is enough; neither is unknown", () => {
    const reg = { domain: "eps", stat: 1, state: "home", registered: true, roaming: false, act: "lte" } as const;
    const identity = {
      manufacturer: "Quectel",
      model: "BG95-M3",
      revision: "",
      imei: "",
      iccid: null,
      imsi: null,
      vendor: "quectel",
    } as const;
    expect(currentRat({ cell: { source: "+QCSQ", rat: "NBIoT" }, registration: reg, identity })).toBe("nb-iot");
    expect(currentRat({ registration: reg, identity })).toBe("lte-m");
    expect(currentRat({})).toBeUndefined();
    // +UCGED mode 5 on a SARA-R410M says only "LTE": the module has no LTE but Cat-M1.
    const sara = { ...identity, manufacturer: "u-blox", model: "SARA-R410M-02B", vendor: "ublox" } as const;
    expect(currentRat({ cell: { source: "+UCGED", rat: "LTE" }, registration: reg, identity: sara })).toBe("lte-m");
  });
});
