import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { DataLakeRef } from "../shared/locations";

/** Physical name: the component's name. */
export interface GlueSecurityConfigurationArgs {
  /** Its key encrypts everything Glue writes. */
  dataLake: Pick<DataLakeRef, "keyArn">;
}

/**
 * A Glue security configuration, shared by the jobs and crawlers that name it: S3 output
 * SSE-KMS, CloudWatch logs SSE-KMS (the only mode CloudWatch supports) and job bookmarks CSE-KMS,
 * all with the lake key. Its name is part of the log group names Glue writes to.
 */
export class GlueSecurityConfiguration extends pulumi.ComponentResource {
  readonly resource: aws.glue.SecurityConfiguration;
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: GlueSecurityConfigurationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:glue:SecurityConfiguration", name, {}, opts);
    const keyArn = args.dataLake.keyArn;
    this.resource = new aws.glue.SecurityConfiguration(
      name,
      {
        name,
        encryptionConfiguration: {
          s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: keyArn },
          cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: keyArn },
          jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: keyArn },
        },
      },
      // Glue cannot update a security configuration and its name is fixed: replace by delete first.
      { parent: this, deleteBeforeReplace: true },
    );
    this.name = this.resource.name;
    this.registerOutputs({ name: this.name });
  }
}
