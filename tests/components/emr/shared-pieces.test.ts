import { strict as assert } from "assert";
import {
  EmrCluster,
  EmrSecurityConfiguration,
  EmrSecurityGroups,
  EmrSubnetTags,
  securityConfigurationDocument,
} from "../../../components/emr";
import { synthesizeComponents } from "../../support/synth";
import { foundation } from "./fixtures";

describe("EMR shared pieces", () => {
  it("turns in-transit encryption on only with PEM certificates", () => {
    const document: any = securityConfigurationDocument("arn:key", "s3://artifacts/certs/emr.zip");
    assert.equal(document.EncryptionConfiguration.EnableInTransitEncryption, true);
    assert.deepEqual(document.EncryptionConfiguration.InTransitEncryptionConfiguration, {
      TLSCertificateConfiguration: {
        CertificateProviderType: "PEM",
        S3Object: "s3://artifacts/certs/emr.zip",
      },
    });
    const without: any = securityConfigurationDocument("arn:key");
    assert.equal(without.EncryptionConfiguration.EnableInTransitEncryption, false);
    assert.equal(without.EncryptionConfiguration.InTransitEncryptionConfiguration, undefined);
  });

  it("lets clusters share security groups and a security configuration", async () => {
    const result = await synthesizeComponents((opts) => {
      const { lake, network, access } = foundation(opts);
      const securityGroups = new EmrSecurityGroups("emr-shared", { vpcId: network.vpcId }, opts);
      const securityConfiguration = new EmrSecurityConfiguration(
        "emr-shared",
        { keyArn: lake.key.arn },
        opts,
      );
      for (const name of ["orders", "returns"]) {
        new EmrCluster(
          name,
          {
            pipeline: name,
            tier: "standard",
            minCapacityUnits: 4,
            maxCapacityUnits: 16,
            idleTimeoutMinutes: 20,
            dataLake: lake,
            access,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            securityGroups,
            securityConfiguration,
          },
          opts,
        );
      }
    });
    assert.equal(result.ofType("aws:emr/securityConfiguration:SecurityConfiguration").length, 1);
    assert.equal(
      result
        .ofType("aws:ec2/securityGroup:SecurityGroup")
        .filter((group) => group.name.startsWith("emr-shared")).length,
      3,
    );
    const clusters = result.ofType("aws:emr/cluster:Cluster");
    assert.deepEqual(
      clusters.map((cluster) => [
        cluster.inputs.securityConfiguration,
        cluster.inputs.ec2Attributes.emrManagedMasterSecurityGroup,
      ]),
      [
        ["emr-shared", "sg-emr-shared-primary"],
        ["emr-shared", "sg-emr-shared-primary"],
      ],
    );
    // Each pipeline keeps its own roles.
    assert.equal(result.ofType("aws:iam/instanceProfile:InstanceProfile").length, 2);
  });

  it("tags existing subnets for the EMR v2 service policy", async () => {
    const result = await synthesizeComponents((opts) => {
      new EmrSubnetTags("emr-subnets", { subnetIds: ["subnet-a", "subnet-b"] }, opts);
    });
    assert.deepEqual(
      result
        .ofType("aws:ec2/tag:Tag")
        .map((tag) => [tag.inputs.resourceId, tag.inputs.key, tag.inputs.value]),
      [
        ["subnet-a", "for-use-with-amazon-emr-managed-policies", "true"],
        ["subnet-b", "for-use-with-amazon-emr-managed-policies", "true"],
      ],
    );
  });
});
