/**
 * Starts a Node.js policy pack the way the Pulumi CLI does (`pulumi preview --policy-pack DIR`):
 * the SDK's run-policy-pack runner, from the pack directory, with "." as the program. The runner
 * registers ts-node with type checking, loads the pack's entry (package.json `main` or index), whose
 * `new PolicyPack(...)` serves the analyzer gRPC protocol and prints its port as the first stdout
 * line. The engine then talks to that port; so do we.
 *
 * A pack of this repository (policies/, test fixtures) starts through compiled-pack.js instead: the
 * same runner, with the pack's TypeScript from the compile cache (tools/compile) rather than
 * type-checked by ts-node on every start, so it is ready in about a second instead of 15 s and more
 * (`npm run typecheck` checks its types). Other packs (`--policy-pack` from elsewhere) start exactly
 * as the CLI starts them.
 *
 * The child process is always ended: by stop(), when starting fails, when this process exits, and
 * (parent-watchdog.js, preloaded into the pack) when this process dies without running exit hooks.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { isProjectFile } from "../compile/cache";
import { PolicyRunnerError } from "./errors";

export const DEFAULT_START_TIMEOUT_MS = 60_000;

/** gRPC messages can be large (whole stacks); the engine raises the same limit. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export interface StartOptions {
  /** How long to wait for the port (when ts-node type-checks the pack first: 15 s and more). */
  startTimeoutMs?: number;
  /** Extra environment for the pack process (merged over this process's environment). */
  env?: Record<string, string | undefined>;
  /**
   * How the pack's TypeScript is loaded: "type-check" as the Pulumi CLI does (ts-node with type
   * checking), "compile-cache" through tools/compile. Default: the compile cache for packs of this
   * repository, type checking for any other.
   */
  typescript?: "type-check" | "compile-cache";
}

/** Checks that `dir` looks like a policy pack (the CLI requires PulumiPolicy.yaml). */
export function assertPolicyPackDir(dir: string): string {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new PolicyRunnerError("not-a-pack", `policy pack directory ${dir} does not exist`);
  }
  if (!fs.existsSync(path.join(abs, "PulumiPolicy.yaml"))) {
    throw new PolicyRunnerError(
      "not-a-pack",
      `${dir} is not a policy pack: it has no PulumiPolicy.yaml (see policies/ for an example)`,
    );
  }
  return abs;
}

/**
 * V8 options of the pack process, balancing its CPU time against its peak memory, which comes in
 * AnalyzeStack (the whole stack decoded, then handed to each stack policy) while the plan is
 * still alive: a young generation of 32 MB instead of 16 lets most of the short-lived objects of a
 * request die young (less CPU), and a full collection once the heap has grown 30% past what
 * survived the last one (instead of up to fourfold) keeps the garbage of one stack policy from
 * piling up under the next: about 150 MB less at the peak of a 1,000-pipeline stack.
 */
export const PACK_NODE_OPTIONS: readonly string[] = ["--max-semi-space-size=32", "--heap-growing-percent=30"];

/**
 * gRPC channels (HTTP/2 connections) to the pack. HTTP/2 lets a sender have only 64 KB unacknowledged
 * per connection, and a connection's acknowledgements are read only when the plan's event loop
 * turns, which during the synthesis is once per batch of pipelines: through one connection, about
 * twenty Analyze requests reached the pack per turn, and it analyzed a twentieth of a 1,000-pipeline
 * stack while that was synthesized. Analyze calls take the channels in turn.
 */
export const PACK_CHANNELS = 8;

/** Preloaded into the pack: it exits when this process is gone, even after a SIGKILL. */
const WATCHDOG = path.join(__dirname, "parent-watchdog.js");

/** Runs a pack of this repository with its TypeScript from the compile cache. */
const COMPILED_PACK = path.join(__dirname, "compiled-pack.js");

function runPolicyPackEntry(): string {
  return path.dirname(require.resolve("@pulumi/pulumi/cmd/run-policy-pack/run.js"));
}

