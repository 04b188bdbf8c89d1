/**
 * One deserialization of a resource's properties per request, shared by every policy.
 *
 * @pulumi/policy's analyzer server deserializes a resource's properties again for each policy that
 * looks at it: in Analyze once for every policy its type filter does not rule out (each policy
 * judging several types, and required-tags, sees every resource), and in AnalyzeStack every
 * resource of the stack once per stack policy: fifteen copies of the whole stack for this pack.
 *
 * The pack's policies only read properties, so shareDeserializedProperties() makes the server's
 * deserializer return one copy per protobuf Struct of a request, deep-frozen: a policy that tried to
 * change it would fail (and be reported as an internal error) instead of changing what the next
 * policy sees. Remediation, whose result replaces the properties, keeps a fresh copy per call.
 */

/** The server's module (internal to @pulumi/policy, so typed here). */
interface DeserializeModule {
  deserializeProperties(struct: object, proxySecrets: boolean): Record<string, unknown>;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * Wraps `module.deserializeProperties` so that a Struct is deserialized once (for plain reads);
 * returns a function that puts the original back.
 */
export function shareDeserializedProperties(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  module: DeserializeModule = require("@pulumi/policy/deserialize"),
): () => void {
  const original = module.deserializeProperties;
  const copies = new WeakMap<object, Record<string, unknown>>();
  module.deserializeProperties = (struct, proxySecrets) => {
    // Secrets proxied for remediation: each call gets its own copy, which it may replace.
    if (proxySecrets) return original(struct, proxySecrets);
    let copy = copies.get(struct);
    if (!copy) {
      copy = deepFreeze(original(struct, proxySecrets));
      copies.set(struct, copy);
    }
    return copy;
  };
  return () => {
    module.deserializeProperties = original;
  };
}
