import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { App } from 'cdk8s';
import { Problems } from '../../lib/core/errors';
import { PlatformDeployment } from '../../lib/pulumi/platform-deployment';
import {
  AwsCluster,
  AwsPool,
  BackupBucket,
  bootstrapTalosOnMetal,
  clusterProvider,
  ProvisionedCluster,
  provisionTarget,
  StackConfig,
} from '../../lib/pulumi/provision';
import { TalosCluster } from '../../constructs/nodes/talos-cluster';
import { TalosRole } from '../../constructs/nodes/talos-node';
import { TenantQuota } from '../../constructs/platform/tenant';
import { exampleHostingSettings, hostingPlatform, HostingSettings } from './platform';

/** The config namespace of this stack: `pulumi config set hosting:<key> …`. */
export const namespace = 'hosting';

interface NodeEntry {
  readonly name: string;
  readonly role: TalosRole;
  /** Address with prefix length, e.g. `192.168.100.11/24`. */
  readonly address: string;
  readonly installDisk?: string;
  /** Metal only: the address the machine has in maintenance mode (DHCP), before its first config. */
  readonly maintenanceAddress?: string;
}

interface MetalSettings {
  readonly nodes: readonly NodeEntry[];
  readonly network: { readonly link: string; readonly gateway?: string; readonly nameservers?: readonly string[] };
  readonly vip?: string;
  readonly installDisk?: string;
  /** Address ranges MetalLB announces. @default - no MetalLB */
  readonly loadBalancerAddresses?: readonly string[];
  /** Block devices each node gives to LINSTOR's ZFS pool. @default - no LINSTOR */
  readonly storageDevices?: readonly string[];
  /** S3 target of database backups; the keys come from `kubestrata:secrets.backup-s3.*`. */
  readonly backup: { readonly bucket: string; readonly endpoint?: string };
}

interface AwsSettings {
  readonly region: string;
  readonly adminCidrs: readonly string[];
  readonly nodes: readonly NodeEntry[];
  readonly pools: readonly AwsPool[];
  readonly network?: { readonly cidr?: string; readonly subnets?: readonly string[]; readonly availabilityZones?: readonly string[] };
  /** The link Talos names the instance's interface. @default 'eth0' */
  readonly link?: string;
  /** @default `<project>-<stack>-backups` */
  readonly backupBucket?: string;
}

/**
 * The hosting platform on Talos: machines (bare metal configured with talosctl, or EC2), the cluster, then every
 * layer and tenant of the platform through the cluster's kubeconfig. Kube-OVN with Cilium chained behind it, as
 * Cozystack runs them, decide the nodes' CNI and kube-proxy settings.
 */
export function program(config: StackConfig): Record<string, pulumi.Input<unknown>> {
  const problems = new Problems(`${namespace} config`);
  const target = provisionTarget(config, problems);
  const metal = config.get<MetalSettings>('metal');
  const awsSettings = config.get<AwsSettings>('aws');
  if (target === 'metal')
    problems.check(
      metal !== undefined,
      'metal',
      metal,
      'is required for target "metal": nodes, network and backup',
      "pulumi config set --path 'hosting:metal.nodes[0].name' cp1 …",
    );
  if (target === 'aws')
    problems.check(
      awsSettings !== undefined,
      'aws',
      awsSettings,
      'is required for target "aws": region, adminCidrs, nodes and pools',
      "pulumi config set --path 'hosting:aws.region' eu-central-1 …",
    );
  problems.throwIfAny();
  const tenants = config.get<Record<string, TenantQuota>>('tenants') ?? exampleHostingSettings.tenants;
  const clusterName = config.get<string>('clusterName') ?? 'cozy';
  const virtualization = config.get<HostingSettings['virtualization']>('virtualization');

  let awsProvider: aws.Provider | undefined;
  let bucket: BackupBucket | undefined;
  let settings: HostingSettings;
  if (target === 'aws') {
    awsProvider = new aws.Provider('aws-provider', { region: awsSettings!.region as aws.Region });
    const bucketName = awsSettings!.backupBucket ?? `${pulumi.getProject()}-${config.stack}-backups`;
    bucket = new BackupBucket('backups', { bucketName, region: awsSettings!.region }, { providers: [awsProvider] });
    settings = { tenants, backupBucket: bucket.destination, backupEndpoint: bucket.endpointUrl, virtualization };
  } else {
    settings = {
      tenants,
      virtualization,
      backupBucket: metal!.backup.bucket,
      backupEndpoint: metal!.backup.endpoint,
      loadBalancerAddresses: metal!.loadBalancerAddresses,
      storageDevices: metal!.storageDevices,
    };
  }

  const platform = hostingPlatform(new App(), settings);
  const cluster =
    target === 'aws'
      ? new TalosCluster(platform, clusterName, {
          network: { link: awsSettings!.link ?? 'eth0' },
          imagePlatform: 'aws',
          installDisk: '/dev/nvme0n1',
        })
      : new TalosCluster(platform, clusterName, { network: metal!.network, vip: metal!.vip, installDisk: metal!.installDisk });
  for (const node of (target === 'aws' ? awsSettings! : metal!).nodes) {
    cluster.addNode(node.name, { role: node.role, address: node.address, installDisk: node.installDisk });
  }

  const talosSecrets = config.getSecret('talosSecrets');
  const provisioned: ProvisionedCluster =
    target === 'aws'
      ? new AwsCluster(
          'aws',
          cluster,
          {
            adminCidrs: awsSettings!.adminCidrs,
            pools: awsSettings!.pools,
            network: awsSettings!.network,
            talosSecrets,
            tags: { 'kubestrata.io/stack': `${namespace}-${config.stack}` },
          },
          { providers: [awsProvider!] },
        )
      : bootstrapTalosOnMetal('talos', cluster, {
          secrets: talosSecrets,
          maintenanceAddresses: Object.fromEntries(
            metal!.nodes.filter((n) => n.maintenanceAddress).map((n) => [n.name, n.maintenanceAddress!]),
          ),
        });

  const provider = clusterProvider('cluster', provisioned.kubeconfig, [provisioned.ready]);
  const backupKeys = bucket && {
    'backup-s3': {
      ACCESS_KEY_ID: bucket.credentials.apply((c) => c.ACCESS_KEY_ID),
      ACCESS_SECRET_KEY: bucket.credentials.apply((c) => c.ACCESS_SECRET_KEY),
    },
  };
  const deployment = new PlatformDeployment(
    'platform',
    { platform, provider, secrets: config.secretValues(backupKeys) },
    { dependsOn: [provisioned.ready] },
  );
  return {
    kubeconfig: provisioned.kubeconfig,
    endpoint: cluster.endpoint,
    backupBucket: bucket?.bucket.id,
    objects: deployment.resources.size,
  };
}
