// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

/*
 * Layering. Each top-level folder may import only from the layers below it:
 *
 *   decisions/  pure functions: no @pulumi/*, nothing from components/, engines/, infra/, tools/, tests/
 *   components/ reusable resources: nothing from engines/, infra/, tools/, tests/
 *   engines/    one module per compute engine, between components/ and infra/: nothing from infra/, tools/, tests/
 *   infra/      the program: components only through the public API (index.ts); nothing from tools/, tests/
 *   policies/   the policy pack, its own npm workspace: nothing outside policies/ (npm packages are fine)
 *   tools/      offline tooling: nothing from tests/
 *   jobs/       job code that runs on its own: nothing outside jobs/
 *   examples/   team programs that use the package by its name: nothing outside examples/
 *
 * The package (npm pack) has two entry points at the root, each with its own rule:
 *   index.ts    the public API: components/, decisions/ and the engines' monitoring facts
 *               (engines/<engine>/monitoring.ts, which import only components/ and decisions/)
 *   testing.ts  batch-data-platform/testing: the packaged tools/synth files only (PACKAGED_SYNTH),
 *               which themselves import nothing of the repository but each other
 *
 * and only infra/config.ts (the config loader) reads stack config.
 *
 * The rules are no-restricted-imports (static imports, `import type`, `export ... from`,
 * `import x = require()`) and no-restricted-syntax (dynamic `import()`, `require()`, `import("x").T`
 * types, and the config reads). Whether a relative import leaves a folder depends on how deep the
 * importing file sits, so each layer gets one block per depth: a file at depth d (decisions/x.ts is
 * 1, decisions/cost/x.ts is 2) reaches the repository root with exactly d "../".
 */

/** How deep below a layer's folder the rules reach; a deeper file is refused until this grows. */
const MAX_DEPTH = 6;

/**
 * @typedef {{ folder: string, message: string }} FolderRule   imports of this top-level folder are refused
 * @typedef {{ pattern: string, message: string }} PackageRule  imports of npm packages matching `^pattern`
 * @typedef {{ folder: string, folders?: FolderRule[], packages?: PackageRule[], outside?: string, readsConfig?: boolean }} Layer
 *   readsConfig: the folder holds Pulumi programs of their own, which read their stack config
 */

/** @param {string} layer @param {string} folder @param {string} fix */
const refuse = (layer, folder, fix) => ({
  folder,
  message: `Layer rule ${layer}/: ${layer}/ must not import from ${folder}/. ${fix}`,
});

const DECISIONS_FIX =
  "decisions/ holds pure functions below every other layer: move the shared piece into decisions/ or pass the value in as an argument.";
const COMPONENTS_FIX =
  "Components are reusable resources that never see the program or its stack config: take the value through the component's args.";
const ENGINES_FIX =
  "engines/ sits between components/ and infra/: take the value through the engine's context or args, or move the shared piece down into decisions/ or components/.";

/** @type {Layer[]} */
const LAYERS = [
  {
    folder: "decisions",
    folders: ["components", "engines", "infra", "tools", "tests"].map((folder) =>
      refuse("decisions", folder, DECISIONS_FIX),
    ),
    packages: [
      {
        pattern: "@pulumi/",
        message:
          "Layer rule decisions/: decisions/ must not import @pulumi/*. Decisions are pure functions of plain values: take plain inputs and let components/ or engines/ turn the result into resources.",
      },
    ],
  },
  {
    folder: "components",
    folders: ["engines", "infra", "tools", "tests"].map((folder) =>
      refuse("components", folder, COMPONENTS_FIX),
    ),
  },
  {
    folder: "engines",
    folders: ["infra", "tools", "tests"].map((folder) => refuse("engines", folder, ENGINES_FIX)),
  },
  {
    folder: "infra",
    folders: [
      refuse(
        "infra",
        "components",
        'The program composes components through the package\'s public API, as teams do: import them from "../index".',
      ),
      ...["tools", "tests"].map((folder) =>
        refuse("infra", folder, "The program must run without the offline tooling and the tests."),
      ),
    ],
  },
  {
    folder: "policies",
    outside:
      "Layer rule policies/: the policy pack is its own npm workspace and must not import anything outside policies/ (npm packages are fine). Keep what it needs in policies/lib/, or depend on a package.",
  },
  {
    folder: "tools",
    folders: [
      refuse(
        "tools",
        "tests",
        "Tests may use tools, not the other way round: move the shared code into tools/ and let the tests import it from there.",
      ),
    ],
  },
  {
    folder: "jobs",
    outside:
      "Layer rule jobs/: job code runs on its own (Glue, EMR, containers) and must not import anything from the rest of the repository. Keep what it needs inside jobs/.",
  },
  {
    folder: "examples",
    readsConfig: true,
    outside:
      'Layer rule examples/: an example is a team\'s program and uses the package by its name ("batch-data-platform", "batch-data-platform/testing"), never the repository\'s files.',
  },
];

/** The tools/synth modules the package ships in batch-data-platform/testing. */
const PACKAGED_SYNTH = ["mock-run", "mock-outputs", "default-providers", "project", "stack-config"];

const PACKAGE_ENTRY_FIX =
  "The package ships index.ts and testing.ts with what they import; the program, engines, tools and tests stay in the repository.";

