/**
 * Large stacks are declared in batches of pipelines (infra/pacing.ts): the steps pause between
 * batches, a turn of the event loop at a pause completes the batch's registrations, and a stack of
 * at most PIPELINE_BATCH pipelines never pauses.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig, PROJECT } from "../../infra/config";
import { declareInBatches, Paced, PAUSE, PIPELINE_BATCH, runPaced } from "../../infra/pacing";
import { buildPlatform } from "../../infra/platform";
import { ENGINES } from "../../engines/registry";
import { configWithPipelines, readRawStackConfig } from "../../tools/bench/generate";
import { synthesize } from "../../tools/synth/mock-run";
import { toRuntimeConfig } from "../../tools/synth/stack-config";

class Thing extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Thing", name);
    this.registerOutputs({});
  }
}

/** Runs a paced step to its end; returns its value and how many items each pause came after. */
function drive<T>(step: Paced<T>, declared: () => number): { value: T; pausedAfter: number[] } {
  const pausedAfter: number[] = [];
  let next = step.next();
  while (!next.done) {
    assert.equal(next.value, PAUSE);
    pausedAfter.push(declared());
    next = step.next();
  }
  return { value: next.value, pausedAfter };
}

describe("pacing: batches of pipelines", () => {
  it("declares every item in order, pausing after each full batch but not after the last", () => {
    let calls = 0;
    const run = (count: number) =>
      drive(
        declareInBatches(
          Array.from({ length: count }, (_, i) => i),
          (i) => {
            calls++;
            return i * 10;
          },
          3,
        ),
        () => calls,
      );
    calls = 0;
    assert.deepEqual(run(7), { value: [0, 10, 20, 30, 40, 50, 60], pausedAfter: [3, 6] });
    calls = 0;
    assert.deepEqual(run(6), { value: [0, 10, 20, 30, 40, 50], pausedAfter: [3] });
    calls = 0;
    assert.deepEqual(run(3), { value: [0, 10, 20], pausedAfter: [] });
    assert.deepEqual(run(0), { value: [], pausedAfter: [] });
  });

  it("completes a batch's registrations in the turn of the event loop it gives at a pause", async () => {
    const registeredAtPause: number[] = [];
    await synthesize(
      async () => {
        const registered = new Set<string>();
        const step = declareInBatches(
          [0, 1, 2, 3, 4],
          (i) => {
            new Thing(`thing-${i}`).urn.apply((urn) => registered.add(urn));
          },
          2,
        );
        let next = step.next();
        while (!next.done) {
          await new Promise((resolve) => setImmediate(resolve));
          registeredAtPause.push(registered.size);
          next = step.next();
        }
        return {};
      },
      { project: "p", stack: "s", config: {} },
    );
    assert.deepEqual(registeredAtPause, [2, 4]);
  });

  it("runPaced turns the event loop at every pause and returns the step's value", async () => {
    const order: string[] = [];
    const step = declareInBatches(
      ["a", "b", "c"],
      (item) => {
        order.push(item);
        setImmediate(() => order.push(`turn after ${item}`));
        return item.toUpperCase();
      },
      1,
    );
    assert.deepEqual(await runPaced(step), ["A", "B", "C"]);
    assert.deepEqual(order.slice(0, 5), ["a", "turn after a", "b", "turn after b", "c"]);
  });

  it("builds a stack within one batch without pausing, and pauses in each per-pipeline step above it", async function () {
    this.timeout(60_000);
    const pausesOf = async (pipelines?: number) => {
      const dev = readRawStackConfig("dev");
      const raw = pipelines === undefined ? dev : configWithPipelines(dev, PROJECT, pipelines);
      let pauses = 0;
      await synthesize(
        () => {
          const step = buildPlatform(loadStackConfig(ENGINES), ENGINES);
          let next = step.next();
          while (!next.done) {
            pauses++;
            next = step.next();
          }
          return {};
        },
        { project: PROJECT, stack: "dev", config: toRuntimeConfig(raw, PROJECT) },
      );
      return pauses;
    };
    // The committed dev stack (six pipelines) registers exactly as before pacing existed.
    assert.equal(await pausesOf(), 0);
    // Jobs, runs, grants and pipeline alarms each pause once between their two batches.
    assert.equal(await pausesOf(PIPELINE_BATCH + 1), 4);
  });
});
