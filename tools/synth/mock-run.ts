/**
 * Runs a Pulumi program in-process under `pulumi.runtime.setMocks`, the way `pulumi preview`
 * would run it, and records every registered resource with its inputs, parent, provider and
 * options. Used by the tests and by `npm run plan`; nothing here talks to AWS or the CLI.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Mocks } from "@pulumi/pulumi/runtime/mocks";
import { DEFAULT_MOCK_ACCOUNT, platformMocks } from "./mock-outputs";
import { DefaultProviders } from "./default-providers";

// Internal runtime entry points; stable across Pulumi 3.x and the ones the SDK's own tests use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeStack = require("@pulumi/pulumi/runtime/stack") as {
  runInPulumiStack(init: () => Promise<unknown>): Promise<Record<string, unknown> | undefined>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor(): unknown;
  waitForRPCs(): Promise<void>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeState = require("@pulumi/pulumi/runtime/state") as {
  setStackResource(stack: unknown): void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeDebuggable = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise<T>(promise: Promise<T>, context: unknown): Promise<T>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeRpc = require("@pulumi/pulumi/runtime/rpc") as {
  deserializeProperties(struct: unknown, keepUnknowns?: boolean): Record<string, any>;
  deserializeProperty(value: unknown, keepUnknowns?: boolean): any;
};

/** The resource options the engine receives with a registration. */
export interface ResourceOptionsRecord {
  protect: boolean;
  retainOnDelete: boolean;
  dependsOn: string[];
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
}

/** One resource as the engine would see it in RegisterResource. */
export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  /** Custom resources are cloud resources; components (custom=false) only group them. */
  custom: boolean;
  inputs: Record<string, any>;
  /** The state the mocks returned (inputs plus computed outputs such as arn and id). */
  outputs: Record<string, any>;
  parent?: string;
  /** Input property -> URNs of the resources its value came from (what the engine sends policies). */
  propertyDependencies: Record<string, string[]>;
  /** Provider reference `urn::id`, as the engine records it. */
  provider?: string;
  options: ResourceOptionsRecord;
}

/** What a mocked run recorded: every resource, and the stack outputs. */
export interface SynthesisResult {
  resources: RecordedResource[];
  stackOutputs: Record<string, unknown>;
}

/** A run that may have failed: what was registered before the failure, and the failure. */
export interface SettledSynthesis extends SynthesisResult {
  error?: unknown;
}

/** How to run a program under mocks: project, stack and config, and optionally the account and mocks. */
export interface SynthesisOptions {
  project: string;
  stack: string;
  /** Full config map as the CLI passes it: `project:key` -> string (objects as JSON). */
  config: Record<string, string>;
  /** The account the mocked provider answers with (default 123456789012); the Region is `aws:region`. */
  accountId?: string;
  /** Mocks to run under instead of platformMocks (e.g. a team's own, which may delegate to them). */
  mocks?: Mocks;
  /** Called with each resource as it is recorded (the policy check analyzes them meanwhile). */
  onResource?: (resource: RecordedResource) => void;
}

interface RegisterRequest {
  getObject(): unknown;
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getVersion(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
}

interface RegisterResponse {
  getUrn(): string;
}

type MonitorWithRegister = {
  registerResource(
    req: RegisterRequest,
    callback: (err: unknown, response?: RegisterResponse) => void,
  ): unknown;
  resources: Map<string, { urn: string; id: string | null; state: any }>;
};

let running = false;

/**
 * Synthesizes `program` with the given config. Throws whatever the program throws (for
 * example a ConfigError), after the runtime has settled, so no work leaks into the next run.
 */
export async function synthesize(
  program: () => Promise<Record<string, unknown>> | Record<string, unknown>,
  options: SynthesisOptions,
): Promise<SynthesisResult> {
  const settled = await synthesizeSettled(program, options);
  if ("error" in settled) throw settled.error;
  return settled;
}

/** Like synthesize(), but returns a failure with the resources registered before it. */
export async function synthesizeSettled(
  program: () => Promise<Record<string, unknown>> | Record<string, unknown>,
  options: SynthesisOptions,
): Promise<SettledSynthesis> {
  if (running) throw new Error("synthesize() runs one program at a time; await the previous run");
  running = true;
  try {
    return await synthesizeOnce(program, options);
  } finally {
    running = false;
  }
}

async function synthesizeOnce(
  program: () => Promise<Record<string, unknown>> | Record<string, unknown>,
  options: SynthesisOptions,
): Promise<SettledSynthesis> {
  const accountId = options.accountId ?? DEFAULT_MOCK_ACCOUNT.accountId;
  const region = options.config["aws:region"] ?? DEFAULT_MOCK_ACCOUNT.region;
  const mocks = options.mocks ?? platformMocks({ accountId, region });

  pulumi.runtime.setAllConfig(options.config);
  // The inputs of the registration under way, as the mock monitor deserialized them for
  // newResource, which it calls synchronously from registerResource (no second deserialization).
  let registering: Record<string, any> | undefined;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registering = args.inputs;
        return mocks.newResource(args);
      },
      call: (args) => mocks.call(args),
    },
    options.project,
    options.stack,
    false,
  );

  const resources: RecordedResource[] = [];
  const record = (resource: RecordedResource) => {
    resources.push(resource);
    options.onResource?.(resource);
  };
  const defaultProviders = new DefaultProviders(options.project, options.stack, options.config, record);
  /** A custom resource without a provider gets its package's default one, as the engine gives it. */
  const providerOf = (req: RegisterRequest) =>
    req.getProvider() ||
    (req.getCustom() ? defaultProviders.referenceFor(req.getType(), req.getVersion()) : undefined);
  const monitor = runtimeSettings.getMonitor() as MonitorWithRegister;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const request: { inputs?: Record<string, any> } = {};
    const onResponse = (err: unknown, response?: RegisterResponse) => {
      if (!err && response && request.inputs) {
        const registered = monitor.resources.get(response.getUrn());
        record({
          type: req.getType(),
          name: req.getName(),
          urn: response.getUrn(),
          custom: req.getCustom(),
          inputs: revealSecrets(request.inputs),
          outputs: registered
            ? { ...runtimeRpc.deserializeProperty(registered.state), id: registered.id }
            : {},
          parent: req.getParent() || undefined,
          propertyDependencies: propertyDependenciesOf(req),
          provider: providerOf(req),
          options: {
            protect: req.getProtect(),
            retainOnDelete: req.getRetainondelete(),
            dependsOn: req.getDependenciesList(),
            ignoreChanges: req.getIgnorechangesList(),
            deleteBeforeReplace: req.getDeletebeforereplace(),
          },
        });
      }
      callback(err, response);
    };
    registering = undefined;
    const result = register(req, onResponse);
    request.inputs = registering;
    return result;
  };

  let failure: unknown;
  let stackOutputs: Record<string, unknown> = {};
  const rejections = captureUnhandledRejections();
  const restoreStackCapture = skipStackCapture();
  try {
    // A resource whose inputs failed never registers, so what waits for it (other resources, the
    // stack's outputs) would wait forever: the first such failure ends the run, as it ends `pulumi`.
    try {
      const run = runtimeStack.runInPulumiStack(async () => program());
      stackOutputs = (await Promise.race([run, rejections.first.then(() => ({}))])) ?? {};
    } catch (error) {
      failure = error;
    }
    await Promise.race([runtimeSettings.waitForRPCs(), rejections.first]);
    // Rejections are reported a turn after they happen.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    rejections.stop();
    restoreStackCapture();
  }
  failure ??= rejections.errors[0];
  const settled: SettledSynthesis =
    failure !== undefined
      ? { resources, stackOutputs: {}, error: failure }
      : { resources, stackOutputs: await resolveDeep(stackOutputs) };
  // What was recorded is all that is used from here on. The runtime would otherwise keep the
  // program alive (the stack resource holds its outputs, and through them every resource and its
  // Outputs) and the monitor a serialized copy of every resource's state: a third of the heap.
  runtimeState.setStackResource(undefined);
  monitor.resources.clear();
  return settled;
}

