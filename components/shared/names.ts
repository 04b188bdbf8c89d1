/**
 * How components name what AWS sees. A component's physical names (bucket prefixes, alarm, topic,
 * queue and rule names, ...) start with its name prefix: `namePrefix` when given, else the
 * component's own name. No environment or other hidden prefix is added, so two instances with
 * different names (or prefixes) never collide in one account.
 */

/** The naming option every component with physical names takes. */
export interface NamePrefixArgs {
  /**
   * Start of the physical names the component gives its resources (each component documents
   * its names); default: the component's name. Use it to keep names that predate the component's
   * name, or to share one prefix across a team's components.
   */
  namePrefix?: string;
}

/** The prefix of a component's physical names: `args.namePrefix`, else the component's name. */
export function namePrefixOf(name: string, args: NamePrefixArgs): string {
  return args.namePrefix ?? name;
}