/** Rules for the package's entry points and the tools/synth files they ship. */
function packageBlocks() {
  const entry = (/** @type {string} */ file, /** @type {string} */ allowed, /** @type {string} */ regex) => {
    const message = `Layer rule package: ${file} may import only ${allowed}. ${PACKAGE_ENTRY_FIX}`;
    return {
      name: `layering/package/${file}`,
      files: [file],
      rules: {
        "@typescript-eslint/no-restricted-imports": [
          "error",
          { patterns: [{ regex, message, caseSensitive: true }] },
        ],
        "no-restricted-syntax": ["error", ...CONFIG_READS, ...dynamicImportSelectors(regex, message)],
      },
    };
  };
  const synth = PACKAGED_SYNTH.join("|");
  return [
    entry(
      "index.ts",
      "components/, decisions/ and engines/<engine>/monitoring",
      "^\\./(?!(?:components|decisions)/|engines/[a-z-]+/monitoring$)",
    ),
    entry(
      "engines/*/monitoring.ts",
      "components/ and decisions/",
      "^\\.\\.?/(?!\\.\\./(?:components|decisions)/)",
    ),
    entry("testing.ts", `tools/synth/{${PACKAGED_SYNTH.join(",")}}`, `^\\./(?!tools/synth/(?:${synth})$)`),
    ...PACKAGED_SYNTH.map((module) =>
      entry(
        `tools/synth/${module}.ts`,
        `the other packaged tools/synth files (${PACKAGED_SYNTH.join(", ")})`,
        `^\\.\\.?/(?!(?:${synth})$)`,
      ),
    ),
  ];
}

const CONFIG_MESSAGE =
  "Layer rule config: only infra/config.ts (the config loader) reads stack config. Take the value from the validated StackConfig that loadStackConfig() returns, passed in as an argument.";

/** Stack config reads: pulumi.Config, `Config` from @pulumi/pulumi, runtime.allConfig/getConfig. */
const CONFIG_READS = [
  // Any `<namespace>.Config`, so that `import * as p from "@pulumi/pulumi"` does not slip through.
  "MemberExpression[property.name='Config']",
  "ImportDeclaration[source.value='@pulumi/pulumi'] > ImportSpecifier[imported.name='Config']",
  "ImportDeclaration[source.value=/^@pulumi\\/pulumi\\/(runtime\\/)?config$/]",
  "MemberExpression[object.name='runtime'][property.name=/^(allConfig|getConfig)$/]",
  "MemberExpression[object.property.name='runtime'][property.name=/^(allConfig|getConfig)$/]",
].map((selector) => ({ selector, message: CONFIG_MESSAGE }));

/** Import specifiers that resolve into `folder` from a file `depth` folders below the root. */
const intoFolder = (/** @type {number} */ depth, /** @type {string} */ folder) =>
  `^(?:\\.\\./){${depth}}${folder}(?:/|$)`;

/** Import specifiers that leave `folder` from a file `depth` folders below the root. */
const outOf = (/** @type {number} */ depth, /** @type {string} */ folder) =>
  `^(?:\\.\\./){${depth}}(?:\\.\\./|(?!${folder}(?:/|$)))`;

/** The same check for import forms no-restricted-imports does not see. */
function dynamicImportSelectors(/** @type {string} */ regex, /** @type {string} */ message) {
  const literal = `/${regex.replaceAll("/", "\\/")}/`;
  return [
    `ImportExpression[source.value=${literal}]`,
    `CallExpression[callee.name='require'][arguments.0.value=${literal}]`,
    `TSImportType[source.value=${literal}]`,
  ].map((selector) => ({ selector, message }));
}

/** One config block per layer and depth, each carrying the whole rule set for its files. */
function layerBlocks() {
  return LAYERS.flatMap((layer) => [
    ...Array.from({ length: MAX_DEPTH }, (_, index) => {
      const depth = index + 1;
      const refused = [
        ...(layer.folders ?? []).map(({ folder, message }) => ({
          regex: intoFolder(depth, folder),
          message,
        })),
        ...(layer.outside ? [{ regex: outOf(depth, layer.folder), message: layer.outside }] : []),
        ...(layer.packages ?? []).map(({ pattern, message }) => ({ regex: `^${pattern}`, message })),
      ];
      return {
        name: `layering/${layer.folder}/depth-${depth}`,
        files: [`${layer.folder}/${"*/".repeat(depth - 1)}*.ts`],
        rules: {
          "@typescript-eslint/no-restricted-imports": [
            "error",
            { patterns: refused.map((rule) => ({ ...rule, caseSensitive: true })) },
          ],
          "no-restricted-syntax": [
            "error",
            ...(layer.readsConfig ? [] : CONFIG_READS),
            ...refused.flatMap(({ regex, message }) => dynamicImportSelectors(regex, message)),
          ],
        },
      };
    }),
    {
      // Deeper files would escape the rules above: say so instead of passing them silently.
      name: `layering/${layer.folder}/too-deep`,
      files: [`${layer.folder}/${"*/".repeat(MAX_DEPTH)}**/*.ts`],
      rules: {
        "no-restricted-syntax": [
          "error",
          {
            selector: "Program",
            message: `Layer rules reach ${MAX_DEPTH} folders deep into ${layer.folder}/: raise MAX_DEPTH in eslint.config.mjs.`,
          },
        ],
      },
    },
  ]);
}

export default tseslint.config(
  { ignores: ["node_modules/**", "**/node_modules/**", "bin/**", "dist/**", "**/*.js", "**/*.mjs"] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
      eqeqeq: ["error", "always"],
    },
  },
  {
    name: "layering/config-reads",
    files: ["**/*.ts"],
    rules: { "no-restricted-syntax": ["error", ...CONFIG_READS] },
  },
  ...layerBlocks(),
  ...packageBlocks(),
  { name: "layering/config-loader", files: ["infra/config.ts"], rules: { "no-restricted-syntax": "off" } },
  {
    // Programs of their own (team examples' siblings in the tests) read their own stack config.
    name: "layering/program-fixtures",
    files: ["tests/fixtures/programs/**/*.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
);
