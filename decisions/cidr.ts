/**
 * IPv4 CIDR blocks as AWS stores them. EC2 keeps a block in canonical form, with the host bits
 * cleared ("if you specify 100.68.0.18/18, we modify it to 100.68.0.0/18"):
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html
 * A block with host bits set is therefore never what AWS reports back: the stack would show a
 * change on every update, and the address was most likely meant to be another network.
 */

/** The network address of a well-formed IPv4 CIDR (`10.20.0.7/16` -> `10.20.0.0/16`), or undefined. */
export function canonicalCidr(cidr: string): string | undefined {
  const octet = "(0|[1-9]\\d{0,2})";
  const match = new RegExp(`^${octet}\\.${octet}\\.${octet}\\.${octet}\\/(\\d{1,2})$`).exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(address / size) * size;
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  return `${parts.join(".")}/${prefix}`;
}

/** Why a CIDR has host bits set (naming its network address), or undefined when it has none. */
export function cidrHostBitsError(cidr: string): string | undefined {
  const canonical = canonicalCidr(cidr);
  return canonical !== undefined && canonical !== cidr
    ? `has host bits set: AWS stores the network ${canonical}; write that, or the prefix you meant`
    : undefined;
}
