export * from "./access";
export * from "./connection";
export * from "./crawler";
export * from "./etl-job";
export * from "./security-configuration";
export * from "./workflow";
