/**
 * A Pi-shaped CPU: a quarter of one core for a process and its children, by whatever this machine
 * allows, tried in order:
 *  1. systemd-run --scope -p CPUQuota=25% (needs systemd as PID 1: not in most containers);
 *  2. a cgroup v2 child with cpu.max "25000 100000" (needs the cpu controller delegated to it);
 *  3. a cgroup v1 child of the cpu controller with cpu.cfs_quota_us 25000 per 100000 µs
 *     (a Firecracker VM or an older host that mounts the v1 hierarchy writable, as root).
 * The process is started in it (`echo $$ > cgroup.procs; exec …`), so the quota holds from its
 * first instruction; every contender and its baseline get the same wrapper.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Quota {
  /** How the quota is applied, for the table. */
  how: string;
  /** The command line that runs `argv` under the quota. */
  wrap(argv: string[]): string[];
  remove(): void;
}

const PERIOD_US = 100_000;
const QUOTA_US = 25_000;

function inGroup(procs: string, how: string, dir: string): Quota {
  return {
    how,
    wrap: (argv) => ["/bin/sh", "-c", `echo $$ > ${procs} && exec "$@"`, "sh", ...argv],
    remove: () => {
      try {
        rmdirSync(dir); // empty once its processes exited
      } catch {
        // a process still in it: the directory goes when the machine restarts
      }
    },
  };
}

function systemdScope(): Quota | undefined {
  if (!existsSync("/run/systemd/system")) return undefined; // systemd is not PID 1
  const probe = spawnSync("systemd-run", ["--scope", "-q", "-p", "CPUQuota=25%", "true"]);
  if (probe.status !== 0) return undefined;
  return {
    how: "systemd-run --scope -p CPUQuota=25%",
    wrap: (argv) => ["systemd-run", "--scope", "-q", "-p", "CPUQuota=25%", ...argv],
    remove: () => {},
  };
}

function cgroupV2(): Quota | undefined {
  const root = "/sys/fs/cgroup";
  if (!existsSync(join(root, "cgroup.controllers"))) return undefined;
  if (!readFileSync(join(root, "cgroup.subtree_control"), "utf8").split(/\s+/).includes("cpu")) return undefined;
  const dir = join(root, `cellgate-bench-${process.pid}`);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, "cpu.max"), `${QUOTA_US} ${PERIOD_US}`);
  } catch {
    return undefined;
  }
  return inGroup(join(dir, "cgroup.procs"), `cgroup v2 cpu.max "${QUOTA_US} ${PERIOD_US}"`, dir);
}

function cgroupV1(): Quota | undefined {
  const root = "/sys/fs/cgroup/cpu";
  if (!existsSync(join(root, "cpu.cfs_quota_us"))) return undefined;
  const dir = join(root, `cellgate-bench-${process.pid}`);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, "cpu.cfs_period_us"), String(PERIOD_US));
    writeFileSync(join(dir, "cpu.cfs_quota_us"), String(QUOTA_US));
  } catch {
    return undefined;
  }
  return inGroup(join(dir, "cgroup.procs"), `cgroup v1 cpu.cfs_quota_us ${QUOTA_US} per ${PERIOD_US} µs`, dir);
}

/** The first way this machine allows, or undefined (then the Pi-shaped rows are left out, and the run says why). */
export function cpuQuota(): Quota | undefined {
  return systemdScope() ?? cgroupV2() ?? cgroupV1();
}
