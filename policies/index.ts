/**
 * Entry point the Pulumi engine runs (`pulumi preview --policy-pack policies`). Constructing the
 * PolicyPack starts the analyzer gRPC server, so only this file does it; everything else imports
 * ./pack.
 */
import { PolicyPack } from "@pulumi/policy";
import { shareDeserializedProperties } from "./lib/shared-properties";
import { PACK_DESCRIPTION, PACK_NAME, policies } from "./pack";

shareDeserializedProperties();

new PolicyPack(PACK_NAME, {
  description: PACK_DESCRIPTION,
  displayName: "Batch data platform",
  provider: "aws",
  tags: ["aws", "cost", "operations", "catalog", "security", "tagging"],
  // Each policy sets its own default level; policies/config/<env>.json sets the level per environment.
  enforcementLevel: "advisory",
  policies,
});
