/**
 * The mocked program run (tools/synth/mock-run.ts) skips the SDK's per-resource and per-promise
 * stack capture while a program runs, and puts it back afterwards; it lets go of the program after
 * the run and tells an observer of each resource as it is recorded.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RecordedResource, synthesize } from "../../tools/synth/mock-run";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise<T>(promise: Promise<T>, context: unknown): Promise<T>;
};

const resourceClass = pulumi.Resource as unknown as { stackTrace(skip: number): unknown[] };

class Thing extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Thing", name);
    this.registerOutputs({});
  }
}

const OPTIONS = { project: "p", stack: "s", config: {} };

describe("mock run: stack capture", () => {
  let stackTrace: typeof resourceClass.stackTrace;
  let debuggablePromise: typeof debuggable.debuggablePromise;

  beforeEach(() => {
    stackTrace = resourceClass.stackTrace;
    debuggablePromise = debuggable.debuggablePromise;
  });

  afterEach(() => {
    resourceClass.stackTrace = stackTrace;
    debuggable.debuggablePromise = debuggablePromise;
  });

  it("takes no resource stack traces and tracks promises without bookkeeping, then restores both", async () => {
    let traces = 0;
    let tracked = 0;
    const countingTrace = (skip: number) => {
      traces++;
      return stackTrace.call(resourceClass, skip);
    };
    const countingPromise = <T>(promise: Promise<T>, context: unknown) => {
      tracked++;
      return debuggablePromise(promise, context);
    };
    resourceClass.stackTrace = countingTrace;
    debuggable.debuggablePromise = countingPromise;
    let during: typeof debuggable.debuggablePromise | undefined;

    const { resources } = await synthesize(() => {
      during = debuggable.debuggablePromise;
      new Thing("a");
      new Thing("b");
      return {};
    }, OPTIONS);

    assert.equal(resources.filter((r) => r.type === "test:index:Thing").length, 2);
    assert.equal(traces, 0, "Resource.stackTrace was called during the run");
    assert.equal(tracked, 0, "the SDK's promise bookkeeping ran during the run");
    // The stand-in still passes values and failures through.
    assert.equal(await during!(Promise.resolve(42), "value"), 42);
    await assert.rejects(during!(Promise.reject(new Error("boom")), "failure"), /boom/);
    assert.equal(resourceClass.stackTrace, countingTrace);
    assert.equal(debuggable.debuggablePromise, countingPromise);
  });

  it("keeps the stack trace of an error the program throws", async () => {
    await assert.rejects(
      synthesize(() => {
        new Thing("c");
        throw new Error("program bug");
      }, OPTIONS),
      (error: Error) => {
        assert.equal(error.message, "program bug");
        assert.match(error.stack ?? "", /\n\s+at .*mock-run\.test\.ts/);
        return true;
      },
    );
    assert.equal(resourceClass.stackTrace, stackTrace);
  });
});

describe("mock run: after the run", () => {
  it("lets go of the program: no stack resource, no serialized copies in the monitor", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const state = require("@pulumi/pulumi/runtime/state") as { getStackResource(): unknown };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as {
      getMonitor(): { resources: Map<string, unknown> };
    };
    let during: { stack: unknown; monitor?: Map<string, unknown> } = { stack: undefined };
    const { resources, stackOutputs } = await synthesize(() => {
      new Thing("kept-only-as-a-record");
      during = { stack: state.getStackResource(), monitor: settings.getMonitor().resources };
      return { answer: pulumi.output(42) };
    }, OPTIONS);
    assert.ok(during.stack, "the program ran inside a stack resource");
    assert.deepEqual(stackOutputs, { answer: 42 });
    assert.ok(resources.some((r) => r.name === "kept-only-as-a-record"));
    assert.equal(state.getStackResource(), undefined);
    assert.equal(during.monitor?.size, 0);
  });

  it("tells onResource of every resource as it is recorded, default providers included", async () => {
    const told: RecordedResource[] = [];
    const { resources } = await synthesize(
      () => {
        const queue = new aws.sqs.Queue("told", {});
        return { url: queue.url };
      },
      { ...OPTIONS, config: { "aws:region": "eu-west-1" }, onResource: (resource) => told.push(resource) },
    );
    assert.deepEqual(told, resources);
    assert.ok(told.some((r) => r.type === "pulumi:providers:aws"));
    assert.ok(
      told.findIndex((r) => r.type === "pulumi:providers:aws") < told.findIndex((r) => r.name === "told"),
      "a default provider is recorded before the first resource that uses it",
    );
  });
});
