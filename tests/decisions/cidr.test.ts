import { strict as assert } from "assert";
import { canonicalCidr, cidrHostBitsError } from "../../decisions/cidr";

describe("CIDR blocks", () => {
  it("clear the host bits the way EC2 stores a block", () => {
    assert.equal(canonicalCidr("10.20.0.7/16"), "10.20.0.0/16");
    assert.equal(canonicalCidr("192.168.1.129/25"), "192.168.1.128/25");
    assert.equal(canonicalCidr("255.255.255.255/32"), "255.255.255.255/32");
    assert.equal(canonicalCidr("10.1.2.3/0"), "0.0.0.0/0");
  });

  it("leave malformed blocks to the format check", () => {
    for (const cidr of ["10.020.0.0/16", "256.0.0.0/8", "10.0.0.0/33", "10.0.0/16", "10.0.0.0"]) {
      assert.equal(canonicalCidr(cidr), undefined, cidr);
      assert.equal(cidrHostBitsError(cidr), undefined, cidr);
    }
  });

  it("name the network a block with host bits means", () => {
    assert.equal(cidrHostBitsError("10.20.0.0/16"), undefined);
    assert.match(
      cidrHostBitsError("10.20.0.1/16")!,
      /host bits set: AWS stores the network 10\.20\.0\.0\/16/,
    );
  });
});
