/**
 * The policies of the batch-data-platform pack, importable without starting the pack (tests and
 * the offline check import this module; index.ts serves it to the Pulumi engine).
 */
import { PackResourcePolicy, PackStackPolicy } from "./lib/define";
import { bucketLifecycleRules } from "./cost/bucket-lifecycle-rules";
import { budgetWithNotifications } from "./cost/budget-with-notifications";
import { emrAutoTermination } from "./cost/emr-auto-termination";
import { emrManagedScaling } from "./cost/emr-managed-scaling";
import { estimatedCostWithinBudget } from "./cost/estimated-cost-within-budget";
import { flexibleTierSpotOrGraviton } from "./cost/flexible-tier-spot-or-graviton";
import { glueJobAutoScaling } from "./cost/glue-job-auto-scaling";
import { glueJobWorkerLimits } from "./cost/glue-job-worker-limits";
import { instanceTypesAllowed } from "./cost/instance-types-allowed";
import { logGroupRetention } from "./cost/log-group-retention";
import { alarmHasActions } from "./operations/alarm-has-actions";
import { batchJobTimeout } from "./operations/batch-job-timeout";
import { batchRetrySpotReclaim } from "./operations/batch-retry-spot-reclaim";
import { eventTargetDlqRetry } from "./operations/event-target-dlq-retry";
import { failureAlertingCoverage } from "./operations/failure-alerting-coverage";
import { glueIncrementalBookmarks } from "./operations/glue-incremental-bookmarks";
import { glueJobTimeout } from "./operations/glue-job-timeout";
import { stateMachineLoggingTracing } from "./operations/state-machine-logging-tracing";
import { stateMachineTimeouts } from "./operations/state-machine-timeouts";
import { catalogEncryptionSettings } from "./catalog/catalog-encryption-settings";
import { centralCatalogOwnership } from "./catalog/central-catalog-ownership";
import { emrGlueCatalog } from "./catalog/emr-glue-catalog";
import { glueJobCatalogEnabled } from "./catalog/glue-job-catalog-enabled";
import { noExternalMetastore } from "./catalog/no-external-metastore";
import { ecrScanImmutable } from "./security/ecr-scan-immutable";
import { emrPrivateSubnet } from "./security/emr-private-subnet";
import { emrSecurityConfiguration } from "./security/emr-security-configuration";
import { glueSecurityConfiguration } from "./security/glue-security-configuration";
import { iamNoWildcardActions } from "./security/iam-no-wildcard-actions";
import { redshiftEncryptedPrivateLogged } from "./security/redshift-encrypted-private-logged";
import { s3BucketPublicAccessBlock } from "./security/s3-bucket-public-access-block";
import { s3BucketSseKms } from "./security/s3-bucket-sse-kms";
import { s3BucketTlsOnly } from "./security/s3-bucket-tls-only";
import { s3BucketVersioning } from "./security/s3-bucket-versioning";
import { snsTopicEncrypted } from "./security/sns-topic-encrypted";
import { sqsQueueEncrypted } from "./security/sqs-queue-encrypted";
import { requiredTags } from "./tagging/required-tags";

export const PACK_NAME = "batch-data-platform";

export const PACK_DESCRIPTION =
  "Cost, operations, central catalog, security and tagging rules for the AWS batch data platform.";

/** A policy of the pack: the SDK's fields plus the pack's metadata (resourceTypes). */
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

export const policies: PackPolicy[] = [
  // cost
  flexibleTierSpotOrGraviton,
  emrAutoTermination,
  emrManagedScaling,
  instanceTypesAllowed,
  glueJobWorkerLimits,
  glueJobAutoScaling,
  logGroupRetention,
  bucketLifecycleRules,
  budgetWithNotifications,
  estimatedCostWithinBudget,
  // operations
  glueJobTimeout,
  batchJobTimeout,
  stateMachineTimeouts,
  batchRetrySpotReclaim,
  failureAlertingCoverage,
  alarmHasActions,
  glueIncrementalBookmarks,
  eventTargetDlqRetry,
  stateMachineLoggingTracing,
  // central catalog
  emrGlueCatalog,
  noExternalMetastore,
  glueJobCatalogEnabled,
  centralCatalogOwnership,
  catalogEncryptionSettings,
  // security
  s3BucketSseKms,
  s3BucketPublicAccessBlock,
  s3BucketTlsOnly,
  s3BucketVersioning,
  glueSecurityConfiguration,
  emrSecurityConfiguration,
  emrPrivateSubnet,
  redshiftEncryptedPrivateLogged,
  ecrScanImmutable,
  snsTopicEncrypted,
  sqsQueueEncrypted,
  iamNoWildcardActions,
  // tagging
  requiredTags,
];

export { appliedExemptions, clearAppliedExemptions, setExemptionSink } from "./lib/exemptions";
