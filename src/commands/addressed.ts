import { splitSignature } from "./signature.js";
import { isVerb, parseCommand } from "./verbs/names.js";

/**
 * Whether a text is addressed to cellgate: in its signed format (or an attempt at it), or starting
 * with one of its verbs. Anything else that comes from 2936 / 000 is a local application's own
 * Command (`setpoint 21`): cellgate's to deliver on MQTT, not to judge or answer.
 */
export function addressedToCellgate(text: string): boolean {
  return splitSignature(text).kind !== "unsigned" || isVerb(parseCommand(text).verb);
}
