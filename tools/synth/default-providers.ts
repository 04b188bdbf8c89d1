/**
 * Default providers, as the Pulumi engine makes them: a resource registered without a provider
 * gets its package's default provider, `pulumi:providers:<package>::default_<version>`, configured
 * from the stack's `<package>:*` config keys (e.g. `aws:region`, `aws:defaultTags`).
 * https://www.pulumi.com/docs/iac/concepts/resources/providers/#default-providers
 * The mocked run records them like explicit providers, so what the policy pack and the deploy
 * rules read from a provider (default tags, Region) is there for programs that use the default.
 */
import type { RecordedResource, ResourceOptionsRecord } from "./mock-run";

/** The options the engine records for a resource declared without any (for resources made by hand). */
export const NO_RESOURCE_OPTIONS: Readonly<ResourceOptionsRecord> = {
  protect: false,
  retainOnDelete: false,
  dependsOn: [],
  ignoreChanges: [],
  deleteBeforeReplace: false,
};

/** A config value as the provider receives it: objects and lists from their JSON text. */
function providerValue(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The provider inputs the engine derives from the stack config for `pkg`. */
export function defaultProviderInputs(
  pkg: string,
  config: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const prefix = `${pkg}:`;
  return Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), providerValue(value)]),
  );
}

export class DefaultProviders {
  private readonly references = new Map<string, string>();

  constructor(
    private readonly project: string,
    private readonly stack: string,
    private readonly config: Readonly<Record<string, string>>,
    /** Records a provider the first time a resource needs it. */
    private readonly record: (provider: RecordedResource) => void,
  ) {}

  /**
   * The provider reference (`urn::id`) of the default provider of a custom resource's package, or
   * undefined for types that have none (the engine's own `pulumi:` types).
   */
  referenceFor(type: string, version: string): string | undefined {
    const pkg = type.split(":")[0];
    if (pkg === "pulumi" || pkg === "") return undefined;
    const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
    const key = `${pkg}::${name}`;
    const known = this.references.get(key);
    if (known !== undefined) return known;
    const urn = `urn:pulumi:${this.stack}::${this.project}::pulumi:providers:${pkg}::${name}`;
    const inputs = defaultProviderInputs(pkg, this.config);
    const id = `${name}-id`;
    this.record({
      type: `pulumi:providers:${pkg}`,
      name,
      urn,
      custom: true,
      inputs,
      outputs: { ...inputs, id },
      propertyDependencies: {},
      options: { ...NO_RESOURCE_OPTIONS },
    });
    const reference = `${urn}::${id}`;
    this.references.set(key, reference);
    return reference;
  }
}
