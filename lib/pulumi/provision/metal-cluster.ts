import * as pulumi from '@pulumi/pulumi';
import { K3sBootstrap, SshAccess } from './k3s-bootstrap';
import { TalosBootstrap } from './talos-bootstrap';
import { K3sCluster } from '../../../constructs/nodes/k3s-cluster';
import { TalosCluster } from '../../../constructs/nodes/talos-cluster';
import { k3sMachines } from './k3s-machines';
import { ProvisionedCluster } from './provisioned-cluster';
import { talosBootstrapArgs } from './talos-machines';

export interface MetalTalosOptions {
  /** The secrets bundle YAML. @default - generated once by talosctl */
  readonly secrets?: pulumi.Input<string>;
  /** Where a node waits in maintenance mode for its first config, by node id. @default - its node address */
  readonly maintenanceAddresses?: Readonly<Record<string, string>>;
  /** Wipe a node (`talosctl reset`) when it is removed from the stack. @default false */
  readonly resetOnDelete?: boolean;
  /** @default 'talosctl' */
  readonly talosctl?: string;
  /** @default '20m' */
  readonly timeout?: string;
}

/** Configures the machines of a Talos cluster with talosctl from where `pulumi up` runs, then bootstraps it. */
export function bootstrapTalosOnMetal(
  name: string,
  cluster: TalosCluster,
  options: MetalTalosOptions = {},
  opts: pulumi.ComponentResourceOptions = {},
): ProvisionedCluster & { readonly bootstrap: TalosBootstrap } {
  const bootstrap = new TalosBootstrap(
    name,
    {
      ...talosBootstrapArgs(cluster, (id) => ({ maintenanceEndpoint: options.maintenanceAddresses?.[id] })),
      secrets: options.secrets,
      resetOnDelete: options.resetOnDelete,
      talosctl: options.talosctl,
      timeout: options.timeout,
    },
    opts,
  );
  return { bootstrap, kubeconfig: bootstrap.kubeconfig, ready: bootstrap.ready };
}

export interface MetalK3sOptions {
  /** The cluster token (secret), the value of `cluster.token`. */
  readonly token: pulumi.Input<string>;
  /** The SSH private key (secret). */
  readonly privateKey: pulumi.Input<string>;
  /** @default 'root' */
  readonly user?: string;
  /** SSH hosts by node id, when they differ from the node addresses. @default - the node addresses */
  readonly hosts?: Readonly<Record<string, string>>;
  /** Run the K3s uninstall script when a node is removed from the stack. @default false */
  readonly uninstallOnDelete?: boolean;
}

/** Installs a K3s cluster over SSH in join order and reads its kubeconfig. */
export function bootstrapK3sOnMetal(
  name: string,
  cluster: K3sCluster,
  options: MetalK3sOptions,
  opts: pulumi.ComponentResourceOptions = {},
): ProvisionedCluster & { readonly bootstrap: K3sBootstrap } {
  cluster.check();
  const ssh = (id: string, address: string): SshAccess => ({
    host: options.hosts?.[id] ?? address,
    user: options.user ?? 'root',
    privateKey: options.privateKey,
  });
  const first = cluster.firstServer!;
  const bootstrap = new K3sBootstrap(
    name,
    {
      machines: k3sMachines(cluster, { ssh, token: options.token, uninstallOnDelete: options.uninstallOnDelete }),
      apiServer: cluster.serverUrl,
      tlsServerName: options.hosts?.[first.node.id] ? first.address : undefined,
    },
    opts,
  );
  return { bootstrap, kubeconfig: bootstrap.kubeconfig, ready: bootstrap.ready };
}
