import type { Rule } from "../types.js";

const MB = 1024 * 1024;
/** Below this the next journal or outbox write may not fit (an SMS burst writes a few files each). */
const LOW_FREE_BYTES = 4 * MB;

/**
 * The state directory: SMS are deleted from the modem and Commands run only once something is
 * written there durably, so a full or read-only one stops both (nothing is lost: they wait).
 */
export const stateRule: Rule = ({ state }) => {
  if (state === undefined) return null;
  const free = state.freeBytes === null ? "" : `, ${(state.freeBytes / MB).toFixed(1)} MB free`;
  if (state.failure !== null)
    return {
      id: "state",
      status: "fail",
      detail: `cannot write ${state.failure.path}: ${state.failure.error}${free}`,
      hint: `free space in ${state.dir} or make it writable: SMS stay on the modem and Commands wait until it can be written`,
    };
  if (state.freeBytes !== null && state.freeBytes < LOW_FREE_BYTES)
    return {
      id: "state",
      status: "warn",
      detail: `${state.dir} writable${free}`,
      hint: `free space in ${state.dir}: when it is full, SMS stay on the modem and Commands wait`,
    };
  return { id: "state", status: "pass", detail: `${state.dir} writable${free}` };
};
