/** tools/checks/parallel.ts: the npm test runner runs its tasks at once and fails if any fails. */
import { strict as assert } from "assert";
import { main, runParallel, Task } from "../../tools/checks/parallel";

function captured() {
  const out = { text: "", err: "" };
  return {
    out,
    io: { stdout: (t: string) => void (out.text += t), stderr: (t: string) => void (out.err += t) },
  };
}

const node = (name: string, script: string): Task => ({
  name,
  command: process.execPath,
  args: ["-e", script],
});

describe("parallel checks", () => {
  it("runs the tasks at once and prints each one's output in one piece, then a summary", async () => {
    const { out, io } = captured();
    // Each task waits a second: one after the other they would take three.
    const wait = "setTimeout(() => {}, 1000);";
    const started = Date.now();
    const results = await runParallel(
      [
        node("first", `${wait} console.log("one"); console.error("two");`),
        node("second", `${wait} console.log("three");`),
        node("third", `${wait} process.exitCode = 3; console.log("four");`),
      ],
      io,
    );
    assert.ok(Date.now() - started < 2_500, `took ${Date.now() - started} ms`);
    assert.deepEqual(
      results.map((r) => [r.name, r.exitCode]),
      [
        ["first", 0],
        ["second", 0],
        ["third", 3],
      ],
    );
    assert.match(out.text, /=== first: passed in \d+\.\d s ===\none\ntwo\n/);
    assert.match(out.text, /=== third: FAILED \(exit 3\) in \d+\.\d s ===\nfour\n/);
    assert.match(
      out.text,
      /\nok {5}first \(\d+\.\d s\)\nok {5}second \(\d+\.\d s\)\nFAILED third \(\d+\.\d s\)\n$/,
    );
  });

  it("exits 1 when a script fails, and 2 without scripts", async () => {
    const { out, io } = captured();
    assert.equal(await main([], io), 2);
    assert.match(out.err, /^usage: /);
    const failing = captured();
    assert.equal(await main(["no-such-script-in-package-json"], failing.io), 1);
    assert.match(failing.out.text, /FAILED no-such-script-in-package-json/);
  });
});
