import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import * as YAML from 'yaml';

/**
 * The kubeconfig with every cluster's server set to `server`. When the server is reached by an address its
 * certificate does not name (a public address in front of a node address), `tlsServerName` is the name to
 * verify the certificate against; it defaults to the old server's host when the host changes.
 */
export function pointKubeconfigAt(kubeconfig: string, server: string, tlsServerName?: string): string {
  const config = YAML.parse(kubeconfig) as { clusters?: Array<{ cluster: Record<string, unknown> }> } | null;
  if (!config || !Array.isArray(config.clusters) || config.clusters.length === 0) {
    throw new Error('the kubeconfig read from the cluster has no clusters');
  }
  for (const { cluster } of config.clusters) {
    const before = hostOf(String(cluster.server ?? ''));
    const name = tlsServerName ?? (before && before !== hostOf(server) && !isLoopback(before) ? before : undefined);
    cluster.server = server;
    if (name !== undefined) cluster['tls-server-name'] = name;
  }
  return YAML.stringify(config, { lineWidth: 0 });
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1';
}

/**
 * A Kubernetes provider for the cluster a kubeconfig reaches, created only after `after` (the command that made
 * the API answer). The kubeconfig stays secret.
 */
export function clusterProvider(
  name: string,
  kubeconfig: pulumi.Input<string>,
  after: readonly pulumi.Resource[],
  opts: pulumi.CustomResourceOptions = {},
): k8s.Provider {
  return new k8s.Provider(name, { kubeconfig: pulumi.secret(pulumi.output(kubeconfig)) }, { ...opts, dependsOn: [...after] });
}
