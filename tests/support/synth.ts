/**
 * Test helpers: synthesize the whole program or a single component under mocks and query the
 * recorded resources (type, name, inputs, parent, provider, options).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PROJECT } from "../../infra/config";
import { RecordedResource, synthesize } from "../../tools/synth/mock-run";
import { synthesizePlatform, synthesizePlatformSettled } from "../../tools/synth/program";
import { RawConfig, runtimeConfig, validConfig } from "./config";
import { readStackConfig } from "../../tools/synth/stack-config";
import { AnyEngineModule } from "../../engines/contract";
import { ENGINES } from "../../engines/registry";

export class Synthesized {
  constructor(
    readonly resources: RecordedResource[],
    readonly stackOutputs: Record<string, unknown> = {},
  ) {}

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((resource) => resource.type === type);
  }

  /** The one resource of a type whose logical name ends with `suffix`; fails loudly otherwise. */
  one(type: string, suffix = ""): RecordedResource {
    const matches = this.ofType(type).filter((resource) => resource.name.endsWith(suffix));
    if (matches.length !== 1) {
      const names = this.ofType(type).map((resource) => resource.name);
      throw new Error(
        `expected one ${type} ending "${suffix}", found ${matches.length}: ${names.join(", ")}`,
      );
    }
    return matches[0];
  }

  byUrn(urn: string | undefined): RecordedResource | undefined {
    return this.resources.find((resource) => resource.urn === urn);
  }

  /** Cloud resources (not components, not providers, not the stack). */
  cloudResources(): RecordedResource[] {
    return this.resources.filter(
      (resource) => resource.custom && !resource.type.startsWith("pulumi:providers:"),
    );
  }

  /** The nearest component ancestor's type. */
  componentOf(resource: RecordedResource): string | undefined {
    let parent = this.byUrn(resource.parent);
    while (parent && parent.custom) parent = this.byUrn(parent.parent);
    return parent?.type;
  }

  /** Parses a JSON string input (policies, definitions). */
  json(resource: RecordedResource, input: string): any {
    const value = resource.inputs[input];
    if (typeof value !== "string")
      throw new Error(`${resource.name}.${input} is not a JSON string: ${value}`);
    return JSON.parse(value);
  }
}

/** Synthesizes the whole program for a raw config (default: a valid one) with the given engines. */
export async function synthesizeProgram(
  raw: RawConfig = validConfig(),
  stack = "test",
  engines: readonly AnyEngineModule[] = ENGINES,
): Promise<Synthesized> {
  const result = await synthesizePlatform(runtimeConfig(raw), stack, engines);
  return new Synthesized(result.resources, result.stackOutputs);
}

/** Synthesizes a committed stack from its Pulumi.<stack>.yaml, as `npm run plan` does. */
export async function synthesizeCommittedStack(stack: string): Promise<Synthesized> {
  const result = await synthesizePlatform(readStackConfig(stack, PROJECT), stack);
  return new Synthesized(result.resources, result.stackOutputs);
}

/** Runs the program and returns the failure (if any) with every resource registered before it. */
export async function synthesizeProgramSettled(
  raw: RawConfig,
  stack = "test",
  engines: readonly AnyEngineModule[] = ENGINES,
): Promise<{ error?: unknown; synthesized: Synthesized }> {
  const result = await synthesizePlatformSettled(runtimeConfig(raw), stack, engines);
  return { error: result.error, synthesized: new Synthesized(result.resources, result.stackOutputs) };
}

/**
 * Synthesizes components built by `build` with an explicit provider, the way the program does.
 * `build` receives component options carrying that provider.
 */
export async function synthesizeComponents(
  build: (opts: pulumi.ComponentResourceOptions) => void,
  region = "eu-west-1",
): Promise<Synthesized> {
  const result = await synthesize(
    () => {
      const provider = new aws.Provider("aws", { region: region as aws.Region });
      build({ providers: { aws: provider } });
      return {};
    },
    { project: PROJECT, stack: "test", config: { "aws:region": region } },
  );
  return new Synthesized(result.resources, result.stackOutputs);
}

/** The value of an Output once the mocked run has settled. */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
