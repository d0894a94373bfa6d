import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { versions } from '../../versions';

/**
 * The official Talos AMI of `talosVersion` in the provider's region (Sidero Labs publishes one per region, named
 * `talos-<version>-<region>-amd64`). A read at deployment time; instances ignore later changes of it.
 */
export function talosAmi(talosVersion: string = versions.talos.version, opts?: pulumi.InvokeOutputOptions): pulumi.Output<string> {
  return aws.ec2.getAmiOutput(
    {
      owners: [versions.aws.talosAmiOwner],
      mostRecent: true,
      filters: [
        { name: 'name', values: [`talos-${talosVersion}-*-amd64`] },
        { name: 'architecture', values: ['x86_64'] },
      ],
    },
    opts,
  ).id;
}

/** Canonical's Ubuntu Server AMI of the pinned release in the provider's region, for K3s machines. */
export function ubuntuAmi(opts?: pulumi.InvokeOutputOptions): pulumi.Output<string> {
  return aws.ec2.getAmiOutput(
    {
      owners: [versions.aws.ubuntu.owner],
      mostRecent: true,
      filters: [
        { name: 'name', values: [versions.aws.ubuntu.name] },
        { name: 'architecture', values: ['x86_64'] },
        { name: 'virtualization-type', values: ['hvm'] },
      ],
    },
    opts,
  ).id;
}