/** The node arguments that start the pack in `directory` (its working directory). */
export function packCommand(directory: string, typescript: StartOptions["typescript"]): string[] {
  const compiled = typescript ? typescript === "compile-cache" : isProjectFile(directory);
  return compiled ? [COMPILED_PACK, "127.0.0.1:0"] : [runPolicyPackEntry(), "127.0.0.1:0", "."];
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous last resort: a pack must never outlive the process that started it.
  process.on("exit", () => {
    for (const child of running)
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
}

export class PolicyPackProcess {
  private readonly stderrLines: string[] = [];
  private stopped = false;
  private nextChannelIndex = 0;

  private constructor(
    readonly directory: string,
    readonly child: ChildProcess,
    readonly port: number,
    private readonly channels: readonly AnalyzerClient[],
    stderrSoFar: string[],
    private readonly onStderrLine: (listener: (line: string) => void) => void,
  ) {
    this.stderrLines.push(...stderrSoFar);
    this.onStderrLine((line) => this.stderrLines.push(line));
  }

  /** Starts the pack in `dir` and connects to it. Throws PolicyRunnerError when it cannot. */
  static async start(dir: string, options: StartOptions = {}): Promise<PolicyPackProcess> {
    const directory = assertPolicyPackDir(dir);
    const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    installExitHook();
    let child: ChildProcess;
    try {
      const command = packCommand(directory, options.typescript);
      child = spawn(process.execPath, [...PACK_NODE_OPTIONS, "-r", WATCHDOG, ...command], {
        cwd: directory,
        env: { ...process.env, ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      throw new PolicyRunnerError(
        "start-failed",
        `cannot start policy pack ${dir}: ${(error as Error).message}`,
      );
    }
    running.add(child);
    child.on("exit", () => running.delete(child));

    const stderrLines: string[] = [];
    const listeners: ((line: string) => void)[] = [(line) => stderrLines.push(line)];
    let pending = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? "";
      for (const line of lines) for (const listener of listeners) listener(line);
    });
    child.stderr!.on("end", () => {
      if (pending) for (const listener of listeners) listener(pending);
      pending = "";
    });

    let port: number;
    try {
      port = await waitForPort(child, dir, timeoutMs, () => stderrLines);
    } catch (error) {
      killChild(child);
      throw error;
    }
    const channels = Array.from(
      { length: PACK_CHANNELS },
      () =>
        new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
          "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
          "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
          // Its own connection, not one shared by every client of the same address and options.
          "grpc.use_local_subchannel_pool": 1,
        }),
    );
    const early = stderrLines.slice();
    listeners.length = 0;
    return new PolicyPackProcess(directory, child, port, channels, early, (listener) =>
      listeners.push(listener),
    );
  }

  /** The pack's first channel: the one every call but Analyze uses. */
  get client(): AnalyzerClient {
    return this.channels[0];
  }

  /** The channels in turn, for Analyze calls. */
  nextChannel(): AnalyzerClient {
    const channel = this.channels[this.nextChannelIndex];
    this.nextChannelIndex = (this.nextChannelIndex + 1) % this.channels.length;
    return channel;
  }

  /** Number of stderr lines so far; pass it to stderrSince() to get the lines of one run. */
  get stderrMark(): number {
    return this.stderrLines.length;
  }

  stderrSince(mark = 0): string[] {
    return this.stderrLines.slice(mark);
  }

  get alive(): boolean {
    return !this.stopped && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until the pack has flushed its stderr (exemption lines arrive asynchronously). */
  async settle(ms = 50): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Closes the connection and ends the process (SIGTERM, then SIGKILL after a grace period). */
  async stop(graceMs = 2000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const channel of this.channels) channel.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => killChild(this.child, "SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

function killChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

function waitForPort(
  child: ChildProcess,
  dir: string,
  timeoutMs: number,
  stderr: () => string[],
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let out = "";
    const tail = () => {
      const lines = stderr().filter((line) => line.trim() !== "");
      return lines.length > 0 ? `:\n  ${lines.slice(-15).join("\n  ")}` : " (no output on stderr)";
    };
    const done = (fn: () => void) => {
      clearTimeout(timer);
      child.stdout!.removeAllListeners("data");
      child.removeListener("exit", onExit);
      child.removeListener("error", onError);
      fn();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      // Let the last stderr chunk arrive before quoting it.
      setImmediate(() =>
        done(() =>
          reject(
            new PolicyRunnerError(
              "start-failed",
              `policy pack ${dir} failed to start (exited with ${code === null ? `signal ${signal}` : `code ${code}`} before printing its port)${tail()}`,
            ),
          ),
        ),
      );
    const onError = (error: Error) =>
      done(() =>
        reject(new PolicyRunnerError("start-failed", `cannot start policy pack ${dir}: ${error.message}`)),
      );
    const timer = setTimeout(
      () =>
        done(() =>
          reject(
            new PolicyRunnerError(
              "start-timeout",
              `policy pack ${dir} did not print its port within ${Math.round(timeoutMs / 100) / 10} s${tail()}`,
            ),
          ),
        ),
      timeoutMs,
    );
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      out += chunk;
      const newline = out.indexOf("\n");
      if (newline < 0) return;
      const first = out.slice(0, newline).trim();
      if (/^\d+$/.test(first) && Number(first) > 0) {
        done(() => resolve(Number(first)));
        // Keep draining stdout so a chatty pack never blocks on a full pipe.
        child.stdout!.resume();
      } else {
        done(() =>
          reject(
            new PolicyRunnerError(
              "start-failed",
              `policy pack ${dir} printed "${first.slice(0, 200)}" where its port was expected${tail()}`,
            ),
          ),
        );
      }
    });
    child.once("exit", onExit);
    child.once("error", onError);
  });
}
