export * from "./alert-topic";
export * from "./failure-events";
export * from "./pipeline-alarms";
export * from "./dashboard";
export * from "./trigger-alarms";
