import { TenantAdmission } from '../../constructs/platform/tenant-admission';
import { TENANT_NAMESPACE_PREFIX } from '../../constructs/platform/tenant-admission-cel';
import { Tenant } from '../../constructs/platform/tenant';
import { manifests, newPlatform, problemsOf } from '../helpers';
import { AdmissionEvaluator, compile } from './admission-evaluator';
import {
  CLUSTER_ADMIN,
  CONTROLLER_MANAGER,
  ENDPOINT_CONTROLLER,
  FLUX,
  NODE,
  requestFor,
  RequestOptions,
  TENANT_ADMIN,
  TENANT_WORKLOAD,
  tenantAdmission,
} from './admission-requests';

const { evaluator, policies, bindings } = tenantAdmission();

const meta = (name: string, namespace = 'tenant-a', annotations?: Record<string, string>) => ({
  name,
  namespace,
  ...(annotations && { annotations }),
});
const denialsOf = (object: any, options?: RequestOptions) => evaluator.review(requestFor(object, options));
const messagesOf = (object: any, options?: RequestOptions) => denialsOf(object, options).map((d) => d.message);

const mariadb = (kind: string, spec: Record<string, unknown>) => ({
  apiVersion: 'k8s.mariadb.com/v1alpha1',
  kind,
  metadata: meta('x'),
  spec,
});
const service = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec });
const claim = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: meta('data'),
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const ingress = (annotations: Record<string, string>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: meta('web', 'tenant-a', annotations),
  spec: {
    rules: [
      {
        host: 'a.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
      },
    ],
  },
});
const endpointSlice = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: meta('web-1'),
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.3.7'] }],
};
const endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web'), subsets: [{ addresses: [{ ip: '10.96.0.1' }] }] };

