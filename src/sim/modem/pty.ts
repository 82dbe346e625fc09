import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, lstatSync, unlinkSync } from "node:fs";
import { CellgateError, sleep } from "../../core/index.js";

export type PtyBackend = "socat" | "python";

/**
 * A pseudo-terminal whose slave end appears at `link` (a symlink, like /dev/serial/by-id) and
 * whose master end is the stdio of a helper process: socat where installed, else a python3
 * standard-library helper, so nothing has to be installed to run the tests.
 */
export interface PtyPeer {
  readonly backend: PtyBackend;
  readonly link: string;
  write(bytes: Uint8Array): void;
  onData(cb: (bytes: Buffer) => void): void;
  /** The helper ended (closed, or killed by unplug()). */
  onExit(cb: () => void): void;
  close(): Promise<void>;
}

// Relays the pty master to stdin/stdout; removes its symlink on SIGTERM/SIGINT/stdin EOF.
const PYTHON_HELPER = String.raw`
import os, pty, select, signal, sys, tty
link = sys.argv[1]
master, slave = pty.openpty()
tty.setraw(slave)
name = os.ttyname(slave)
try:
    os.unlink(link)
except FileNotFoundError:
    pass
os.symlink(name, link)
def done(*_):
    try:
        if os.readlink(link) == name:
            os.unlink(link)
    except OSError:
        pass
    os._exit(0)
signal.signal(signal.SIGTERM, done)
signal.signal(signal.SIGINT, done)
while True:
    r, _, _ = select.select([master, 0], [], [])
    if master in r:
        try:
            data = os.read(master, 4096)
        except OSError:
            data = b""
        if data:
            os.write(1, data)
    if 0 in r:
        data = os.read(0, 4096)
        if not data:
            done()
        os.write(master, data)
`;

export function availableBackends(): PtyBackend[] {
  const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
  const out: PtyBackend[] = [];
  if (has("socat", ["-V"])) out.push("socat");
  if (has("python3", ["-c", "import pty, tty"])) out.push("python");
  return out;
}

/** The backend to use: CELLGATE_PTY forces one; else socat, else python3. */
export function chooseBackend(prefer?: PtyBackend): PtyBackend {
  const forced = prefer ?? (process.env.CELLGATE_PTY as PtyBackend | undefined);
  const available = availableBackends();
  if (forced !== undefined) {
    if (!available.includes(forced))
      throw new CellgateError("CG_ERR_PTY_UNAVAILABLE", `pty backend ${forced} is not available`, { available });
    return forced;
  }
  const first = available[0];
  if (first === undefined) throw new CellgateError("CG_ERR_PTY_UNAVAILABLE", "no pty helper: install socat, or python3", {});
  return first;
}

export async function openPty(link: string, backend: PtyBackend = chooseBackend()): Promise<PtyPeer> {
  removeStaleLink(link);
  const child =
    backend === "socat"
      ? spawn("socat", ["-b", "4096", "STDIO", `pty,raw,echo=0,link=${link}`], { stdio: ["pipe", "pipe", "ignore"] })
      : spawn("python3", ["-u", "-c", PYTHON_HELPER, link], { stdio: ["pipe", "pipe", "ignore"] });
  let exited = false;
  child.once("exit", () => (exited = true));
  for (let waited = 0; !existsSync(link); waited += 5) {
    if (exited || waited > 5000) {
      child.kill("SIGKILL");
      throw new CellgateError("CG_ERR_PTY_UNAVAILABLE", `${backend} did not create ${link}`, { backend, link });
    }
    await sleep(5);
  }
  return peer(child, backend, link);
}

function peer(child: ChildProcess, backend: PtyBackend, link: string): PtyPeer {
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // The helper's stdin breaks when it is killed mid-write: that is an unplug, not an error.
  child.stdin!.on("error", () => {});
  return {
    backend,
    link,
    write: (bytes) => {
      if (child.exitCode === null && child.stdin!.writable) child.stdin!.write(bytes);
    },
    onData: (cb) => child.stdout!.on("data", cb),
    onExit: (cb) => void exit.then(cb),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exit;
      removeStaleLink(link);
    },
  };
}

/** A symlink left by a helper that was killed hard. */
function removeStaleLink(link: string): void {
  try {
    if (lstatSync(link).isSymbolicLink()) unlinkSync(link);
  } catch {
    // not there
  }
}
