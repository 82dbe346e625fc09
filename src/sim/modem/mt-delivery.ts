import type { Clock } from "../../core/index.js";
import type { Ctx } from "./at-handlers/types.js";
import { tpduLength } from "./at-handlers/sms.js";
import type { Memory, StoredMessage } from "./sms-store.js";

export type Delivered = { memory: Memory; index: number } | "routed" | "held";

/**
 * The network's side of mobile-terminated SMS (27.005 §3.4.1): each message is stored with a
 * +CMTI, or routed to the host as +CMT, as +CNMI says. A routed message the module must have
 * acknowledged (+CNMA) waits for it; the network sends nothing else meanwhile, and when the
 * acknowledgement does not come in time it keeps the message to deliver again later, while the
 * module turns routing off. Messages the module cannot take (storage full, routing off) are held
 * by the network and offered again when that changes.
 */
export class MtDelivery {
  readonly #held: Array<Omit<StoredMessage, "stat">> = [];
  #pending: { msg: Omit<StoredMessage, "stat">; timer: ReturnType<Clock["setTimeout"]> } | undefined;

  constructor(
    private readonly ctx: () => Ctx,
    private readonly clock: Clock,
  ) {}

  /** Messages the network holds (storage full, routing off, an acknowledgement missed or awaited). */
  get held(): number {
    return this.#held.length + (this.#pending ? 1 : 0);
  }

  /** A +CMT the module is waiting to have acknowledged. */
  get awaitingAck(): boolean {
    return this.#pending !== undefined;
  }

  deliver(msg: Omit<StoredMessage, "stat">): Delivered {
    const ctx = this.ctx();
    const [, mt] = ctx.world.settings.cnmi;
    if (mt === 2 || mt === 3) return this.#route(ctx, msg);
    const memory = ctx.mems[2];
    const index = ctx.store.add(memory, { ...msg, stat: 0 });
    if (index === undefined) {
      this.#held.push(msg);
      const full = ctx.p.sms.fullUrc?.(memory);
      if (full !== undefined) ctx.urc(full);
      return "held";
    }
    if (mt === 1) ctx.urc(`+CMTI: "${memory}",${index}`);
    return { memory, index };
  }

  /** +CNMA: true when a +CMT was waiting for it. A negative one (RP-ERROR) leaves the message with the network. */
  acknowledge(positive: boolean): boolean {
    const p = this.#pending;
    if (p === undefined) return false;
    this.clock.clearTimeout(p.timer);
    this.#pending = undefined;
    if (!positive) this.#held.push(p.msg);
    this.#offer();
    return true;
  }

  /** Storage was freed or routing turned on again: the network offers what it held. */
  offerHeld(): void {
    this.#offer();
  }

  /** A modem restart drops an unacknowledged +CMT back to the network. */
  reset(): void {
    if (this.#pending) {
      this.clock.clearTimeout(this.#pending.timer);
      this.#held.unshift(this.#pending.msg);
      this.#pending = undefined;
    }
  }

  #route(ctx: Ctx, msg: Omit<StoredMessage, "stat">): Delivered {
    if (this.#pending !== undefined) {
      this.#held.push(msg); // one at a time: the next waits for the acknowledgement
      return "held";
    }
    ctx.urc(ctx.p.sms.cmtHeader(tpduLength(msg.pdu), msg.originator ?? ""), msg.pdu);
    const needsAck = ctx.p.sms.ack === "always" || (ctx.p.sms.ack === "csms1" && ctx.world.settings.csms === 1);
    if (needsAck) {
      const timer = this.clock.setTimeout(() => this.#ackTimedOut(), ctx.p.sms.ackTimeoutMs);
      this.#pending = { msg, timer };
    }
    return "routed";
  }

  #ackTimedOut(): void {
    const p = this.#pending;
    if (p === undefined) return;
    this.#pending = undefined;
    this.#held.unshift(p.msg); // RP-ERROR to the network: it will deliver the message again later
    const ctx = this.ctx();
    const cnmi = ctx.world.settings.cnmi;
    ctx.world.settings.cnmi = [cnmi[0], 0, cnmi[2], 0, cnmi[4]];
    for (const u of ctx.p.sms.ackTimeoutUrcs) ctx.urc(u);
  }

  #offer(): void {
    const held = this.#held.splice(0);
    for (const [i, m] of held.entries()) {
      if (this.deliver(m) === "held") {
        // Still nowhere to put it: keep the order for the next offer.
        this.#held.push(...held.slice(i + 1));
        return;
      }
    }
  }
}
