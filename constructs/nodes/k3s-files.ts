import * as YAML from 'yaml';
import { evictionEntries, reservationEntries } from './kubelet-settings';
import type { K3sCluster } from './k3s-cluster';
import type { K3sNode } from './k3s-node';

export const K3S_CONFIG_FILE = '/etc/rancher/k3s/config.yaml';
export const K3S_REGISTRIES_FILE = '/etc/rancher/k3s/registries.yaml';
/** Where the deployment writes the cluster token; the configs name the file, never the value. */
export const K3S_TOKEN_FILE = '/etc/rancher/k3s/token';
export const K3S_INSTALL_SCRIPT = '/usr/local/lib/kubestrata/install-k3s.sh';

/** YAML 1.1 (as K3s and cloud-init read it), so that strings such as "0600" stay quoted. */
export function k3sYaml(value: unknown): string {
  return YAML.stringify(value, { version: '1.1', lineWidth: 0 });
}

function kubeletArgs(cluster: K3sCluster): string[] {
  const { maxPods, systemReserved, kubeReserved, evictionHard } = cluster.kubelet;
  const list = (entries: Array<[string, string]>, separator: string) => entries.map(([k, v]) => `${k}${separator}${v}`).join(',');
  return [
    `max-pods=${maxPods}`,
    ...(systemReserved ? [`system-reserved=${list(reservationEntries(systemReserved), '=')}`] : []),
    ...(kubeReserved ? [`kube-reserved=${list(reservationEntries(kubeReserved), '=')}`] : []),
    ...(evictionHard ? [`eviction-hard=${list(evictionEntries(evictionHard), '<')}`] : []),
  ];
}

/** `/etc/rancher/k3s/config.yaml` of one node: server flags only on servers, `cluster-init` only on the first. */
export function k3sConfig(cluster: K3sCluster, node: K3sNode): Record<string, unknown> {
  const first = node === cluster.firstServer;
  const config: Record<string, unknown> = {
    ...(first ? { 'cluster-init': true } : { server: cluster.serverUrl }),
    'token-file': K3S_TOKEN_FILE,
    'node-name': node.hostname,
    'node-ip': node.address,
  };
  if (node.server) {
    Object.assign(config, {
      'tls-san': cluster.tlsSans,
      'cluster-domain': cluster.platform.clusterDomain,
      'cluster-cidr': cluster.clusterCidr,
      'service-cidr': cluster.serviceCidr,
      ...(cluster.cni === 'none' ? { 'flannel-backend': 'none' } : {}),
      ...(cluster.networkPolicy ? {} : { 'disable-network-policy': true }),
      ...(cluster.disable.length ? { disable: [...cluster.disable] } : {}),
      'disable-cloud-controller': true,
      ...(cluster.kubeProxy ? {} : { 'disable-kube-proxy': true }),
      ...(cluster.secretsEncryption ? { 'secrets-encryption': true } : {}),
      'write-kubeconfig-mode': cluster.kubeconfigMode,
    });
  }
  config['kubelet-arg'] = kubeletArgs(cluster);
  if (cluster.kubeProxy) config['kube-proxy-arg'] = [`proxy-mode=${cluster.kubeProxyMode}`];
  if (Object.keys(node.labels).length) config['node-label'] = Object.entries(node.labels).map(([k, v]) => `${k}=${v}`);
  if (node.taints.length) config['node-taint'] = [...node.taints];
  return config;
}

/** `/etc/rancher/k3s/registries.yaml`: the containerd mirrors of every node. */
export function k3sRegistries(cluster: K3sCluster): Record<string, unknown> {
  return {
    mirrors: Object.fromEntries(
      Object.entries(cluster.registryMirrors).map(([registry, endpoint]) => [registry, { endpoint: [...endpoint] }]),
    ),
  };
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The node's install script: host prerequisites, then the official installer pinned to the cluster's K3s
 * version. It expects config.yaml, registries.yaml and the token file in /etc/rancher/k3s already.
 */
export function k3sInstallScript(cluster: K3sCluster, node: K3sNode): string {
  const modules = cluster.kernelModules;
  const sysctls = Object.entries(cluster.sysctls).map(([k, v]) => `${k} = ${v}`);
  const checksum = cluster.installerSha256 ? `echo ${quote(`${cluster.installerSha256}  `)}"$installer" | sha256sum -c - >/dev/null\n` : '';
  return `#!/bin/sh
# K3s ${node.role} "${node.hostname}" of cluster "${cluster.clusterName}": host prerequisites, then K3s ${cluster.version}.
set -eu

K3S_VERSION=${quote(cluster.version)}
INSTALLER_URL=${quote(cluster.installerUrl)}

if [ "$(id -u)" -ne 0 ]; then
  echo 'install-k3s.sh must run as root' >&2
  exit 1
fi
for file in ${K3S_CONFIG_FILE} ${K3S_REGISTRIES_FILE} ${K3S_TOKEN_FILE}; do
  if [ ! -s "$file" ]; then
    echo "missing $file: the deployment writes it before running this script" >&2
    exit 1
  fi
done
chmod 0600 ${K3S_TOKEN_FILE}

cat > /etc/modules-load.d/kubestrata-k3s.conf <<'EOF'
${modules.join('\n')}
EOF
for module in ${modules.join(' ')}; do
  modprobe "$module"
done

cat > /etc/sysctl.d/90-kubestrata-k3s.conf <<'EOF'
${sysctls.join('\n')}
EOF
sysctl -q -p /etc/sysctl.d/90-kubestrata-k3s.conf

installer=$(mktemp)
trap 'rm -f "$installer"' EXIT
curl -sfL --proto '=https' --tlsv1.2 -o "$installer" "$INSTALLER_URL"
${checksum}INSTALL_K3S_VERSION="$K3S_VERSION" INSTALL_K3S_EXEC=${quote(node.role)} sh "$installer"
`;
}

/** cloud-init user data: writes the node's files and runs its install script on first boot. */
export function k3sUserData(cluster: K3sCluster, node: K3sNode, token?: string): string {
  const file = (path: string, content: string, permissions: string) => ({ path, owner: 'root:root', permissions, content });
  const files = [
    ...(token === undefined ? [] : [file(K3S_TOKEN_FILE, `${token}\n`, '0600')]),
    file(K3S_CONFIG_FILE, k3sYaml(k3sConfig(cluster, node)), '0600'),
    file(K3S_REGISTRIES_FILE, k3sYaml(k3sRegistries(cluster)), '0600'),
    file(K3S_INSTALL_SCRIPT, k3sInstallScript(cluster, node), '0700'),
  ];
  return `#cloud-config\n${k3sYaml({ write_files: files, runcmd: [['sh', K3S_INSTALL_SCRIPT]] })}`;
}
