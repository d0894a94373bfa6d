import { ApiObject } from 'cdk8s';
import { Problems } from '../../lib/core/errors';
import { MANAGED_BY } from '../../lib/core/labels';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { StorageClassRef } from '../../lib/core/storage-class';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { CertManager } from '../platform/cert-manager';
import { checkPools, poolSatelliteSpec, ResolvedPool, resolvePools, TALOS_SATELLITE_PATCH } from './linstor-pools';
import { LinstorLocalClass, LinstorProps, LinstorReplicatedClass } from './linstor-props';
import { claimStorageClass, RECLAIM_POLICIES, ReclaimPolicy, renderStorageClass } from './storage-classes';
import { checkCount, checkNodeSelector } from './storage-rules';

export * from './linstor-props';

/** DRBD network options Cozystack sets on its LinstorCluster (packages/system/linstor/templates/cluster.yaml). */
const COZYSTACK_PROPERTIES: Readonly<Record<string, string>> = {
  'DrbdOptions/Net/verify-alg': 'crc32c',
  'DrbdOptions/Net/connect-int': '15',
  'DrbdOptions/Net/ping-int': '15',
  'DrbdOptions/Net/ping-timeout': '20',
  'DrbdOptions/Net/timeout': '100',
};

/** Quorum settings of Cozystack's `replicated` class: IO freezes instead of diverging when quorum is lost. */
const REPLICATED_DRBD_OPTIONS: Readonly<Record<string, string>> = {
  'auto-quorum': 'suspend-io',
  'Resource/on-no-data-accessible': 'suspend-io',
  'Resource/on-suspended-primary-outdated': 'force-secondary',
  'Net/rr-conflict': 'retry-connect',
};

const PROPERTY_KEY = /^[A-Za-z][A-Za-z0-9_-]*(\/[A-Za-z0-9_-]+)*$/;
const DRBD_OPTION = /^[A-Za-z][A-Za-z0-9-]*(\/[A-Za-z][A-Za-z0-9-]*)*$/;
const INTERNAL_CA = 'linstor-internal-ca';
const API_CA = 'linstor-api-ca';

interface ResolvedClass {
  readonly name: string;
  readonly storagePool: string;
  readonly isDefault: boolean;
  readonly reclaimPolicy: ReclaimPolicy;
}

/**
 * LINSTOR/DRBD storage through the Piraeus operator, as Cozystack runs it: the operator release, a
 * `LinstorCluster`, satellite configurations with storage pools (and Talos patches), cert-manager TLS,
 * and the StorageClasses `local` and `replicated`. Anything that uses a class through
 * `localClass.use(...)` / `replicatedClass.use(...)` is applied after the cluster reports `Available`.
 */
export class Linstor extends ChartComponent {
  /** The CSI driver of LINSTOR volumes. */
  static readonly PROVISIONER = 'linstor.csi.linbit.com';

  readonly storagePools: readonly ResolvedPool[];
  readonly talos: boolean;
  readonly tls: boolean;
  readonly hostNetwork: boolean;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Controller properties: Cozystack's DRBD options and `props.properties`. */
  readonly properties: Readonly<Record<string, string>>;
  /** The cluster-scoped `LinstorCluster`; the deployment waits for its `Available` condition. */
  readonly linstorCluster: ApiObject;
  readonly localClass?: StorageClassRef;
  readonly replicatedClass?: StorageClassRef;
  /** Copies of each `replicated` volume. */
  readonly placementCount?: number;

