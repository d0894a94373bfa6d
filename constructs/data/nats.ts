import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { TENANT_LABEL } from '../../lib/core/labels';
import { checkDerivedName } from '../../lib/core/names';
import { checkProps } from '../../lib/core/props-check';
import { Resources } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { HelmChartSource } from '../../lib/releases/chart';
import { K3S_HELM_NAMESPACE } from '../../lib/releases/k3s';
import { helmReleaseName, Release } from '../../lib/releases/release';
import { versions } from '../../lib/versions';
import { CertManager } from '../platform/cert-manager';
import { PrometheusOperatorCrds } from '../platform/prometheus-operator-crds';
import { ServiceConnection } from './service-connection';
import { ManagedService, ManagedServiceProps, ManagedServiceStorage, RESTRICTED_CONTAINER_SECURITY } from './managed-service';

/** A NATS server minor version served by the pinned chart. */
export type NatsVersion = '2.11';
export const NATS_VERSIONS: readonly NatsVersion[] = ['2.11'];

/** A client account user of the NATS account `A`. */
export interface NatsUser {
  /** Secret whose key `password` holds the user's password. @default - SecretRef.generatedPassword('<id>.<user>', user) */
  readonly password?: SecretRef;
}

export interface NatsProps extends ManagedServiceProps<NatsVersion> {
  /** NATS servers, clustered when more than one (JetStream needs 3 for a Raft quorum that survives a failure). @default 3 @maximum 100 */
  readonly replicas?: number;
  /** @default '2.11' */
  readonly version?: NatsVersion;
  /** JetStream file store of each server. @default { size: '10Gi' } */
  readonly storage?: ManagedServiceStorage;
  /** Limits of each NATS server container. @default 't1.nano' */
  readonly resources?: Resources;
  /** Persistent streams (JetStream with a file store on a volume). @default true */
  readonly jetstream?: boolean;
  /** Client users of account `A`; each password comes from a Secret through an environment variable. @default { app: {} } */
  readonly users?: Readonly<Record<string, NatsUser>>;
  /**
   * Instead of `users`: a Secret whose key `values.yaml` holds a chart values fragment with the whole auth setup,
   * `config: { merge: { accounts: { <name>: { jetstream: enabled, users: [{ user, password }] } } } }`, merged at
   * install time (Flux `valuesFrom` from the tenant namespace; K3s `valuesSecrets` from kube-system, so under K3s its
   * name must start with `<tenant namespace>.`, e.g. `tenant-shop.bus-auth`). Under Flux the
   * release is applied as a tenant ServiceAccount, so the fragment cannot create anything outside the namespace.
   * @default - accounts from `users`
   */
  readonly authValues?: SecretRef;
  /** Client and route TLS from a cert-manager CA of this service (Secrets `<id>-ca`, `<id>-tls`). @default - the value of `external` */
  readonly tls?: boolean;
  /** Chart to install. @default versions.nats.chart */
  readonly chart?: HelmChartSource;
}

const CLIENT_PORT = 4222;
const EXPORTER_PORT = 7777;
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CONTAINER_SECURITY = { ...RESTRICTED_CONTAINER_SECURITY, readOnlyRootFilesystem: true };

/**
 * NATS from the upstream chart, as one release per service in the tenant namespace: a clustered StatefulSet with
 * JetStream on volumes, password auth for every client (passwords from Secrets, never in values), optional TLS from
 * cert-manager, restricted Pod Security, spread across nodes.
 */
