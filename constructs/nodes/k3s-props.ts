import { SecretRef } from '../../lib/core/secrets';
import { EvictionThresholds, NodeReservation } from './kubelet-settings';

/** The CNI K3s itself runs: Flannel, or none when the platform installs one. */
export type K3sCni = 'none' | 'flannel';
/** Components packaged with K3s that it can leave out. */
export type K3sBuiltin = 'coredns' | 'servicelb' | 'traefik' | 'local-storage' | 'metrics-server' | 'runtimes';
export const K3S_BUILTINS: readonly K3sBuiltin[] = ['coredns', 'servicelb', 'traefik', 'local-storage', 'metrics-server', 'runtimes'];
export type KubeProxyMode = 'ipvs' | 'iptables' | 'nftables';
export const KUBE_PROXY_MODES: readonly KubeProxyMode[] = ['ipvs', 'iptables', 'nftables'];

export interface K3sKubeletProps {
  /** @default 200 (Olares' kubelet.config) */
  readonly maxPods?: number;
  /** @default { cpu: '200m', memory: '250Mi', ephemeralStorage: '1Gi' } (Olares) */
  readonly systemReserved?: NodeReservation;
  /** @default { cpu: '200m', memory: '250Mi', ephemeralStorage: '1Gi' } (Olares) */
  readonly kubeReserved?: NodeReservation;
  /** @default { memoryAvailable: '5%', nodefsAvailable: '10%', imagefsAvailable: '10%' } (Olares) */
  readonly evictionHard?: EvictionThresholds;
}

export interface K3sClusterProps {
  /** K3s release, e.g. `v1.33.3+k3s1`; its minor must be the platform's API level. @default versions.k3s.releases[platform.kubernetesVersion] */
  readonly version?: string;
  /** The join token: a Secret value the deployment writes to /etc/rancher/k3s/token. @default SecretRef.fromConfig('k3s-token', ['token']) */
  readonly token?: SecretRef;
  /** Address (IP or DNS name) joining nodes register with, e.g. a load balancer. @default - the first server's address */
  readonly endpoint?: string;
  /** @default - the construct id */
  readonly clusterName?: string;
  /** Pod network. @default - Calico's podCidr; else '10.233.64.0/18' (Olares) */
  readonly clusterCidr?: string;
  /** Service network. @default - Kube-OVN's serviceCidr; else '10.233.0.0/18' (Olares) */
  readonly serviceCidr?: string;
  /** @default - 'none' when the platform installs a CNI, else 'flannel' */
  readonly cni?: K3sCni;
  /** K3s's embedded network policy controller. @default - on only with Flannel */
  readonly networkPolicy?: boolean;
  /** Run kube-proxy. @default - false when the platform's Cilium replaces kube-proxy, else true */
  readonly kubeProxy?: boolean;
  /** @default 'ipvs' (Olares) */
  readonly kubeProxyMode?: KubeProxyMode;
  /** Packaged components to leave out. @default traefik; local-storage unless the platform uses LocalPath; servicelb when it runs MetalLB */
  readonly disable?: readonly K3sBuiltin[];
  /** @default { maxPods: 200, Olares' reservations and evictions } */
  readonly kubelet?: K3sKubeletProps;
  /** Registry → mirror endpoints. @default {} */
  readonly registryMirrors?: Readonly<Record<string, readonly string[]>>;
  /** Accept `http://` mirror endpoints. @default false */
  readonly insecureRegistryMirrors?: boolean;
  /** Encrypt Secrets at rest in etcd. @default true */
  readonly secretsEncryption?: boolean;
  /** File mode of the admin kubeconfig on servers. @default '0600' */
  readonly kubeconfigMode?: '0600' | '0640' | '0644';
  /** Extra names in the API server certificate. @default [] */
  readonly tlsSans?: readonly string[];
  /** Merged over the host sysctls the script sets. @default {} */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** The K3s installer the script downloads on the node. @default versions.k3s.installer */
  readonly installerUrl?: string;
  /** SHA-256 the downloaded installer must have. @default - not checked (the installer verifies the K3s binary it downloads) */
  readonly installerSha256?: string;
}
