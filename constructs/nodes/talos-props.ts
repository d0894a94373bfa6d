import { EvictionThresholds, NodeReservation } from './kubelet-settings';
import { TalosPlatform, TalosSchematic } from './talos-schematic';

/** The CNI Talos itself deploys: none (the platform installs one) or Flannel. */
export type TalosCni = 'none' | 'flannel';

export interface TalosNetworkProps {
  /**
   * The link (interface) that carries the node addresses and the VIP, e.g. `enp1s0`.
   * @requiredBecause the link carries the node addresses and the VIP
   * @requiredFix write it like "enp1s0"
   */
  readonly link: string;
  /** The default gateway of the node network. @default - no static default route */
  readonly gateway?: string;
  /** DNS servers of the hosts. @default - Talos's defaults (or DHCP) */
  readonly nameservers?: readonly string[];
}

export interface TalosKernelModule {
  readonly name: string;
  /** @default [] */
  readonly parameters?: readonly string[];
}

export interface TalosKubeletProps {
  /** @default - 512 (Cozystack: dense nodes with many small pods and VMs) when Kube-OVN or Calico assign pod addresses from a pool, else 110 (the kubelet's) */
  readonly maxPods?: number;
  /** @default - Talos's built-in system reservation */
  readonly systemReserved?: NodeReservation;
  /** @default - none */
  readonly kubeReserved?: NodeReservation;
  /** @default - the kubelet's defaults */
  readonly evictionHard?: EvictionThresholds;
}

export interface TalosOidcProps {
  /** Issuer URL, e.g. `https://keycloak.example.org/realms/cozy`. */
  readonly issuerUrl: string;
  /** @default 'kubernetes' */
  readonly clientId?: string;
  /** @default 'preferred_username' */
  readonly usernameClaim?: string;
  /** @default 'groups' */
  readonly groupsClaim?: string;
}

export interface TalosClusterProps {
  /** The node network: link, gateway and DNS servers. */
  readonly network: TalosNetworkProps;
  /** A floating address the control-plane nodes announce on their link (Layer 2 VIP). @default - none */
  readonly vip?: string;
  /** The Kubernetes API endpoint. @default - `https://<vip or first control-plane address>:6443` */
  readonly endpoint?: string;
  /** @default - the construct id */
  readonly clusterName?: string;
  /** @default versions.talos.version */
  readonly talosVersion?: string;
  /** Kubernetes release, e.g. `1.33.12`; its minor must be the platform's API level. @default versions.talos.kubernetes[platform.kubernetesVersion] */
  readonly kubernetesVersion?: string;
  /** System extensions and kernel arguments of the image. @default TalosSchematic.cozystack() */
  readonly schematic?: TalosSchematic;
  /** Platform the installer image is built for. @default 'metal' */
  readonly imagePlatform?: TalosPlatform;
  /** An installer image to use instead of the schematic's Image Factory image. @default - from `schematic` */
  readonly installerImage?: string;
  /** @default '/dev/sda' */
  readonly installDisk?: string;
  /** @default - Calico's podCidr; '100.65.0.0/16' beside Kube-OVN (apart from its ranges, as Cozystack); else '10.244.0.0/16' */
  readonly podSubnets?: readonly string[];
  /** @default - Kube-OVN's serviceCidr; else '10.96.0.0/16' */
  readonly serviceSubnets?: readonly string[];
  /** Networks kubelet and etcd pick their address from. @default - the networks of the node addresses */
  readonly nodeSubnets?: readonly string[];
  /** @default - 'none' when the platform installs a CNI (Calico, Cilium, Kube-OVN), else 'flannel' */
  readonly cni?: TalosCni;
  /** Run kube-proxy. @default - false when the platform's Cilium replaces kube-proxy, else true */
  readonly kubeProxy?: boolean;
  /** @default openvswitch, drbd (usermode_helper=disabled), zfs, spl */
  readonly kernelModules?: readonly TalosKernelModule[];
  /** Merged over the defaults (larger neighbour tables). @default {} */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** @default { maxPods: 512 } */
  readonly kubelet?: TalosKubeletProps;
  /** Registry → mirror endpoints. @default { 'docker.io': ['https://mirror.gcr.io'] } */
  readonly registryMirrors?: Readonly<Record<string, readonly string[]>>;
  /** Accept `http://` mirror endpoints. @default false */
  readonly insecureRegistryMirrors?: boolean;
  /** Run workloads on control-plane nodes (hyperconverged). @default true */
  readonly allowSchedulingOnControlPlanes?: boolean;
  /** Use Talos's external discovery service. @default false */
  readonly discovery?: boolean;
  /** Bind controller-manager and scheduler (authenticated HTTPS) on all addresses for metrics scraping. @default true */
  readonly controlPlaneMetrics?: boolean;
  /** Let load balancers (MetalLB) announce from control-plane nodes. @default true */
  readonly loadBalancersOnControlPlanes?: boolean;
  /** Let the container runtime give raw block devices to the pod's user (CDI importers). @default true */
  readonly deviceOwnershipFromSecurityContext?: boolean;
  /** Keep LVM from scanning DRBD, device-mapper and ZFS volumes. @default true */
  readonly lvmFilter?: boolean;
  /** Extra names in the API server certificate. @default [] */
  readonly certSANs?: readonly string[];
  /** OIDC login to the API server. @default - none */
  readonly oidc?: TalosOidcProps;
}