export class Nats extends ManagedService<NatsVersion> {
  readonly jetstream: boolean;
  readonly tls: boolean;
  /** Password Secret of each user (none with `authValues`). */
  readonly users: Readonly<Record<string, SecretRef>>;
  readonly authValues?: SecretRef;
  /** In-cluster DNS name of the client Service `<id>`, port 4222. */
  readonly host: string;
  /** In-cluster client URL. */
  readonly url: string;
  /** Secret of the service's CA, whose `ca.crt` clients trust, when TLS is on. */
  readonly caSecretName?: string;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: NatsProps = {}) {
    checkProps(scope, id, 'NatsProps', props);
    super(scope, id, props, {
      kind: 'nats',
      replicas: 3,
      minReplicas: 1,
      versions: NATS_VERSIONS,
      version: '2.11',
      storageSize: '10Gi',
      resources: 't1.nano',
      maxNameLength: 52,
      nameReason: 'the Helm release and StatefulSet name, from which pod, Service and volume names are derived',
    });
    this.jetstream = props.jetstream ?? true;
    this.tls = props.tls ?? this.external;
    this.authValues = props.authValues;
    this.check(props);
    const users = props.authValues ? {} : (props.users ?? { app: {} });
    this.users = Object.fromEntries(Object.entries(users).map(([user, u]) => [user, u?.password ?? this.generatedPassword(user)]));
    this.host = this.serviceHost(id);
    this.url = `${this.tls ? 'tls' : 'nats'}://${this.host}:${CLIENT_PORT}`;
    this.caSecretName = this.tls ? `${id}-ca` : undefined;

    if (this.tls) {
      this.requireOperator(CertManager);
      this.certificates();
    }
    this.release = new Release(this, 'release', {
      name: id,
      namespace: this.namespace,
      source: props.chart ?? versions.nats.chart,
      values: this.values(),
      valuesFrom: this.authValues ? [{ secretName: this.authValues.name, key: 'values.yaml' }] : undefined,
    });
    this.node.defaultChild = this.release;
    this.release.node.addDependency(this.tenant.namespaceObject);
    if (this.platform.delivery === 'flux') this.impersonate();
    if (this.monitoring) this.release.addDependency(this.requireOperator(PrometheusOperatorCrds).release);
    const pods = { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': this.release.releaseName };
    if (this.external) this.exposeExternally(pods, [{ name: 'nats', port: CLIENT_PORT }]);
    // The chart's PodMonitor scrapes the exporter sidecar (promExporter.port).
    if (this.monitoring) this.allowFromMonitoring({ pods, port: EXPORTER_PORT });
  }

  /** Chart values; every key is one the chart's values.yaml documents. */
  get connection(): ServiceConnection {
    return {
      host: this.host,
      hosts: {},
      ports: { nats: CLIENT_PORT },
      credentials: Object.fromEntries(Object.entries(this.users).map(([user, ref]) => [user, { name: ref.name, keys: ref.keys }])),
      tlsCa: this.caSecretName ? { secretName: this.caSecretName, key: 'ca.crt' } : undefined,
    };
  }

  private values(): Record<string, unknown> {
    // The chart labels pods with the Helm release name, which K3s delivery qualifies with the namespace.
    const pods = {
      'app.kubernetes.io/name': 'nats',
      'app.kubernetes.io/instance': helmReleaseName(this.platform, this.serviceName, this.namespace),
    };
    const { affinity } = this.spread(pods);
    const tls = this.tls ? { enabled: true, secretName: `${this.serviceName}-tls` } : undefined;
    const env = Object.fromEntries(
      Object.values(this.users).map((ref, i) => [`NATS_PASSWORD_${i}`, { valueFrom: { secretKeyRef: ref.key('password') } }]),
    );
    const accountUsers = Object.keys(this.users).map((user, i) => ({ user, password: `<< $NATS_PASSWORD_${i} >>` }));
    return {
      fullnameOverride: this.serviceName,
      global: { labels: { [TENANT_LABEL]: this.tenant.tenantName } },
      tlsCA: this.caSecretName ? { enabled: true, secretName: this.caSecretName } : undefined,
      config: {
        cluster: {
          enabled: this.replicas > 1,
          replicas: this.replicas,
          routeURLs: { k8sClusterDomain: this.platform.clusterDomain, useFQDN: this.tls ? true : undefined },
          tls,
        },
        jetstream: {
          enabled: this.jetstream,
          fileStore: { enabled: true, pvc: { enabled: true, size: this.storage.size, storageClassName: this.storage.storageClass } },
        },
        nats: { tls },
        monitor: { enabled: true },
        merge:
          accountUsers.length > 0
            ? { accounts: { A: { jetstream: this.jetstream ? 'enabled' : 'disabled', users: accountUsers } } }
            : undefined,
      },
      container: {
        image: { repository: 'nats', tag: `${versions.nats.app}-alpine` },
        env: Object.keys(env).length > 0 ? env : undefined,
        merge: {
          resources: { limits: { ...this.resources.limits }, requests: { ...this.resources.requests } },
          securityContext: CONTAINER_SECURITY,
        },
      },
      reloader: { enabled: true, merge: { securityContext: CONTAINER_SECURITY } },
      promExporter: { enabled: this.monitoring, podMonitor: { enabled: this.monitoring }, merge: { securityContext: CONTAINER_SECURITY } },
      podTemplate: {
        topologySpreadConstraints: {
          'kubernetes.io/hostname': {
            maxSkew: 1,
            whenUnsatisfiable: this.antiAffinity === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
          },
        },
        merge: {
          spec: {
            securityContext: {
              runAsUser: 1000,
              runAsGroup: 1000,
              runAsNonRoot: true,
              fsGroup: 1000,
              fsGroupChangePolicy: 'OnRootMismatch',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            affinity,
          },
        },
      },
      natsBox: { enabled: false },
    };
  }

  /**
   * Flux applies the release as a ServiceAccount of the tenant that may only manage what the chart renders in this
   * namespace, so that values from a Secret the tenant can edit cannot reach beyond it.
   */
  private impersonate(): void {
    const name = `${this.serviceName}-release`;
    const rbac = 'rbac.authorization.k8s.io/v1';
    const all = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
    this.object('release-account', 'v1', 'ServiceAccount', name, { automountServiceAccountToken: false }, 'release');
    this.object(
      'release-role',
      rbac,
      'Role',
      name,
      {
        rules: [
          // Helm keeps its release state in Secrets of the release namespace.
          { apiGroups: [''], resources: ['configmaps', 'secrets', 'services', 'serviceaccounts'], verbs: all },
          { apiGroups: [''], resources: ['pods', 'persistentvolumeclaims'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['statefulsets'], verbs: all },
          { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: all },
          { apiGroups: ['monitoring.coreos.com'], resources: ['podmonitors'], verbs: all },
        ],
      },
      'release',
    );
    this.object(
      'release-binding',
      rbac,
      'RoleBinding',
      name,
      {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace: this.namespace }],
      },
      'release',
    );
    this.release.readiness.object.addJsonPatch(JsonPatch.add('/spec/serviceAccountName', name));
  }

  /** A self-signed CA per service and a server certificate for the client and route names, as Cozystack issues them. */
  private certificates(): void {
    const id = this.serviceName;
    const ns = this.namespace;
    const domain = this.platform.clusterDomain;
    const cm = (name: string, kind: string, spec: Record<string, unknown>) =>
      this.object(`${kind.toLowerCase()}-${name}`, 'cert-manager.io/v1', kind, `${id}-${name}`, { spec }, 'tls');
    cm('selfsigned', 'Issuer', { selfSigned: {} });
    cm('ca', 'Certificate', {
      secretName: this.caSecretName,
      commonName: `${id}-ca`,
      isCA: true,
      duration: '43800h',
      issuerRef: { name: `${id}-selfsigned`, kind: 'Issuer' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Never' },
    });
    cm('ca', 'Issuer', { ca: { secretName: this.caSecretName } });
    cm('tls', 'Certificate', {
      secretName: `${id}-tls`,
      commonName: id,
      duration: '8760h',
      renewBefore: '720h',
      issuerRef: { name: `${id}-ca`, kind: 'Issuer' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'],
      dnsNames: [
        id,
        `${id}.${ns}.svc`,
        `${id}.${ns}.svc.${domain}`,
        `${id}-headless`,
        `${id}-headless.${ns}.svc`,
        `${id}-headless.${ns}.svc.${domain}`,
        `*.${id}-headless.${ns}.svc.${domain}`,
      ],
    });
  }

  private check(props: NatsProps): void {
    const p = this.problems;
    if (props.jetstream === false && props.storage !== undefined) {
      p.add(
        'storage',
        props.storage,
        'only applies with jetstream: true (the store is the only volume)',
        'remove storage or set jetstream: true',
      );
    }
    if (props.authValues !== undefined) {
      p.check(
        props.users === undefined,
        'users',
        props.users,
        'cannot be combined with authValues, which replaces the accounts',
        'move the users into the authValues Secret or remove authValues',
      );
      if (this.useSecret(props.authValues, 'authValues', ['values.yaml']) && this.platform.delivery === 'k3s') {
        // The K3s helm-controller reads valuesSecrets from the namespace of its HelmChart, which all tenants share.
        const prefix = `${this.namespace}.`;
        const own = p.check(
          props.authValues.name.startsWith(prefix),
          'authValues.name',
          props.authValues.name,
          `must start with "${prefix}" under K3s delivery: the helm-controller reads it from ${K3S_HELM_NAMESPACE}, where a name without the tenant's namespace could be another tenant's Secret`,
          `name the Secret ${JSON.stringify(prefix + props.authValues.name)}`,
        );
        if (own) this.useSecret(props.authValues, 'authValues', ['values.yaml'], K3S_HELM_NAMESPACE);
      }
    }
    const users = Object.entries(props.users ?? {});
    if (props.users !== undefined && props.authValues === undefined)
      p.check(users.length > 0, 'users', props.users, 'must name at least one user: auth cannot be turned off');
    for (const [user, u] of users) {
      if (
        !p.check(
          USER_NAME.test(user),
          `users.${user}`,
          user,
          'must be a NATS user name (letters, digits, "_", "." and "-", at most 64 characters)',
        )
      )
        continue;
      if (u?.password !== undefined) this.useSecret(u.password, `users.${user}.password`, ['password']);
      else checkDerivedName(p, `users.${user}`, user, 'password Secret', `${this.serviceName}-${user}`);
    }
    this.throwIfInvalid();
  }
}
