/** Cost estimate of a stack from the embedded, dated price table. Pure: no Pulumi imports. */
export * from "./prices";
export * from "./estimate";
export * from "./price-sources";