describe('tenant admission policies', () => {
  test('every policy fails closed and is bound with Deny to the namespaces labelled as a tenant', () => {
    expect(policies.length).toBeGreaterThan(10);
    expect(bindings.map((b) => b.spec.policyName).sort()).toEqual(policies.map((p) => p.metadata.name).sort());
    for (const policy of policies) {
      expect(policy.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(policy.spec.failurePolicy).toBe('Fail');
      for (const rule of policy.spec.matchConstraints.resourceRules) expect(rule.operations).toEqual(['CREATE', 'UPDATE']);
    }
    for (const binding of bindings) {
      expect(binding.spec.validationActions).toEqual(['Deny']);
      expect(binding.spec.matchResources).toEqual({
        namespaceSelector: { matchExpressions: [{ key: 'kubestrata.io/tenant', operator: 'Exists' }] },
      });
    }
  });

  test("every expression parses, type-checks and calls only functions of Kubernetes' CEL", () => {
    expect(evaluator.expressions.length).toBeGreaterThan(40);
    expect(() => compile('b"x".hex() == "78"')).toThrow('hex() is not in the allowed Kubernetes CEL functions');
    expect(() => compile('object.spec.(')).toThrow();
  });

  test('one TenantAdmission for any number of tenants, in the platform layer; tenant namespaces carry the prefix its policies rely on', () => {
    const platform = newPlatform();
    const a = new Tenant(platform, 'a');
    new Tenant(platform, 'b');
    const admission = platform.registry.find(TenantAdmission)!;
    expect(admission.node.path).toBe('platform/platform/tenant-admission');
    expect(platform.registry.requirementsOf(a.namespaceObject)).toContain(admission);
    expect(a.namespaceName.startsWith(TENANT_NAMESPACE_PREFIX)).toBe(true);
  });

  test('Kubernetes 1.28 is refused: the policy API is beta there and off by default', () => {
    const error = problemsOf(() => new Tenant(newPlatform({ kubernetesVersion: '1.28' }), 'a'));
    expect(error.message).toBe(
      [
        '[platform/platform/tenant-admission] 1 problem:',
        '  - platform.kubernetesVersion: "1.28" cannot isolate tenants: their ValidatingAdmissionPolicies are GA from Kubernetes 1.30; in 1.28 the API is beta and off ' +
          'unless the API server runs with --feature-gates=ValidatingAdmissionPolicy=true and --runtime-config=admissionregistration.k8s.io/v1beta1=true, ' +
          'and without the gate stored policies are not enforced. Fix: use a platform kubernetesVersion of 1.32 or 1.33.',
      ].join('\n'),
    );
  });
});

describe('cross-namespace references of operator resources', () => {
  const refused = (path: string) => expect.stringContaining(`${path} of `);

  test.each([
    ['User', { mariaDbRef: { name: 'db', namespace: 'tenant-b' }, passwordSecretKeyRef: { name: 's', key: 'p' } }],
    [
      'Grant',
      { mariaDbRef: { name: 'db', namespace: 'tenant-b' }, username: 'x', privileges: ['ALL PRIVILEGES'], database: '*', table: '*' },
    ],
    ['Database', { mariaDbRef: { name: 'db', namespace: 'tenant-b' } }],
    ['Backup', { mariaDbRef: { name: 'db', namespace: 'tenant-b' } }],
    ['Restore', { mariaDbRef: { name: 'db', namespace: 'tenant-b' } }],
    ['SqlJob', { mariaDbRef: { name: 'db', namespace: 'tenant-b' }, sql: 'DROP DATABASE shop' }],
    ['MaxScale', { mariaDbRef: { name: 'db', namespace: 'tenant-b' } }],
  ])("a mariadb %s pointing at tenant-b's MariaDB is denied", (kind, spec) => {
    expect(messagesOf(mariadb(kind, spec))).toEqual([
      expect.stringMatching(
        /^spec\.mariaDbRef\.namespace of .*must be unset or the object's own namespace: the MariaDB operator acts on the namespace it names/,
      ),
    ]);
  });

  test('a mariadb User and Grant of the own MariaDB pass, with or without the namespace', () => {
    expect(denialsOf(mariadb('User', { mariaDbRef: { name: 'db', namespace: 'tenant-a' } }))).toEqual([]);
    expect(denialsOf(mariadb('Grant', { mariaDbRef: { name: 'db' } }))).toEqual([]);
    expect(denialsOf(mariadb('Database', { mariaDbRef: { name: 'db', namespace: '' } }))).toEqual([]);
  });

  test('a Connection is checked on both of its references', () => {
    expect(
      messagesOf(
        mariadb('Connection', { mariaDbRef: { name: 'db', namespace: 'tenant-b' }, maxScaleRef: { name: 'm', namespace: 'kube-system' } }),
      ),
    ).toEqual([refused('spec.mariaDbRef.namespace'), refused('spec.maxScaleRef.namespace')]);
  });

  test("a RabbitMQ topology object on another tenant's cluster is denied", () => {
    const user = {
      apiVersion: 'rabbitmq.com/v1beta1',
      kind: 'User',
      metadata: meta('u'),
      spec: { rabbitmqClusterReference: { name: 'bus', namespace: 'tenant-b' } },
    };
    const permission = {
      ...user,
      kind: 'Permission',
      spec: { vhost: '/', user: 'u', permissions: { read: '.*' }, rabbitmqClusterReference: { name: 'bus', namespace: 'tenant-b' } },
    };
    expect(messagesOf(user)).toEqual([refused('spec.rabbitmqClusterReference.namespace')]);
    expect(messagesOf(permission)).toEqual([
      expect.stringContaining('the RabbitMQ messaging topology operator acts on the namespace it names'),
    ]);
    expect(denialsOf({ ...user, spec: { rabbitmqClusterReference: { name: 'bus' } } })).toEqual([]);
  });

  test('CDI DataVolumes and DataSources that clone from another namespace are denied', () => {
    const dataVolume = (spec: Record<string, unknown>) => ({
      apiVersion: 'cdi.kubevirt.io/v1beta1',
      kind: 'DataVolume',
      metadata: meta('disk'),
      spec: { storage: {}, ...spec },
    });
    expect(messagesOf(dataVolume({ source: { pvc: { name: 'root', namespace: 'tenant-b' } } }))).toEqual([
      refused('spec.source.pvc.namespace'),
    ]);
    expect(messagesOf(dataVolume({ sourceRef: { kind: 'DataSource', name: 'ubuntu', namespace: 'tenant-b' } }))).toEqual([
      refused('spec.sourceRef.namespace'),
    ]);
    expect(messagesOf(dataVolume({ source: { snapshot: { name: 's', namespace: 'tenant-b' } } }))).toEqual([
      refused('spec.source.snapshot.namespace'),
    ]);
    expect(denialsOf(dataVolume({ source: { pvc: { name: 'root', namespace: 'tenant-a' } } }))).toEqual([]);
    const dataSource = {
      apiVersion: 'cdi.kubevirt.io/v1beta1',
      kind: 'DataSource',
      metadata: meta('ubuntu'),
      spec: { source: { pvc: { name: 'root', namespace: 'tenant-b' } } },
    };
    expect(messagesOf(dataSource)).toEqual([refused('spec.source.pvc.namespace')]);
  });

  test("a VirtualMachine on another namespace's Multus network, or cloning another tenant's disk in a template, is denied", () => {
    const vm = (networkName: string, dataVolumeTemplates: unknown[] = []) => ({
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: meta('vm'),
      spec: {
        dataVolumeTemplates,
        template: {
          spec: {
            domain: { devices: {} },
            networks: [
              { name: 'default', pod: {} },
              { name: 'lan', multus: { networkName } },
            ],
          },
        },
      },
    });
    expect(messagesOf(vm('kube-system/host-lan'))).toEqual([
      expect.stringMatching(
        /^spec\.template\.spec\.networks\[\]\.multus\.networkName of VirtualMachine .*must name a network of the object's own namespace/,
      ),
    ]);
    expect(denialsOf(vm('lan'))).toEqual([]);
    expect(denialsOf(vm('tenant-a/lan'))).toEqual([]);
    expect(
      messagesOf(
        vm('lan', [{ metadata: { name: 'root' }, spec: { sourceRef: { kind: 'DataSource', name: 'win', namespace: 'tenant-b' } } }]),
      ),
    ).toEqual([refused('spec.dataVolumeTemplates[].spec.sourceRef.namespace')]);
    const inOtherNamespace = {
      ...vm('lan'),
      spec: { ...vm('lan').spec, template: { metadata: { namespace: 'tenant-b' }, spec: vm('lan').spec.template.spec } },
    };
    expect(messagesOf(inOtherNamespace)).toEqual([refused('spec.template.metadata.namespace')]);
    const vmi = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstance',
      metadata: meta('vmi'),
      spec: { domain: { devices: {} }, networks: [{ name: 'x', multus: { networkName: 'tenant-b/lan' } }] },
    };
    expect(messagesOf(vmi)).toEqual([refused('spec.networks[].multus.networkName')]);
  });

  test('ClickHouse templates of another namespace and host patterns that leave the namespace are denied', () => {
    const chi = (spec: Record<string, unknown>) => ({
      apiVersion: 'clickhouse.altinity.com/v1',
      kind: 'ClickHouseInstallation',
      metadata: meta('ch'),
      spec,
    });
    expect(messagesOf(chi({ useTemplates: [{ name: 'own' }, { name: 'theirs', namespace: 'tenant-b' }] }))).toEqual([
      refused('spec.useTemplates[].namespace'),
    ]);
    expect(messagesOf(chi({ namespaceDomainPattern: 'tenant-b.svc.cluster.local' }))).toEqual([
      expect.stringContaining('spec.namespaceDomainPattern of ClickHouseInstallation (clickhouse.altinity.com) must be "%s.svc"'),
    ]);
    expect(messagesOf(chi({ namespaceDomainPattern: '%s.svc.cluster.local.tenant-b.svc.cluster.local' }))).toHaveLength(1);
    expect(denialsOf(chi({ namespaceDomainPattern: '%s.svc' }))).toEqual([]);
    expect(
      denialsOf(chi({ namespaceDomainPattern: '%s.svc.cluster.local', useTemplates: [{ name: 'own', namespace: 'tenant-a' }] })),
    ).toEqual([]);
    const keeper = {
      apiVersion: 'clickhouse-keeper.altinity.com/v1',
      kind: 'ClickHouseKeeperInstallation',
      metadata: meta('k'),
      spec: { namespaceDomainPattern: '%s.tenant-b' },
    };
    expect(messagesOf(keeper)).toEqual([refused('spec.namespaceDomainPattern')]);
    const onCozy = newPlatform({ clusterDomain: 'cozy.local' });
    new Tenant(onCozy, 'a');
    const cozy = new AdmissionEvaluator(manifests(onCozy));
    expect(cozy.review(requestFor(chi({ namespaceDomainPattern: '%s.svc.cozy.local' })))).toEqual([]);
    expect(cozy.review(requestFor(chi({ namespaceDomainPattern: '%s.svc.cluster.local' })))).toHaveLength(1);
  });

  test('a Kafka whose entity operator would watch another namespace is denied', () => {
    const kafka = {
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'Kafka',
      metadata: meta('events'),
      spec: { entityOperator: { userOperator: { watchedNamespace: 'tenant-b' }, topicOperator: {} } },
    };
    expect(messagesOf(kafka)).toEqual([refused('spec.entityOperator.userOperator.watchedNamespace')]);
  });

  test("CloudNativePG and MinIO volume claim templates cannot name another namespace's data source", () => {
    const pg = {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: meta('pg'),
      spec: {
        instances: 1,
        storage: {
          size: '1Gi',
          pvcTemplate: { dataSourceRef: { kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io', name: 's', namespace: 'tenant-b' } },
        },
      },
    };
    expect(messagesOf(pg)).toEqual([refused('spec.storage.pvcTemplate.dataSourceRef.namespace')]);
    const minio = {
      apiVersion: 'minio.min.io/v2',
      kind: 'Tenant',
      metadata: meta('s3'),
      spec: {
        pools: [
          {
            servers: 1,
            volumesPerServer: 1,
            volumeClaimTemplate: { spec: { dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'x', namespace: 'tenant-b' } } },
          },
        ],
      },
    };
    expect(messagesOf(minio)).toEqual([refused('spec.pools[].volumeClaimTemplate.spec.dataSourceRef.namespace')]);
  });

  test('an update is checked like a create, and so are requests of the platform', () => {
    const user = mariadb('User', { mariaDbRef: { name: 'db', namespace: 'tenant-b' } });
    expect(denialsOf(user, { oldObject: mariadb('User', { mariaDbRef: { name: 'db' } }) })).toHaveLength(1);
    expect(denialsOf(user, { userInfo: FLUX })).toHaveLength(1);
  });

  test('outside tenant namespaces nothing is checked', () => {
    const user = { ...mariadb('User', { mariaDbRef: { name: 'db', namespace: 'tenant-b' } }), metadata: meta('x', 'databases') };
    expect(denialsOf(user, { namespaceLabels: { 'kubernetes.io/metadata.name': 'databases' } })).toEqual([]);
  });
});

describe('core kinds', () => {
  test('Services of type ExternalName and Services with externalIPs are denied, for every requester', () => {
    expect(messagesOf(service({ type: 'ExternalName', externalName: 'kubernetes.default.svc.cluster.local' }))).toEqual([
      expect.stringMatching(/^A Service of type ExternalName is refused in a tenant namespace/),
    ]);
    expect(messagesOf(service({ ports: [{ port: 80 }], externalIPs: ['10.0.0.10'] }), { userInfo: CLUSTER_ADMIN })).toEqual([
      expect.stringMatching(/^spec\.externalIPs of a Service is refused in a tenant namespace: .*\(CVE-2020-8554\)$/),
    ]);
    expect(denialsOf(service({ type: 'LoadBalancer', ports: [{ port: 80 }], externalIPs: [] }))).toEqual([]);
    expect(denialsOf(service({ ports: [{ port: 80 }] }))).toEqual([]);
  });

  test.each([
    ['the tenant admin', TENANT_ADMIN],
    ['a tenant workload', TENANT_WORKLOAD],
  ])('hand-written Endpoints and EndpointSlices by %s are denied (CVE-2021-25740)', (_who, userInfo) => {
    expect(messagesOf(endpointSlice, { userInfo })).toEqual([
      expect.stringMatching(/^Endpoints and EndpointSlices in a tenant namespace are written only by the cluster's controllers/),
    ]);
    expect(denialsOf(endpoints, { userInfo, oldObject: endpoints })).toHaveLength(1);
  });

  test.each([
    ['kube-controller-manager', CONTROLLER_MANAGER],
    ['its endpointslice controller', ENDPOINT_CONTROLLER],
    ['an operator or Flux', FLUX],
    ['a cluster admin', CLUSTER_ADMIN],
    ['a node', NODE],
  ])('Endpoints and EndpointSlices written by %s pass', (_who, userInfo) => {
    expect(denialsOf(endpointSlice, { userInfo })).toEqual([]);
    expect(denialsOf(endpoints, { userInfo })).toEqual([]);
  });

  test("a claim may not name another namespace's data source, whoever creates it", () => {
    const ref = { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'db', namespace: 'tenant-b' };
    expect(messagesOf(claim({ dataSourceRef: ref }), { userInfo: CONTROLLER_MANAGER })).toEqual([
      expect.stringMatching(/^spec\.dataSourceRef\.namespace of PersistentVolumeClaim \(core\) must be unset/),
    ]);
    expect(denialsOf(claim({ dataSourceRef: { ...ref, namespace: 'tenant-a' } }))).toEqual([]);
  });

  test('a tenant may not choose the volume of a claim; the PersistentVolume controller binds it', () => {
    expect(messagesOf(claim({ volumeName: 'pvc-of-tenant-b' }))).toEqual([
      expect.stringMatching(/^spec\.volumeName of PersistentVolumeClaim \(core\) is set by the PersistentVolume controller/),
    ]);
    expect(denialsOf(claim({ volumeName: 'pvc-1' }), { oldObject: claim({}) })).toHaveLength(1);
    expect(denialsOf(claim({ volumeName: 'pvc-1' }), { oldObject: claim({}), userInfo: CONTROLLER_MANAGER })).toEqual([]);
    expect(
      denialsOf(claim({ volumeName: 'pvc-1', resources: { requests: { storage: '2Gi' } } }), { oldObject: claim({ volumeName: 'pvc-1' }) }),
    ).toEqual([]);
    expect(denialsOf(claim({ volumeName: '' }))).toEqual([]);
    expect(denialsOf(claim({ volumeName: 'pvc-1' }), { userInfo: TENANT_WORKLOAD })).toHaveLength(1);
  });

  test.each([
    [
      'nginx.ingress.kubernetes.io/configuration-snippet',
      'more_set_headers "x: y";',
      'nginx.ingress.kubernetes.io/*-snippet annotations are refused',
    ],
    ['nginx.ingress.kubernetes.io/server-snippet', 'location /x { proxy_pass http://10.0.0.1; }', '(CVE-2021-25742)'],
    ['nginx.ingress.kubernetes.io/auth-tls-secret', 'tenant-b/client-ca', "must name a Secret or ConfigMap of the Ingress's own namespace"],
    ['nginx.ingress.kubernetes.io/auth-secret', 'kube-system/basic-auth', 'nginx.ingress.kubernetes.io/auth-secret'],
    [
      'nginx.ingress.kubernetes.io/auth-url',
      'http://admin.tenant-b.svc.cluster.local/check',
      "must be a URL of a Service in the Ingress's own namespace",
    ],
    ['nginx.ingress.kubernetes.io/mirror-target', 'http://10.96.0.1/', 'nginx.ingress.kubernetes.io/mirror-target'],
    ['nginx.ingress.kubernetes.io/auth-url', 'http://oauth.tenant-a.svc.evil.example/', 'nginx.ingress.kubernetes.io/auth-url'],
  ])('an Ingress with %s: %s is denied', (key, value, message) => {
    expect(messagesOf(ingress({ [key]: value }))).toEqual([expect.stringContaining(message)]);
  });

  test('an Ingress with ordinary annotations and references into its own namespace passes', () => {
    expect(
      denialsOf(
        ingress({
          'nginx.ingress.kubernetes.io/auth-tls-secret': 'tenant-a/client-ca',
          'nginx.ingress.kubernetes.io/auth-secret': 'basic-auth',
          'nginx.ingress.kubernetes.io/auth-url': 'http://oauth2-proxy.tenant-a.svc.cluster.local/oauth2/auth',
          'nginx.ingress.kubernetes.io/proxy-body-size': '10m',
          'cert-manager.io/cluster-issuer': 'letsencrypt',
        }),
      ),
    ).toEqual([]);
    expect(denialsOf({ ...ingress({}), metadata: meta('web') })).toEqual([]);
  });
});

describe('pod networks', () => {
  const pod = (annotations: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('app', 'tenant-a', annotations),
    spec: { containers: [{ name: 'app', image: 'app' }] },
  });
  const KUBE_OVN = { username: 'system:serviceaccount:kube-system:kube-ovn-controller', groups: ['system:serviceaccounts'] };
  const multus = expect.stringMatching(
    /^k8s\.v1\.cni\.cncf\.io\/networks and v1\.multus-cni\.io\/default-network of a Pod must name networks of the Pod's own namespace/,
  );

  test.each([
    ['k8s.v1.cni.cncf.io/networks', 'tenant-b/lan'],
    ['k8s.v1.cni.cncf.io/networks', 'lan, tenant-b/storage@eth2'],
    ['k8s.v1.cni.cncf.io/networks', '[{"name":"lan","namespace":"tenant-b"}]'],
    ['k8s.v1.cni.cncf.io/networks', '[{"name":"lan","namespace":"tenant-a"},{"name":"x","Namespace":"tenant-b"}]'],
    ['k8s.v1.cni.cncf.io/networks', '[{"name":"lan","names\\u0070ace":"tenant-b"}]'],
    ['k8s.v1.cni.cncf.io/networks', '[{"name":"lan","namespace" : "tenant-a"}]'],
    ['v1.multus-cni.io/default-network', 'kube-system/host-network'],
  ])('a Pod with %s: %s is denied, also when a controller creates it from a template', (key, value) => {
    expect(messagesOf(pod({ [key]: value }))).toEqual([multus]);
    expect(messagesOf(pod({ [key]: value }), { userInfo: CONTROLLER_MANAGER })).toEqual([multus]);
  });

  test.each(['ovn.kubernetes.io/logical_switch', 'ovn.kubernetes.io/ip_pool', 'lan.tenant-a.ovn.kubernetes.io/logical_switch'])(
    'a Pod choosing its Kube-OVN subnet with %s is denied',
    (key) => {
      expect(messagesOf(pod({ [key]: 'tenant-b-subnet' }))).toEqual([
        expect.stringMatching(/^Kube-OVN logical_switch and ip_pool annotations of a Pod are refused/),
      ]);
    },
  );

  test("networks of the own namespace pass, and so do Kube-OVN's own updates of its annotations", () => {
    expect(denialsOf(pod({ 'k8s.v1.cni.cncf.io/networks': 'lan, tenant-a/storage@eth2' }))).toEqual([]);
    expect(denialsOf(pod({ 'k8s.v1.cni.cncf.io/networks': '[{"interface":"pod4a8f","name":"lan","namespace":"tenant-a"}]' }))).toEqual([]);
    expect(denialsOf(pod({ 'ovn.kubernetes.io/logical_switch': 'ovn-default' }), { oldObject: pod({}), userInfo: KUBE_OVN })).toEqual([]);
    expect(denialsOf(pod({ 'ovn.kubernetes.io/logical_switch': 'tenant-b-subnet' }), { oldObject: pod({}) })).toHaveLength(1);
  });
});
