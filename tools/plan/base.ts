/**
 * `--base REF`: plans the same stack at a git ref. The ref is checked out into a temporary git
 * worktree (`git worktree add --detach`), the repository's node_modules linked into it (same
 * packages, no install), and ./base-child.ts runs that checkout's own plan (and policy pack) in a
 * child process and writes its snapshot. The worktree is removed afterwards, also on failure.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PlanSnapshot } from "./change";

/** Error for the CLI to report without a stack trace (exit code 2). */
export class BaseRefError extends Error {}

function git(root: string, args: string[]): string {
  try {
    return execFileSync("git", args, {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new BaseRefError(`git ${args.join(" ")} failed: ${stderr || (error as Error).message}`);
  }
}

/** The commit `ref` names in the repository at `root`; a clear error when it names none. */
export function resolveRef(root: string, ref: string): string {
  try {
    return execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    throw new BaseRefError(
      `--base ${ref}: not a commit in ${root} (try a branch, tag or commit, e.g. origin/main)`,
    );
  }
}

export interface BaseOptions {
  /** The repository (its working tree root). */
  root: string;
  ref: string;
  stack: string;
  policies: boolean;
  /** How long the child may take, in milliseconds. */
  timeoutMs?: number;
}

function runChild(script: string, args: string[], cwd: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", require.resolve("ts-node/register/transpile-only"), script, ...args],
      {
        cwd,
        env: {
          ...process.env,
          TS_NODE_PROJECT: path.join(cwd, "tsconfig.json"),
          TS_NODE_TRANSPILE_ONLY: "true",
        },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (data) => (stderr = (stderr + String(data)).slice(-4000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      if (status === 0) resolve();
      else
        reject(
          new BaseRefError(`the plan at the base failed (${signal ?? `exit ${status}`}): ${stderr.trim()}`),
        );
    });
  });
}

/** The snapshot of `stack` planned at `ref`. */
export async function planAtBase(options: BaseOptions): Promise<PlanSnapshot> {
  const commit = resolveRef(options.root, options.ref);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdp-plan-base-"));
  const checkout = path.join(dir, "tree");
  git(options.root, ["worktree", "add", "--detach", checkout, commit]);
  try {
    for (const modules of ["node_modules", path.join("policies", "node_modules")]) {
      const source = path.join(options.root, modules);
      if (fs.existsSync(source) && !fs.existsSync(path.join(checkout, modules)))
        fs.symlinkSync(source, path.join(checkout, modules), "dir");
    }
    const out = path.join(dir, "snapshot.json");
    await runChild(
      path.join(__dirname, "base-child.ts"),
      [checkout, options.stack, out, options.policies ? "policies" : "no-policies"],
      checkout,
      options.timeoutMs ?? 600_000,
    );
    return JSON.parse(fs.readFileSync(out, "utf8")) as PlanSnapshot;
  } finally {
    try {
      git(options.root, ["worktree", "remove", "--force", checkout]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      git(options.root, ["worktree", "prune"]);
    }
  }
}
