import { CellgateError, describeError } from "../core/index.js";
import type { ModemSms, StoredSms } from "../modem/index.js";
import { decodePdu, pduFields } from "../sms/pdu/index.js";
import type { StoredMessage } from "../runtime/index.js";
import type { Inbox } from "../sms/index.js";

const STAT = ["unread", "read", "unsent", "sent"] as const;

/** A stored SMS with its decoded fields. Pure. */
export function storedMessage(s: StoredSms, memory: string, handedOff: boolean | null): StoredMessage {
  const status: StoredMessage["status"] = s.stat === null ? "unknown" : (STAT[s.stat] ?? "unknown");
  const base = {
    index: s.index,
    memory,
    status,
    pdu: s.pdu,
    handedOff,
  };
  try {
    return { ...base, fields: pduFields(decodePdu(s.pdu)) };
  } catch (err) {
    return { ...base, error: describeError(err) };
  }
}

/**
 * `cellgate sms list|read|delete` and the MQTT `sms/…` requests: the modem's SMS storage as
 * mmcli's `--messaging-list-sms` or gammu's `getallsms` shows it. A delete never loses a
 * message cellgate has not handed off, unless the caller insists (`force`).
 */
export function smsAdmin(d: { sms: () => ModemSms; inbox: () => Inbox | undefined }) {
  const owned = (pdu: string) => d.inbox()?.isHandedOff(pdu) ?? null;
  const memories = (memory: string | undefined) =>
    memory ? [memory] : d.sms().memories.length ? [...d.sms().memories] : [undefined];
  const read = async (index: number, memory: string | undefined): Promise<StoredMessage> => {
    const s = await d.sms().read(index, memory);
    const mem = memory ?? d.sms().memories[0] ?? "default";
    if (s === undefined)
      throw new CellgateError("CG_ERR_CONTROL_REQUEST", `no message at index ${index} in ${mem}`, { index, memory: mem });
    return storedMessage(s, mem, owned(s.pdu));
  };
  return {
    list: async ({ memory }: { memory?: string | undefined }): Promise<{ messages: StoredMessage[] }> => {
      const messages: StoredMessage[] = [];
      for (const mem of memories(memory))
        for (const s of await d.sms().list(mem)) messages.push(storedMessage(s, mem ?? "default", owned(s.pdu)));
      return { messages };
    },
    read: ({ index, memory }: { index: number; memory?: string | undefined }) => read(index, memory),
    delete: async (p: { index: number; memory?: string | undefined; force?: boolean | undefined }) => {
      const m = await read(p.index, p.memory);
      if (m.handedOff !== true && p.force !== true)
        throw new CellgateError(
          "CG_ERR_CONTROL_REQUEST",
          `message ${p.index} in ${m.memory} has not been handed off by cellgate yet: deleting it would lose it (force to insist)`,
          { index: p.index, memory: m.memory, reason: "not-handed-off" },
        );
      await d.sms().delete(p.index, p.memory);
      return { deleted: { index: m.index, memory: m.memory }, wasHandedOff: m.handedOff };
    },
  };
}

export type SmsAdmin = ReturnType<typeof smsAdmin>;
