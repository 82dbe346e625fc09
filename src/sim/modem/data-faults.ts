import { systemClock, type Clock } from "../../core/index.js";
import type { ModemSimulator } from "./simulator.js";

/**
 * The data-path failures of the field (registered, but no data), to switch on in a running
 * simulator: each is fixed by one kind of step only, as the field reports say (see DataFault).
 * The module announces what the real ones announce, and nothing more.
 */
export class DataFaults {
  readonly #clock: Clock;

  constructor(
    private readonly sim: ModemSimulator,
    clock: Clock = systemClock,
  ) {
    this.#clock = clock;
  }

  /**
   * The default bearer drops while registered and attached (+CGACT: 1,0, +CGPADDR 0.0.0.0).
   * `byNetwork`: the network tore it down and says so with +CGEV when +CGEREP asks for it.
   */
  dropContext(o: { byNetwork?: boolean } = {}): void {
    const address = this.sim.world.net.ip;
    this.sim.world.net.dataFault = "context-dropped";
    const cid = this.sim.personality.id === "nordic-nrf9160" ? 0 : 1;
    const p = this.sim.personality;
    const line = p.networkTeardown?.(cid, address) ?? `+CGEV: NW PDN DEACT ${cid}`;
    if (o.byNetwork && this.sim.world.settings.cgerep > 0) this.sim.emitUrc(line);
  }

  /** The context looks fine and keeps its address, but the network forgot it: a radio cycle or a reset brings a new one. */
  staleAddress(): void {
    this.sim.world.net.dataFault = "stale-address";
  }

  /** +CGATT: 1, an address, nothing passes: only a module reset clears it. */
  blackhole(): void {
    this.sim.world.net.dataFault = "blackholed";
  }

  /**
   * A firmware update over the air (Quectel DFOTA): `+QIND: "FOTA","START"`, then the module
   * answers nothing for `quietMs`, then `+QIND: "FOTA","END",0` and it restarts (RDY…).
   */
  firmwareUpdate(quietMs: number): Promise<void> {
    this.sim.emitUrc('+QIND: "FOTA","START"');
    this.sim.hang("all");
    return new Promise((resolve) =>
      this.#clock.setTimeout(() => {
        this.sim.unhang();
        this.sim.emitUrc('+QIND: "FOTA","END",0');
        this.sim.reboot();
        resolve();
      }, quietMs),
    );
  }

  /**
   * The network rejects the SIM with an EMM cause that leaves the USIM invalid until the module
   * is switched off (#3/#6/#7/#8): registration stays denied even once the carrier re-activates
   * it, until a CFUN cycle (LilyGo-Modem-Series#474).
   */
  rejectSim(cause: 3 | 6 | 7 | 8): void {
    this.sim.world.net.simInvalidUntilCfun = true;
    this.sim.setNetwork({ eps: 3, ps: 3, rejectCause: cause });
  }

  /**
   * Stuck searching (field failure 13: an nRF9160 that never finishes its search, a SIM7600 that
   * stays off LTE): +CEREG: 2 and no data while a network that would take the SIM is in range,
   * until the radio is cycled (or the module reset).
   */
  stuckSearching(): void {
    this.sim.world.net.searchingUntilCfun = true;
    this.sim.setNetwork({ eps: 2, ps: 2 });
  }

  /**
   * The network rejected the SIM once with EMM #11 and the module wrote it to EF_FPLMN (TS 24.301
   * §5.5.1.2.5): it never tries that network again, even once it would accept the SIM, until the
   * list is cleared on the SIM and the radio comes back on (field failure 12: multi-IMSI SIMs).
   */
  forbidServingNetwork(): void {
    const w = this.sim.world;
    const plmn = `${w.net.mcc}${w.net.mnc}`;
    w.sim.fplmn = [plmn, ...w.sim.fplmn.filter((p) => p !== plmn)].slice(0, 4);
    this.sim.setNetwork({ forbidden: [...w.sim.fplmn] });
  }

  /** Locked by hand (AT+COPS=1) to a network in range that rejects the SIM (EC25-AF, Quectel forum): kept across resets. */
  lockOperator(plmn: string): void {
    this.sim.world.settings.copsMode = 1;
    this.sim.setNetwork({ selected: plmn });
  }

  /**
   * nRF91 (1.3.x) after repeated ungraceful resets (nWP042): attach blocked for 30 min, said once
   * with `%MDMEV: RESET LOOP` to a host that subscribed with AT%MDMEV=1; no other module says it.
   * Returns whether the line was printed.
   */
  resetLoop(): boolean {
    if (this.sim.world.settings.vendor.mdmev !== 1) return false;
    this.sim.emitUrc("%MDMEV: RESET LOOP");
    return true;
  }
}
