import * as YAML from 'yaml';
import { TalosCluster, TalosClusterProps } from '../../../constructs/nodes/talos-cluster';
import { withoutPatchDirectives } from '../../../constructs/nodes/talos-merge';
import { TalosSecretsBundle } from '../../../constructs/nodes/talos-secrets';
import { ConfigurationError } from '../../../lib/core/errors';
import { Cilium } from '../../../constructs/network/cilium';
import { KubeOvn } from '../../../constructs/network/kube-ovn';
import { Platform, PlatformProps } from '../../../lib/core/platform';
import { talosValidator } from '../../../lib/validate';
import { newPlatform, SCHEMAS_DIR } from '../../helpers';

export const TALOS_SCHEMA = '1.13.9';

/** Every Talos document validated against the pinned schema, merge directives removed as Talos removes them. */
export function talosIssues(documents: readonly Record<string, unknown>[]) {
  const validate = talosValidator(SCHEMAS_DIR, TALOS_SCHEMA);
  return documents.flatMap((d) => validate(withoutPatchDirectives(d)));
}

export function parseAll(yaml: string): any[] {
  return YAML.parseAllDocuments(yaml).map((d) => d.toJS());
}

const pem = (kind: string) => Buffer.from(`-----BEGIN ${kind}-----\nplaceholder\n-----END ${kind}-----\n`).toString('base64');
const pair = () => ({ crt: pem('CERTIFICATE'), key: pem('EC PRIVATE KEY') });

/** A bundle of the `talosctl gen secrets` shape holding placeholders, never real keys. */
export function placeholderSecrets(): TalosSecretsBundle {
  return {
    cluster: { id: 'cGxhY2Vob2xkZXItY2x1c3Rlci1pZA==', secret: 'cGxhY2Vob2xkZXItY2x1c3Rlci1zZWNyZXQ=' },
    secrets: { bootstraptoken: 'abcdef.0123456789abcdef', secretboxencryptionsecret: 'cGxhY2Vob2xkZXItc2VjcmV0Ym94LWtleQ==' },
    trustdinfo: { token: 'ghijkl.0123456789ghijkl' },
    certs: { etcd: pair(), k8s: pair(), k8saggregator: pair(), k8sserviceaccount: { key: pem('EC PRIVATE KEY') }, os: pair() },
  };
}

/** A Cozystack-shaped platform: Kube-OVN with Cilium chained behind it, replacing kube-proxy. */
export function cozyPlatform(props: PlatformProps = { kubernetesVersion: '1.33', clusterDomain: 'cozy.local' }): Platform {
  const platform = newPlatform(props);
  new KubeOvn(platform);
  new Cilium(platform);
  return platform;
}

/** A three-control-plane, one-worker cluster on 192.168.100.0/24 with a VIP, as Cozystack runs it. */
export function cozyCluster(props: Partial<TalosClusterProps> = {}, platform: Platform = cozyPlatform()) {
  const cluster = new TalosCluster(platform, 'cozy', {
    network: { link: 'enp1s0', gateway: '192.168.100.1' },
    vip: '192.168.100.10',
    ...props,
  });
  const cp1 = cluster.addNode('cp1', { role: 'controlplane', address: '192.168.100.11/24' });
  cluster.addNode('cp2', { role: 'controlplane', address: '192.168.100.12/24' });
  cluster.addNode('cp3', { role: 'controlplane', address: '192.168.100.13/24' });
  const worker = cluster.addNode('w1', { role: 'worker', address: '192.168.100.21/24' });
  return { platform, cluster, cp1, worker };
}

/** The message of the ConfigurationError that `create` throws. */
export function messageOf(create: () => unknown): string {
  try {
    create();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}

export function kind(documents: readonly any[], name: string): any {
  const found = documents.filter((d) => (d.kind ?? 'v1alpha1') === name);
  if (found.length !== 1) throw new Error(`expected one ${name}, found ${found.length}`);
  return found[0];
}
