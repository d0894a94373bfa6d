import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { App } from 'cdk8s';
import { Problems } from '../../lib/core/errors';
import { PlatformDeployment } from '../../lib/pulumi/platform-deployment';
import {
  AwsCluster,
  AwsPool,
  bootstrapK3sOnMetal,
  clusterProvider,
  ProvisionedCluster,
  provisionTarget,
  StackConfig,
} from '../../lib/pulumi/provision';
import { K3sCluster } from '../../constructs/nodes/k3s-cluster';
import { K3sRole } from '../../constructs/nodes/k3s-node';
import { examplePersonalCloudSettings, personalCloudPlatform } from './platform';

/** The config namespace of this stack: `pulumi config set personal-cloud:<key> …`. */
export const namespace = 'personal-cloud';

interface NodeEntry {
  readonly name: string;
  readonly role: K3sRole;
  /** The node's address, e.g. `192.168.1.10`. */
  readonly address: string;
}

interface MetalSettings {
  readonly nodes: readonly NodeEntry[];
  /** A user that may run `sudo -n`. @default 'root' */
  readonly sshUser?: string;
  /** SSH hosts by node name, when they differ from the node addresses. @default {} */
  readonly sshHosts?: Readonly<Record<string, string>>;
}

interface AwsSettings {
  readonly region: string;
  readonly adminCidrs: readonly string[];
  readonly nodes: readonly NodeEntry[];
  readonly pools: readonly AwsPool[];
  readonly network?: { readonly cidr?: string; readonly subnets?: readonly string[]; readonly availabilityZones?: readonly string[] };
  /** The OpenSSH public key of `personal-cloud:sshPrivateKey`. */
  readonly sshPublicKey: string;
}

/**
 * The personal cloud on K3s: machines (bare metal over SSH, or EC2), the cluster in join order, then the platform
 * through the cluster's kubeconfig. Calico instead of Flannel and K3s's local-path volumes, as Olares runs them,
 * decide the nodes' settings.
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
      'is required for target "metal": the nodes',
      "pulumi config set --path 'personal-cloud:metal.nodes[0].name' home …",
    );
  if (target === 'aws')
    problems.check(
      awsSettings !== undefined,
      'aws',
      awsSettings,
      'is required for target "aws": region, adminCidrs, nodes, pools and sshPublicKey',
      "pulumi config set --path 'personal-cloud:aws.region' eu-central-1 …",
    );
  problems.throwIfAny();
  const privateKey = config.requireSecret('sshPrivateKey');

  const platform = personalCloudPlatform(new App(), {
    owner: config.get<string>('owner') ?? examplePersonalCloudSettings.owner,
    gpu: config.get<boolean>('gpu') ?? false,
    hosts: config.get<Record<string, string>>('hosts'),
  });
  const cluster = new K3sCluster(platform, config.get<string>('clusterName') ?? 'home');
  for (const node of (target === 'aws' ? awsSettings! : metal!).nodes)
    cluster.addNode(node.name, { role: node.role, address: node.address });

  const secrets = config.secretValues();
  const tokenValue = secrets[cluster.token.name]?.token;
  if (tokenValue === undefined) {
    new Problems(`${namespace} config`)
      .add(
        `kubestrata:secrets.${cluster.token.name}.token`,
        undefined,
        'is required: it joins the nodes',
        `pulumi config set --secret --path 'kubestrata:secrets.${cluster.token.name}.token' "$(openssl rand -hex 32)"`,
      )
      .throwIfAny();
  }
  const token = pulumi.secret(pulumi.output(tokenValue!));

  let provisioned: ProvisionedCluster;
  if (target === 'aws') {
    const awsProvider = new aws.Provider('aws-provider', { region: awsSettings!.region as aws.Region });
    provisioned = new AwsCluster(
      'aws',
      cluster,
      {
        adminCidrs: awsSettings!.adminCidrs,
        pools: awsSettings!.pools,
        network: awsSettings!.network,
        token,
        ssh: { publicKey: awsSettings!.sshPublicKey, privateKey },
        tags: { 'kubestrata.io/stack': `${namespace}-${config.stack}` },
      },
      { providers: [awsProvider] },
    );
  } else {
    provisioned = bootstrapK3sOnMetal('k3s', cluster, { token, privateKey, user: metal!.sshUser, hosts: metal!.sshHosts });
  }

  const provider = clusterProvider('cluster', provisioned.kubeconfig, [provisioned.ready]);
  const deployment = new PlatformDeployment('platform', { platform, provider, secrets }, { dependsOn: [provisioned.ready] });
  return { kubeconfig: provisioned.kubeconfig, server: cluster.serverUrl, objects: deployment.resources.size };
}
