/**
 * Availability Zones a new VPC can use per commercial Region, as of AZ_TABLE_DATE, from AWS's
 * Region and Availability Zone listings:
 *   https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
 *   https://aws.amazon.com/about-aws/global-infrastructure/regions_az/
 * Where a Region has a zone that accounts created today cannot use, the table counts the zones they
 * can (us-west-1: two, which is also why Redshift Serverless accepts three subnets in two zones
 * there: https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html).
 */

export const AZ_TABLE_DATE = "2026-11-27";

export const AVAILABILITY_ZONES: Record<string, number> = {
  "us-east-1": 6,
  "us-east-2": 3,
  "us-west-1": 2,
  "us-west-2": 4,
  "af-south-1": 3,
  "ap-east-1": 3,
  "ap-east-2": 3,
  "ap-south-1": 3,
  "ap-south-2": 3,
  "ap-southeast-1": 3,
  "ap-southeast-2": 3,
  "ap-southeast-3": 3,
  "ap-southeast-4": 3,
  "ap-southeast-5": 3,
  "ap-southeast-6": 3,
  "ap-southeast-7": 3,
  "ap-northeast-1": 3,
  "ap-northeast-2": 4,
  "ap-northeast-3": 3,
  "ca-central-1": 3,
  "ca-west-1": 3,
  "eu-central-1": 3,
  "eu-central-2": 3,
  "eu-west-1": 3,
  "eu-west-2": 3,
  "eu-west-3": 3,
  "eu-south-1": 3,
  "eu-south-2": 3,
  "eu-north-1": 3,
  "il-central-1": 3,
  "me-south-1": 3,
  "me-central-1": 3,
  "mx-central-1": 3,
  "sa-east-1": 3,
};
