// Keeping the data link up: the probe, the data-path ladder (distinct from modem/port's AT-level
// recovery ladder), what explains a failure no step can fix, and the watchdog that runs them.
export {
  linkNext,
  pickStep,
  allowedAt,
  minInterval,
  resumed,
  INITIAL_LINK,
  type LinkStep,
  type LadderPolicy,
  type LadderState,
  type LadderEvent,
  type LadderAction,
  type LinkMode,
  type Hold,
} from "./ladder.js";
export { diagnose, type Diagnosis, type HoldCause, type LinkFacts } from "./diagnosis.js";
export {
  parseProbe,
  describeProbe,
  bridgeProbe,
  tcpProbe,
  dnsProbe,
  type ProbeSpec,
  type ProbeResult,
  type BridgeState,
} from "./probe.js";
export { LadderStore } from "./store.js";
export { LinkWatchdog, type LinkWatchdogOptions, type LinkStatus, type StepOutcome } from "./watchdog.js";
