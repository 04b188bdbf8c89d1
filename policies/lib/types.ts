/**
 * Pulumi type tokens of the AWS resources the pack inspects. Stack policies match on these strings;
 * resource policies use the @pulumi/aws classes. A test checks each token against its class.
 */
export const T = {
  batchComputeEnvironment: "aws:batch/computeEnvironment:ComputeEnvironment",
  batchJobDefinition: "aws:batch/jobDefinition:JobDefinition",
  batchJobQueue: "aws:batch/jobQueue:JobQueue",
  budget: "aws:budgets/budget:Budget",
  compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  ec2Subnet: "aws:ec2/subnet:Subnet",
  ecrRepository: "aws:ecr/repository:Repository",
  emrCluster: "aws:emr/cluster:Cluster",
  emrInstanceFleet: "aws:emr/instanceFleet:InstanceFleet",
  emrInstanceGroup: "aws:emr/instanceGroup:InstanceGroup",
  emrManagedScalingPolicy: "aws:emr/managedScalingPolicy:ManagedScalingPolicy",
  emrServerlessApplication: "aws:emrserverless/application:Application",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  glueCatalogDatabase: "aws:glue/catalogDatabase:CatalogDatabase",
  glueCrawler: "aws:glue/crawler:Crawler",
  glueDataCatalogEncryptionSettings: "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
  glueJob: "aws:glue/job:Job",
  iamPolicy: "aws:iam/policy:Policy",
  iamRole: "aws:iam/role:Role",
  iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  redshiftCluster: "aws:redshift/cluster:Cluster",
  redshiftLogging: "aws:redshift/logging:Logging",
  redshiftServerlessNamespace: "aws:redshiftserverless/namespace:Namespace",
  redshiftServerlessWorkgroup: "aws:redshiftserverless/workgroup:Workgroup",
  s3Bucket: "aws:s3/bucket:Bucket",
  s3BucketV2: "aws:s3/bucketV2:BucketV2",
  s3BucketLifecycleConfiguration: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  s3BucketLifecycleConfigurationV2: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  s3BucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  s3BucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  s3BucketServerSideEncryptionConfiguration:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  s3BucketServerSideEncryptionConfigurationV2:
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  s3BucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  s3BucketVersioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
  schedule: "aws:scheduler/schedule:Schedule",
  sfnStateMachine: "aws:sfn/stateMachine:StateMachine",
  snsTopic: "aws:sns/topic:Topic",
  sqsQueue: "aws:sqs/queue:Queue",
} as const;

export type TypeToken = (typeof T)[keyof typeof T];

export const BUCKET_TYPES: readonly string[] = [T.s3Bucket, T.s3BucketV2];
