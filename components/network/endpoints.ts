/**
 * The AWS APIs each platform workload calls from private subnets, besides S3 (which the network's
 * gateway endpoint serves). With NAT gateways these calls reach the public service endpoints; a
 * network without NAT (`natGateways: none`) must give each called service an interface endpoint
 * with private DNS, or the workload fails at its first call. One table, used by the Network
 * component (which endpoints to create) and by the deploy-rules stage (which ones a stack needs).
 */

/** Services reached through interface endpoints, as in `com.amazonaws.<region>.<service>`. */
export const ENDPOINT_SERVICES = [
  "glue",
  "lakeformation",
  "elasticmapreduce",
  "kms",
  "logs",
  "ecr.api",
  "ecr.dkr",
  "secretsmanager",
] as const;
export type EndpointService = (typeof ENDPOINT_SERVICES)[number];

/** Workloads the platform places in the network's private subnets. */
export type NetworkWorkload =
  "emrCluster" | "emrServerless" | "glueConnection" | "batchFargate" | "redshiftSpectrum";

export interface WorkloadEndpoints {
  /** The workload as the subject of a sentence ("an EMR Serverless application"). */
  description: string;
  services: EndpointService[];
  /** Why each service is called, and where AWS documents the private route to it. */
  docs: string[];
}

const GLUE_ENDPOINT = "https://docs.aws.amazon.com/glue/latest/dg/vpc-endpoint.html";
const KMS_ENDPOINT = "https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html";
const LOGS_ENDPOINT =
  "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch-logs-and-interface-VPC.html";

export const WORKLOAD_ENDPOINTS: Record<NetworkWorkload, WorkloadEndpoints> = {
  emrCluster: {
    description: "an EMR on EC2 cluster",
    // Nodes talk to the EMR service, read the Glue Data Catalog (the platform's metastore) and
    // encrypt local disks with the lake key (AwsKms provider), all from the private subnet.
    services: ["elasticmapreduce", "glue", "kms"],
    docs: [
      "https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-clusters-in-a-vpc.html",
      "https://docs.aws.amazon.com/emr/latest/ManagementGuide/interface-vpc-endpoint.html",
      GLUE_ENDPOINT,
      KMS_ENDPOINT,
    ],
  },
  emrServerless: {
    description: "an EMR Serverless application",
    // "For connectivity to other AWS services outside the VPC ... configure either VPC endpoints or
    // a NAT gateway": the Glue Data Catalog, CloudWatch Logs (driver/executor logs) and KMS (logs
    // encrypted with the lake key).
    services: ["glue", "logs", "kms"],
    docs: [
      "https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/vpc-access.html",
      GLUE_ENDPOINT,
      LOGS_ENDPOINT,
      KMS_ENDPOINT,
    ],
  },
  glueConnection: {
    description: "a Glue job or crawler on a network connection",
    // Their workers run in the connection's subnet: the Glue API and Data Catalog, the connection's
    // Secrets Manager secret, real-time logs, and KMS for the security configuration.
    services: ["glue", "secretsmanager", "logs", "kms"],
    docs: [
      "https://docs.aws.amazon.com/glue/latest/dg/setup-vpc-for-glue-access.html",
      GLUE_ENDPOINT,
      "https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html",
      LOGS_ENDPOINT,
      KMS_ENDPOINT,
    ],
  },
  batchFargate: {
    description: "an AWS Batch job on Fargate",
    // Fargate pulls the image from ECR (API and Docker endpoints, layers from S3) and sends the
    // awslogs driver's output to CloudWatch Logs.
    services: ["ecr.api", "ecr.dkr", "logs"],
    docs: ["https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html", LOGS_ENDPOINT],
  },
  redshiftSpectrum: {
    description: "Redshift querying the lake (Spectrum) with enhanced VPC routing",
    // Enhanced VPC routing sends Spectrum's Glue Data Catalog and Lake Formation calls through the VPC.
    services: ["glue", "lakeformation"],
    docs: [
      "https://docs.aws.amazon.com/redshift/latest/mgmt/spectrum-enhanced-vpc.html",
      "https://aws.amazon.com/premiumsupport/knowledge-center/redshift-enhanced-vpc-routing/",
      "https://aws.amazon.com/blogs/big-data/enhance-data-security-and-governance-for-amazon-redshift-spectrum-with-vpc-endpoints/",
    ],
  },
};

/** The interface endpoints a set of workloads needs without NAT, in a stable order. */
export function endpointServicesFor(workloads: Iterable<NetworkWorkload>): EndpointService[] {
  const needed = new Set([...workloads].flatMap((workload) => WORKLOAD_ENDPOINTS[workload].services));
  return ENDPOINT_SERVICES.filter((service) => needed.has(service));
}
