/**
 * Runs a command and measures it the way `/usr/bin/time` would, plus the memory of its whole
 * process tree: `npm run plan` is two processes (the plan and the policy pack it starts), so their
 * resident memory is added up while they run together.
 *
 *   wall      from start to exit
 *   CPU       user + system time of the command and every descendant it waited for, read from the
 *             shell that ran it (/proc/<shell>/stat: cutime + cstime) once the command has exited
 *   memory    the largest sum of the tree's resident sets (VmRSS, sampled every `sampleMs`) and the
 *             largest single process (its VmHWM high-water mark)
 *
 * Linux only: everything comes from /proc.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import { performance } from "perf_hooks";

export interface Measurement {
  exitCode: number | null;
  wallMs: number;
  cpuMs: number;
  /** Largest sum of the resident memory of the command's processes, sampled. */
  peakTreeRssMb: number;
  /** Largest resident memory of any one of its processes (high-water mark). */
  peakProcessRssMb: number;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  sampleMs?: number;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The `stat` fields after the command name (which may contain spaces), 0-based from field 3. */
function statFields(text: string): string[] {
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

/** user + system time of the waited-for children of a process, from its stat line. */
export function childrenCpuMs(statLine: string): number {
  const fields = statFields(statLine);
  // Fields 16 and 17 (cutime, cstime) of proc(5) are at 13 and 14 once the first two are cut.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

/** pid -> parent pid of every process visible in /proc. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(Number(entry), "stat");
    if (stat) map.set(Number(entry), Number(statFields(stat)[1]));
  }
  return map;
}

/** `root` and everything below it. */
export function descendants(root: number, parentOf: Map<number, number> = parents()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** A `Key:   1234 kB` line of /proc/<pid>/status, in kB (0 when absent). */
export function statusKb(status: string, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) : 0;
}

export function assertMeasurable(): void {
  if (process.platform !== "linux" || !fs.existsSync("/proc/self/stat")) {
    throw new Error("npm run bench measures CPU time and memory through /proc, which only Linux has");
  }
}

/** Runs `command args` (through a shell that then reports its children's CPU time) and measures it. */
export function measureCommand(
  command: string,
  args: readonly string[],
  options: MeasureOptions = {},
): Promise<Measurement> {
  assertMeasurable();
  // The shell waits for the command, then prints its own stat line (with the CPU time of the
  // command and of everything the command waited for) on fd 3, and exits with the command's status.
  const script = '"$@"; status=$?; cat /proc/$$/stat >&3; exit $status';
  const started = performance.now();
  const child = spawn("/bin/sh", ["-c", script, "sh", command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let stat = "";
  child.stdout!.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr!.on("data", (chunk) => (stderr += String(chunk)));
  child.stdio[3]!.on("data", (chunk) => (stat += String(chunk)));

  let peakTreeKb = 0;
  const peakByPid = new Map<number, number>();
  const sample = () => {
    let tree = 0;
    for (const pid of descendants(child.pid!)) {
      const status = readProc(pid, "status");
      if (!status) continue;
      tree += statusKb(status, "VmRSS");
      peakByPid.set(pid, Math.max(peakByPid.get(pid) ?? 0, statusKb(status, "VmHWM")));
    }
    peakTreeKb = Math.max(peakTreeKb, tree);
  };
  const sampler = setInterval(sample, options.sampleMs ?? 100);

  return new Promise((resolve, reject) => {
    child.on("error", (error) => {
      clearInterval(sampler);
      reject(error);
    });
    child.on("close", (exitCode) => {
      clearInterval(sampler);
      const wallMs = performance.now() - started;
      if (!stat) {
        reject(new Error(`no CPU time reported for ${command} ${args.join(" ")}: ${stderr.trim()}`));
        return;
      }
      resolve({
        exitCode,
        wallMs,
        cpuMs: childrenCpuMs(stat),
        peakTreeRssMb: Math.round(peakTreeKb / 1024),
        peakProcessRssMb: Math.round(Math.max(0, ...peakByPid.values()) / 1024),
        stdout,
        stderr,
      });
    });
  });
}
