/**
 * `npm test`: the npm scripts named on the command line (lint, type check and the mocha suite)
 * at once, each as its own process, instead of one after the other. The three are independent;
 * together they take about as long as the longest one when there is a core for each, instead of
 * their sum.
 *
 * Each script's output is printed in one piece when it ends, under its name and time; the exit
 * code is 0 only if every script passed. Usage: `node -r ./tools/compile/register.js
 * tools/checks/parallel.ts lint typecheck test:unit`.
 */
import { spawn } from "child_process";
import { performance } from "perf_hooks";
import { processOutput, CliOutput } from "../cli/args";
import { REPO_ROOT } from "../synth/stack-config";

export interface Task {
  name: string;
  command: string;
  args: string[];
}

export interface TaskResult {
  name: string;
  exitCode: number;
  ms: number;
  output: string;
}

/** Runs one task with stdout and stderr merged in the order they came. */
function runTask(task: Task, cwd: string): Promise<TaskResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(task.command, task.args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk) => (output += String(chunk)));
    child.stderr.on("data", (chunk) => (output += String(chunk)));
    child.on("error", (error) =>
      resolve({
        name: task.name,
        exitCode: 127,
        ms: performance.now() - started,
        output: `${error.message}\n`,
      }),
    );
    child.on("close", (code, signal) =>
      resolve({
        name: task.name,
        exitCode: code ?? 1,
        ms: performance.now() - started,
        output: signal ? `${output}(ended by ${signal})\n` : output,
      }),
    );
  });
}

/** Runs every task at once; prints each one's output as it ends, then a summary. */
export async function runParallel(
  tasks: readonly Task[],
  output: CliOutput = processOutput,
  cwd = REPO_ROOT,
): Promise<TaskResult[]> {
  const results = await Promise.all(
    tasks.map((task) =>
      runTask(task, cwd).then((result) => {
        const status = result.exitCode === 0 ? "passed" : `FAILED (exit ${result.exitCode})`;
        output.stdout(
          `\n=== ${result.name}: ${status} in ${(result.ms / 1000).toFixed(1)} s ===\n${result.output}`,
        );
        return result;
      }),
    ),
  );
  output.stdout(
    `\n${results
      .map((r) => `${r.exitCode === 0 ? "ok    " : "FAILED"} ${r.name} (${(r.ms / 1000).toFixed(1)} s)`)
      .join("\n")}\n`,
  );
  return results;
}

/** The npm scripts named by `argv`, run at once; the exit code says whether all passed. */
export async function main(argv: string[], output: CliOutput = processOutput): Promise<number> {
  if (argv.length === 0) {
    output.stderr("usage: node tools/checks/parallel.ts SCRIPT [SCRIPT...]  (npm script names)\n");
    return 2;
  }
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const results = await runParallel(
    argv.map((name) => ({ name, command: npm, args: ["run", "-s", name] })),
    output,
  );
  return results.every((r) => r.exitCode === 0) ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
