/** EMR on EC2 and EMR Serverless components. */
export * from "./cluster";
export * from "./data-access";
export * from "./fleets";
export * from "./roles";
export * from "./security-configuration";
export * from "./security-groups";
export * from "./serverless-application";
export * from "./transient-cluster";