  constructor(platform: Platform, props: LinstorProps = {}) {
    checkProps(platform.layer('storage'), 'linstor', 'LinstorProps', props);
    const chart = props.chart ?? versions.piraeusOperator.chart;
    super(platform, 'storage', 'linstor', {
      namespace: props.namespace ?? 'piraeus-datastore',
      releaseName: 'piraeus-operator',
      source: chart,
      version: chart.version,
      // The chart's own install command sets installCRDs=true (piraeus-operator docs/how-to/helm.md).
      defaults: { installCRDs: true },
      values: props.values,
      // Satellites and the CSI node plugin load kernel modules and mount host paths.
      podSecurity: 'privileged',
    });
    this.storagePools = resolvePools(props.storagePools ?? {});
    this.talos = props.talos ?? false;
    this.tls = props.tls ?? true;
    this.hostNetwork = props.hostNetwork ?? true;
    this.nodeSelector = props.nodeSelector;
    this.properties = { ...COZYSTACK_PROPERTIES, ...props.properties };

    const problems = Problems.of(this);
    checkPools(problems, this.storagePools);
    checkNodeSelector(problems, 'nodeSelector', props.nodeSelector);
    for (const [key, value] of Object.entries(props.properties ?? {})) {
      problems.check(
        PROPERTY_KEY.test(key) && typeof value === 'string',
        `properties.${key}`,
        value,
        'must be a LINSTOR property: a key like "DrbdOptions/Net/max-buffers" with a string value',
      );
    }
    const local = props.localClass === false ? undefined : this.resolveClass(problems, 'localClass', props.localClass ?? {}, 'local');
    const replicatedProps: LinstorReplicatedClass | undefined = props.replicatedClass === false ? undefined : (props.replicatedClass ?? {});
    const replicated = replicatedProps && this.resolveClass(problems, 'replicatedClass', replicatedProps, 'replicated');
    if (replicatedProps) {
      this.placementCount = replicatedProps.placementCount ?? 3;
      checkCount(problems, 'replicatedClass.placementCount', this.placementCount, 2, 16);
      for (const [key, value] of Object.entries(replicatedProps.drbdOptions ?? {})) {
        problems.check(
          DRBD_OPTION.test(key) && typeof value === 'string' && value.length > 0,
          `replicatedClass.drbdOptions.${key}`,
          value,
          'must be a DRBD option path below DrbdOptions/ (like "Net/max-buffers") with a non-empty string value',
        );
      }
    }
    problems.throwIfAny();

    if (this.tls) this.requires(CertManager);
    const issuers = this.tls ? this.renderCertificateAuthorities() : [];
    this.linstorCluster = this.custom('cluster', 'LinstorCluster', 'linstorcluster', {
      nodeSelector: this.nodeSelector && { ...this.nodeSelector },
      internalTLS: this.tls ? { certManager: { name: INTERNAL_CA, kind: 'Issuer' } } : undefined,
      apiTLS: this.tls ? { certManager: { name: API_CA, kind: 'Issuer' } } : undefined,
      properties: Object.entries(this.properties).map(([name, value]) => ({ name, value })),
    });
    for (const issuer of issuers) this.linstorCluster.node.addDependency(issuer);
    this.custom('satellites', 'LinstorSatelliteConfiguration', 'kubestrata-satellites', {
      internalTLS: this.tls ? { certManager: { name: INTERNAL_CA, kind: 'Issuer' } } : undefined,
      podTemplate: this.hostNetwork ? { spec: { hostNetwork: true } } : undefined,
    });
    if (this.talos) {
      this.custom('talos', 'LinstorSatelliteConfiguration', 'kubestrata-talos', {
        patches: [{ target: { group: 'apps', version: 'v1', kind: 'DaemonSet', name: 'linstor-satellite' }, patch: TALOS_SATELLITE_PATCH }],
      });
    }
    for (const pool of this.storagePools)
      this.custom(`pool-${pool.key}`, 'LinstorSatelliteConfiguration', `storage-pool-${pool.key}`, poolSatelliteSpec(pool));
    // Piraeus reports Available once the LINSTOR controller answers (docs/reference/linstorcluster.md).
    platform.readiness.waitForCondition(this.linstorCluster, 'Available');

    if (local) this.localClass = this.renderClass('local-class', local, this.localParameters(local));
    if (replicated)
      this.replicatedClass = this.renderClass('replicated-class', replicated, this.replicatedParameters(replicated, replicatedProps!));
  }

