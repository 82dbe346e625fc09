import { CellgateError, isCellgateError } from "../core/index.js";
import { cmeCodeOf, cmeInfo, cmsCodeOf, cmsInfo, isRetryableText } from "./error-codes.js";
import type { LineKind } from "./line-kind.js";
import type { AtResponse } from "./port.js";

/**
 * What a command's final result code means: its response (OK, CONNECT), or a coded error. A
 * verbose `+CME ERROR: operation not supported` is the same error as `+CME ERROR: 4`, whatever
 * +CMEE the modem is really in. Pure.
 */
export function finalResult(command: string, lines: string[], kind: LineKind, line: string): AtResponse {
  const detail = { command, lines, final: line };
  switch (kind.kind) {
    case "ok":
    case "connect":
      return { command, lines, final: line };
    case "cme":
    case "cms": {
      const cme = kind.kind === "cme";
      const code = kind.code ?? (cme ? cmeCodeOf(kind.text) : cmsCodeOf(kind.text));
      const info = code === undefined ? undefined : cme ? cmeInfo(code) : cmsInfo(code);
      const named = info !== undefined && kind.code !== undefined ? ` (${info.name})` : "";
      throw new CellgateError(cme ? "CG_ERR_AT_CME" : "CG_ERR_AT_CMS", `${command}: ${line.trim()}${named}`, {
        ...detail,
        errorCode: code,
        errorText: info?.name ?? kind.text,
        retryable: info?.retryable ?? isRetryableText(kind.text),
      });
    }
    case "error":
      throw new CellgateError("CG_ERR_AT_ERROR", `${command}: ${line.trim()}`, { ...detail, errorCode: kind.code });
    case "info":
      throw new Error("unreachable: info lines are not final");
  }
}

const PLAIN_ERROR = /^[\x00-\x1f]*(ERROR|COMMAND NOT SUPPORT)\s*$/;
const UNSUPPORTED_CME = new Set([3, 4]);
const UNSUPPORTED_CMS = new Set([302, 303]);

/**
 * The modem does not have (or will not run) this command: plain `ERROR` (or `COMMAND NOT
 * SUPPORT`), +CME ERROR 3/4 ("operation not allowed"/"not supported", numeric or verbose), +CMS
 * ERROR 302/303. One predicate, so every read degrades the same way.
 */
export function isUnsupported(err: unknown): boolean {
  if (isCellgateError(err, "CG_ERR_AT_ERROR")) {
    // A call progress result (NO CARRIER, BUSY…) is an answer, not a missing command.
    const final = err.detail.final;
    return final === undefined || (typeof final === "string" && PLAIN_ERROR.test(final));
  }
  const code = (e: CellgateError): unknown => e.detail.errorCode;
  if (isCellgateError(err, "CG_ERR_AT_CME")) return UNSUPPORTED_CME.has(code(err) as number);
  if (isCellgateError(err, "CG_ERR_AT_CMS")) return UNSUPPORTED_CMS.has(code(err) as number);
  return false;
}

/** Any final result code other than OK: the modem answered, and said no. */
export function isRefusal(err: unknown): boolean {
  return (
    isCellgateError(err, "CG_ERR_AT_ERROR") || isCellgateError(err, "CG_ERR_AT_CME") || isCellgateError(err, "CG_ERR_AT_CMS")
  );
}
