import * as aws from "@pulumi/aws";

/**
 * The egress of job workloads that accept no inbound traffic: HTTPS only, to AWS service
 * endpoints (through NAT or the S3 gateway endpoint).
 */
export const HTTPS_ONLY_EGRESS: aws.types.input.ec2.SecurityGroupEgress[] = [
  {
    description: "HTTPS to AWS service endpoints and S3",
    protocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrBlocks: ["0.0.0.0/0"],
  },
];