const passThrough = <T>(value: T): T => value;
const rethrow = (error: unknown): never => {
  throw error;
};

/**
 * The SDK captures a stack trace for every resource (its source position, for the engine's
 * diagnostics; every frame, then turned into file URLs) and, for the promise-leak report printed
 * at exit, an Error with its stack, ids and a registry entry for every promise it tracks (about
 * ten per property of each resource). Mocks use neither, and they were most of the synthesis
 * time. Until the returned function is called: no source positions, and tracked promises are
 * chained exactly as before (same two steps, so registrations complete in the same order) without
 * that bookkeeping. Errors thrown by the program keep their stack traces.
 */
function skipStackCapture(): () => void {
  const resource = pulumi.Resource as unknown as { stackTrace(skip: number): unknown[] };
  const stackTrace = resource.stackTrace;
  const debuggablePromise = runtimeDebuggable.debuggablePromise;
  resource.stackTrace = () => [];
  runtimeDebuggable.debuggablePromise = (promise) => promise.then(passThrough).catch(rethrow);
  return () => {
    resource.stackTrace = stackTrace;
    runtimeDebuggable.debuggablePromise = debuggablePromise;
  };
}

/**
 * Errors nobody awaited while the program ran: an Output whose apply threw (for example an
 * account lookup the mocks did not answer) rejects the registration of every resource that takes
 * it. The Pulumi language host fails the program on these; so does a mocked run, instead of
 * recording a partial stack. Other listeners (a test runner's) are set aside meanwhile.
 */
function captureUnhandledRejections(): { errors: unknown[]; first: Promise<void>; stop(): void } {
  const others = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  const errors: unknown[] = [];
  let signal: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (signal = resolve));
  const listener = (reason: unknown) => {
    errors.push(reason);
    signal();
  };
  process.on("unhandledRejection", listener);
  return {
    errors,
    first,
    stop: () => {
      process.removeListener("unhandledRejection", listener);
      for (const other of others) process.on("unhandledRejection", other);
    },
  };
}

/** The engine's marker for a secret value: `{ [SECRET_SIGNATURE]: SECRET_SIGNATURE_VALUE, value }`. */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** Tests and policies judge the value, not the wrapper Pulumi puts around secrets. */
function revealSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(revealSecrets) as T;
  // Plain objects only: assets and archives keep their class.
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    if (SECRET_SIGNATURE in record && "value" in record) return revealSecrets(record.value) as T;
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, revealSecrets(inner)])) as T;
  }
  return value;
}

function propertyDependenciesOf(req: RegisterRequest): Record<string, string[]> {
  const dependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((value, key) => {
    const urns = value.getUrnsList();
    if (urns.length > 0) dependencies[key] = [...urns];
  });
  return dependencies;
}

/** Stack outputs may still hold Outputs; resolve them to plain values for reports. */
async function resolveDeep(value: unknown): Promise<any> {
  if (pulumi.Output.isInstance(value)) {
    return resolveDeep(await new Promise((resolve) => (value as pulumi.Output<unknown>).apply(resolve)));
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolveDeep));
  if (value && typeof value === "object" && !pulumi.Resource.isInstance(value)) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, inner]) => [key, await resolveDeep(inner)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}
