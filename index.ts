/**
 * batch-data-platform: Pulumi components for an AWS batch data platform (the AWS Well-Architected
 * Analytics Lens reference for batch processing), and the decisions behind them.
 *
 * Every component is a `pulumi.ComponentResource` with a `bdp:<area>:<Name>` type token. Each
 * names its AWS resources after its own name (or `namePrefix`), so two instances never collide,
 * and components that use a data lake take only the buckets and key they need
 * (`Pick<DataLakeRef, ...>`), so an existing lake or bucket plugs in. Each exports a pure
 * `validate<Name>Args` that lists every problem with its arguments, which the constructor throws
 * as one `InvalidArgsError`.
 *
 * Testing helpers (mocks, synthesis) are in `batch-data-platform/testing`.
 *
 * @packageDocumentation
 */

// Shared: naming, data locations, errors, IAM documents, tags, account scope.
export * from "./components/shared/names";
export * from "./components/shared/locations";
export * from "./components/shared/args";
export * from "./components/shared/aws-scope";
export * from "./components/shared/iam";
export * from "./components/shared/tags";
export * from "./components/shared/log-group";
export * from "./components/shared/s3-folder";

// Storage and catalog.
export * from "./components/storage/data-lake";
export * from "./components/storage/kms";
export * from "./components/storage/job-script";
export * from "./components/catalog/central-catalog";
export * from "./components/catalog/grants";

// Compute engines.
export * from "./components/glue";
export * from "./components/emr";
export * from "./components/batch/compute";
export * from "./components/batch/job-contract";
export * from "./components/batch/job-definition";
export * from "./components/containers/image";
export * from "./components/containers/repository";

// Network, runs, monitoring, cost, warehouse.
export * from "./components/network/network";
export * from "./components/network/endpoints";
export * from "./components/orchestration/state-machine";
export * from "./components/triggers/target";
export * from "./components/triggers/schedule-trigger";
export * from "./components/triggers/s3-upload-trigger";
export * from "./components/monitoring";
export * from "./components/monitoring/failure-rule-alarms";
export * from "./components/cost/budget";
export * from "./components/warehouse/warehouse";

// Each engine's monitoring facts: its failure-event rule, alarms and dashboard widgets.
export * from "./engines/glue/monitoring";
export * from "./engines/emr/monitoring";
export * from "./engines/emr-serverless/monitoring";
export * from "./engines/batch/monitoring";

// Decisions: the pure rules the components follow (SLA tiers, capacity, names, schedules).
export * from "./decisions/sla-tier";
export * from "./decisions/glue";
export * from "./decisions/batch";
export * from "./decisions/emr";
export * from "./decisions/fargate";
export * from "./decisions/lifecycle";
export * from "./decisions/logs";
export * from "./decisions/problems";
export * from "./decisions/s3";
export { glueDatabaseName, glueDatabasePrefixError } from "./decisions/locations";
export type { AlarmWindow } from "./decisions/alarms";
export { pauseScheduleProblems } from "./decisions/warehouse/pause-schedule";
export type { ClusterAction, PauseSchedule } from "./decisions/warehouse/pause-schedule";
export * as orchestration from "./decisions/orchestration";
