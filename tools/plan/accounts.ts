/**
 * One AWS account per environment. The Data Catalog's encryption settings and the Lake Formation
 * settings (its administrators) are single resources per account and Region: two stacks deploying
 * into one account would each overwrite the other's, and each would delete them on destroy. So no two
 * stack files may name the same `deployment.accountId`.
 */
import { PROJECT } from "../../infra/config";

export const ACCOUNT_KEY = `${PROJECT}:deployment.accountId`;

/** The account a stack's flat config names, if it names one (the config is not validated here). */
export function accountOf(config: Record<string, string>): string | undefined {
  const block = config[`${PROJECT}:deployment`];
  if (block === undefined) return undefined;
  try {
    const accountId = (JSON.parse(block) as { accountId?: unknown } | null)?.accountId;
    return typeof accountId === "string" || typeof accountId === "number" ? String(accountId) : undefined;
  } catch {
    return undefined;
  }
}

/** Why `stack` may not deploy into its account: the other stacks that name the same one. */
export function sharedAccountError(
  stack: string,
  configs: Readonly<Record<string, Record<string, string>>>,
): string | undefined {
  const account = accountOf(configs[stack] ?? {});
  if (account === undefined) return undefined;
  const others = Object.keys(configs)
    .filter((other) => other !== stack && accountOf(configs[other]) === account)
    .sort();
  if (others.length === 0) return undefined;
  const files = others.map((other) => `Pulumi.${other}.yaml`).join(", ");
  return (
    `${ACCOUNT_KEY}: account ${account} is also the account of ${files}. Each environment needs an ` +
    "account of its own: the Data Catalog encryption settings and the Lake Formation settings are one " +
    "per account and Region, so two stacks there would overwrite (and on destroy delete) each other's."
  );
}