  private resolveClass(problems: Problems, property: string, props: LinstorLocalClass, name: string): ResolvedClass {
    const resolved = {
      name: props.name ?? name,
      storagePool: props.storagePool ?? 'data',
      isDefault: props.default ?? false,
      reclaimPolicy: props.reclaimPolicy ?? 'Delete',
    };
    problems.check(
      RECLAIM_POLICIES.includes(resolved.reclaimPolicy),
      `${property}.reclaimPolicy`,
      resolved.reclaimPolicy,
      'must be "Delete" or "Retain"',
    );
    const pools = [...new Set(this.storagePools.map((p) => p.name))];
    if (pools.length > 0) {
      problems.check(
        pools.includes(resolved.storagePool),
        `${property}.storagePool`,
        resolved.storagePool,
        `is not one of the declared storage pools (${pools.map((p) => JSON.stringify(p)).join(', ')})`,
        `use ${JSON.stringify(pools[0])} or declare the pool in storagePools`,
      );
    }
    claimStorageClass(this, problems, property, resolved.name, resolved.isDefault);
    return resolved;
  }

  private localParameters(cls: ResolvedClass): Record<string, string> {
    return {
      'linstor.csi.linbit.com/storagePool': cls.storagePool,
      'linstor.csi.linbit.com/placementCount': '1',
      'linstor.csi.linbit.com/layerList': 'storage',
      'linstor.csi.linbit.com/allowRemoteVolumeAccess': 'false',
    };
  }

  /** linstor-csi reads `placementCount` (alias `autoPlace`, which Cozystack writes) and passes `property.…` keys to the resource group. */
  private replicatedParameters(cls: ResolvedClass, props: LinstorReplicatedClass): Record<string, string> {
    const drbd = { ...REPLICATED_DRBD_OPTIONS, ...props.drbdOptions };
    return {
      'linstor.csi.linbit.com/storagePool': cls.storagePool,
      'linstor.csi.linbit.com/placementCount': String(this.placementCount),
      'linstor.csi.linbit.com/layerList': 'drbd storage',
      'linstor.csi.linbit.com/allowRemoteVolumeAccess': 'true',
      ...Object.fromEntries(Object.entries(drbd).map(([key, value]) => [`property.linstor.csi.linbit.com/DrbdOptions/${key}`, value])),
    };
  }

  private renderClass(id: string, cls: ResolvedClass, parameters: Record<string, string>): StorageClassRef {
    const local = id === 'local-class';
    const object = renderStorageClass(this, id, {
      name: cls.name,
      provisioner: Linstor.PROVISIONER,
      parameters,
      reclaimPolicy: cls.reclaimPolicy,
      volumeBindingMode: local ? 'WaitForFirstConsumer' : 'Immediate',
      allowVolumeExpansion: true,
      isDefault: cls.isDefault,
    });
    // The operator's webhook validates LINSTOR StorageClasses, so they follow its release.
    object.node.addDependency(this.release);
    return new StorageClassRef(cls.name, this, cls.isDefault);
  }

  /** Self-signed bootstrap issuer and the two CAs of Piraeus' TLS guides, as Cozystack creates them. */
  private renderCertificateAuthorities(): ApiObject[] {
    const namespaced = (id: string, kind: string, name: string, spec: Record<string, unknown>) =>
      new ApiObject(this, id, {
        apiVersion: 'cert-manager.io/v1',
        kind,
        metadata: { name, namespace: this.namespace, labels: { ...MANAGED_BY } },
        spec,
      });
    const bootstrap = namespaced('ca-bootstrapper', 'Issuer', 'linstor-ca-bootstrapper', { selfSigned: {} });
    return [INTERNAL_CA, API_CA].map((name) => {
      const ca = namespaced(`${name}-certificate`, 'Certificate', name, {
        commonName: name,
        secretName: name,
        duration: '87600h',
        isCA: true,
        privateKey: { rotationPolicy: 'Never' },
        usages: ['signing', 'key encipherment', 'cert sign'],
        issuerRef: { name: 'linstor-ca-bootstrapper', kind: 'Issuer' },
      });
      ca.node.addDependency(bootstrap);
      const issuer = namespaced(`${name}-issuer`, 'Issuer', name, { ca: { secretName: name } });
      issuer.node.addDependency(ca);
      return issuer;
    });
  }

  private custom(id: string, kind: string, name: string, spec: Record<string, unknown>): ApiObject {
    const object = new ApiObject(this, id, { apiVersion: 'piraeus.io/v1', kind, metadata: { name, labels: { ...MANAGED_BY } }, spec });
    object.node.addDependency(this.release);
    return object;
  }
}
