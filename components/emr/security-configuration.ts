import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Args of EmrSecurityConfiguration: the KMS key for S3, local disks and logs. */
export interface EmrSecurityConfigurationArgs {
  /** The data lake key: EMRFS (S3) SSE-KMS, local disks and EBS volumes. */
  keyArn: pulumi.Input<string>;
  /**
   * s3:// URI of a zip with PEM certificates (privateKey.pem, certificateChain.pem,
   * trustedCertificates.pem) for in-transit encryption. Without it in-transit encryption stays off:
   * EMR needs certificates for the cluster's internal TLS, and traffic stays inside private subnets.
   */
  inTransitCertificatesS3Uri?: pulumi.Input<string>;
}

/** The security configuration document in EMR's JSON shape. */
export function securityConfigurationDocument(keyArn: string, inTransitCertificatesS3Uri?: string): object {
  const encryption: Record<string, unknown> = {
    EnableInTransitEncryption: inTransitCertificatesS3Uri !== undefined,
    EnableAtRestEncryption: true,
    AtRestEncryptionConfiguration: {
      S3EncryptionConfiguration: { EncryptionMode: "SSE-KMS", AwsKmsKey: keyArn },
      LocalDiskEncryptionConfiguration: {
        EncryptionKeyProviderType: "AwsKms",
        AwsKmsKey: keyArn,
        // Also the EBS root and storage volumes (EMR 5.24+), not only the instance-store/LUKS volumes.
        EnableEbsEncryption: true,
      },
    },
  };
  if (inTransitCertificatesS3Uri !== undefined) {
    encryption.InTransitEncryptionConfiguration = {
      TLSCertificateConfiguration: { CertificateProviderType: "PEM", S3Object: inTransitCertificatesS3Uri },
    };
  }
  return { EncryptionConfiguration: encryption };
}

/**
 * An EMR security configuration: data at rest encrypted with the lake key (EMRFS objects with
 * SSE-KMS, local disks and EBS volumes with AwsKms). The instance role and the service role need
 * the key (EmrClusterRoles grants both).
 */
export class EmrSecurityConfiguration extends pulumi.ComponentResource {
  readonly securityConfiguration: aws.emr.SecurityConfiguration;
  /** The name clusters refer to. */
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: EmrSecurityConfigurationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:emr:SecurityConfiguration", name, {}, opts);
    const configuration = pulumi
      .all([args.keyArn, args.inTransitCertificatesS3Uri])
      .apply(([keyArn, certificates]) => JSON.stringify(securityConfigurationDocument(keyArn, certificates)));
    this.securityConfiguration = new aws.emr.SecurityConfiguration(
      name,
      { namePrefix: `${name}-`, configuration },
      { parent: this },
    );
    this.name = this.securityConfiguration.name;
    this.registerOutputs({ name: this.name });
  }
}
