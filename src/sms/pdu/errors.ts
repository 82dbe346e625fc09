import { CellgateError } from "../../core/index.js";

/**
 * A decode failure that says what is wrong and where: the field, the octet offset in the
 * PDU as given (SMSC included when it was), and the PDU itself.
 */
export function pduError(field: string, offset: number, reason: string, raw: string): CellgateError<"CG_ERR_PDU_DECODE"> {
  return new CellgateError("CG_ERR_PDU_DECODE", `${field} at octet ${offset}: ${reason}`, { field, offset, raw });
}

export function encodeError(reason: string, detail: Record<string, unknown> = {}): CellgateError<"CG_ERR_PDU_ENCODE"> {
  return new CellgateError("CG_ERR_PDU_ENCODE", reason, detail);
}
