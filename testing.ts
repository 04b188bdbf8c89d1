/**
 * `batch-data-platform/testing`: what this project tests its components and programs with, for
 * teams' own tests. No AWS account, no Pulumi CLI:
 *
 * - `platformMocks()`: mocks for `pulumi.runtime.setMocks` that answer every resource and call
 *   the components make (ids, ARNs and names; account, Region and partition; awsx outputs).
 *   Own mocks can delegate to `mockResourceState` and `mockCall` for what they do not answer.
 * - `synthesize(program, options)`: runs a program function under those mocks (or your own) and
 *   records every resource with its inputs, parent, provider and options.
 * - `synthesizeProject(dir, { stack })`: runs a whole Pulumi project folder (Pulumi.yaml,
 *   Pulumi.<stack>.yaml) the way `pulumi preview` would.
 *
 * @packageDocumentation
 */
export * from "./tools/synth/mock-outputs";
export * from "./tools/synth/mock-run";
export * from "./tools/synth/project";
