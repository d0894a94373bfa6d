import * as path from 'node:path';
import { SchemaRegistry } from '../../../lib/validate';

const SCHEMAS = process.env.KUBESTRATA_SCHEMAS ?? path.resolve(__dirname, '../../../../shared');
const registry = SchemaRegistry.load(SCHEMAS, { kubernetesVersion: '1.32.0' });

const namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'tenant-acme', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
};

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'tenant-acme', creationTimestamp: null },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ name: 'http', containerPort: 8080 }],
            resources: { requests: { cpu: 0.5, memory: '64Mi' }, limits: { cpu: 1, memory: '128Mi' } },
            livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
            readinessProbe: { tcpSocket: { port: 8080 } },
          },
        ],
      },
    },
  },
};

const cnpgCluster = {
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name: 'orders', namespace: 'tenant-acme', labels: { app: 'orders' } },
  spec: {
    instances: 3,
    imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5',
    storage: { size: '10Gi', storageClass: 'replicated' },
    resources: { requests: { cpu: 1, memory: '512Mi' } },
    postgresql: { parameters: { max_connections: '200' } },
    bootstrap: { initdb: { database: 'orders', owner: 'orders', secret: { name: 'orders-app' } } },
    monitoring: { enablePodMonitor: true },
  },
};

const helmRelease = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'cloudnative-pg', namespace: 'cozy-postgres-operator' },
  spec: {
    interval: '5m',
    releaseName: 'cloudnative-pg',
    chart: {
      spec: {
        chart: 'cloudnative-pg',
        version: '0.27.1',
        sourceRef: { kind: 'HelmRepository', name: 'cnpg', namespace: 'flux-system' },
      },
    },
    install: { crds: 'CreateReplace', remediation: { retries: -1 } },
    dependsOn: [{ name: 'cert-manager', namespace: 'cozy-cert-manager' }],
    values: { config: { data: { INHERITED_LABELS: 'tenant' } }, replicaCount: 2, tolerations: [{ anything: true }] },
  },
};

const helmChart = {
  apiVersion: 'helm.cattle.io/v1',
  kind: 'HelmChart',
  metadata: { name: 'juicefs-csi', namespace: 'kube-system' },
  spec: {
    repo: 'https://juicedata.github.io/charts/',
    chart: 'juicefs-csi-driver',
    version: '0.28.2',
    targetNamespace: 'juicefs',
    createNamespace: true,
    failurePolicy: 'abort',
    set: { 'controller.replicas': 2, 'image.tag': 'v0.28.2' },
    valuesContent: 'storageClasses: []\n',
  },
};

const virtualMachine = {
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm1', namespace: 'tenant-acme' },
  spec: {
    runStrategy: 'Always',
    dataVolumeTemplates: [
      {
        metadata: { name: 'vm1-root' },
        spec: {
          source: { registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' } },
          storage: { resources: { requests: { storage: '20Gi' } } },
        },
      },
    ],
    template: {
      metadata: { labels: { app: 'vm1' } },
      spec: {
        domain: {
          cpu: { cores: 2 },
          memory: { guest: '2Gi' },
          devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }], interfaces: [{ name: 'default', masquerade: {} }] },
        },
        networks: [{ name: 'default', pod: {} }],
        volumes: [{ name: 'root', dataVolume: { name: 'vm1-root' } }],
      },
    },
  },
};

const dataVolume = {
  apiVersion: 'cdi.kubevirt.io/v1beta1',
  kind: 'DataVolume',
  metadata: { name: 'ubuntu-noble', namespace: 'tenant-acme' },
  spec: {
    source: { http: { url: 'https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img' } },
    storage: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'replicated' },
  },
};

/** A deep copy of an example with changes applied, so each failing case differs from a valid object in one place. */
function variant<T>(example: T, change: (copy: any) => void): T {
  const copy = structuredClone(example);
  change(copy);
  return copy;
}

describe('SchemaRegistry: valid objects', () => {
  test.each([
    ['v1 Namespace (built-in, cluster-scoped)', namespace],
    ['apps/v1 Deployment (built-in)', deployment],
    ['postgresql.cnpg.io/v1 Cluster (CRD)', cnpgCluster],
    ['helm.toolkit.fluxcd.io/v2 HelmRelease (CRD)', helmRelease],
    ['helm.cattle.io/v1 HelmChart (CRD)', helmChart],
    ['kubevirt.io/v1 VirtualMachine (KubeVirt OpenAPI)', virtualMachine],
    ['cdi.kubevirt.io/v1beta1 DataVolume (CDI OpenAPI)', dataVolume],
  ])('%s has no issues', (_name, object) => {
    expect(registry.validate(object)).toEqual([]);
  });

  test('the default Kubernetes version is the highest available', () => {
    expect(SchemaRegistry.load(SCHEMAS).kubernetesVersion).toBe('1.33.0');
    expect(registry.kubernetesVersion).toBe('1.32.0');
  });

  test('status is not required, even where the OpenAPI document requires it', () => {
    const uploadTokenRequest = {
      apiVersion: 'upload.cdi.kubevirt.io/v1beta1',
      kind: 'UploadTokenRequest',
      metadata: { name: 'upload', namespace: 'tenant-acme' },
      spec: { pvcName: 'disk' },
    };
    expect(registry.validate(uploadTokenRequest)).toEqual([]);
  });

  test('the items of a v1 List are validated one by one', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [namespace, variant(namespace, (o) => (o.metadata.uid = 7))] };
    expect(registry.validate(list)).toEqual([{ object: 'v1 Namespace tenant-acme', path: '/metadata/uid', message: 'must be string' }]);
  });

  test('scopeOf tells namespaced from cluster-scoped kinds of every source', () => {
    expect(registry.scopeOf('v1', 'Namespace')).toBe('Cluster');
    expect(registry.scopeOf('apps/v1', 'Deployment')).toBe('Namespaced');
    expect(registry.scopeOf('cert-manager.io/v1', 'ClusterIssuer')).toBe('Cluster');
    expect(registry.scopeOf('postgresql.cnpg.io/v1', 'Cluster')).toBe('Namespaced');
    expect(registry.scopeOf('instancetype.kubevirt.io/v1beta1', 'VirtualMachineClusterInstancetype')).toBe('Cluster');
    expect(registry.scopeOf('cdi.kubevirt.io/v1beta1', 'DataVolume')).toBe('Namespaced');
    expect(registry.scopeOf('example.com/v1', 'Nothing')).toBeUndefined();
  });
});

describe('SchemaRegistry: strict validation', () => {
  const orders = 'postgresql.cnpg.io/v1 Cluster tenant-acme/orders';

  test('an unknown field in spec is reported at spec', () => {
    const object = variant(cnpgCluster, (o) => (o.spec.replicas = 3));
    expect(registry.validate(object)).toEqual([{ object: orders, path: '/spec', message: 'unknown field "replicas"' }]);
  });

  test('an unknown field in metadata is reported, also for CRDs whose schema leaves metadata open', () => {
    const web = variant(deployment, (o) => (o.metadata.label = { app: 'web' }));
    expect(registry.validate(web)).toEqual([
      { object: 'apps/v1 Deployment tenant-acme/web', path: '/metadata', message: 'unknown field "label"' },
    ]);
    const cluster = variant(cnpgCluster, (o) => (o.metadata.annotation = 'x'));
    expect(registry.validate(cluster)).toEqual([{ object: orders, path: '/metadata', message: 'unknown field "annotation"' }]);
  });

  test('a value of the wrong type is reported at the value', () => {
    const object = variant(cnpgCluster, (o) => (o.spec.instances = '3'));
    expect(registry.validate(object)).toEqual([{ object: orders, path: '/spec/instances', message: 'must be integer' }]);
  });

  test('a missing required field is reported at its parent', () => {
    const object = variant(helmRelease, (o) => delete o.spec.chart.spec.sourceRef);
    expect(registry.validate(object)).toEqual([
      {
        object: 'helm.toolkit.fluxcd.io/v2 HelmRelease cozy-postgres-operator/cloudnative-pg',
        path: '/spec/chart/spec',
        message: 'missing required field "sourceRef"',
      },
    ]);
  });

  test('int-or-string fields take integers and strings, nothing else', () => {
    const numbersAndStrings = variant(helmChart, (o) => (o.spec.set = { replicas: 3, tag: 'v1' }));
    expect(registry.validate(numbersAndStrings)).toEqual([]);
    const boolean = variant(helmChart, (o) => (o.spec.set = { debug: true }));
    expect(registry.validate(boolean)).toEqual([
      { object: 'helm.cattle.io/v1 HelmChart kube-system/juicefs-csi', path: '/spec/set/debug', message: 'must be integer or string' },
    ]);
    const builtIn = variant(deployment, (o) => (o.spec.strategy.rollingUpdate.maxSurge = 1.5));
    expect(registry.validate(builtIn)).toEqual([
      {
        object: 'apps/v1 Deployment tenant-acme/web',
        path: '/spec/strategy/rollingUpdate/maxSurge',
        message: 'must be integer or string',
      },
    ]);
  });

  test('a preserve-unknown-fields subtree accepts anything, while its listed fields are still checked', () => {
    expect(registry.validate(variant(helmRelease, (o) => (o.spec.values = { any: [{ thing: { at: 1 } }] })))).toEqual([]);
    const vmauth = {
      apiVersion: 'operator.victoriametrics.com/v1beta1',
      kind: 'VMAuth',
      metadata: { name: 'auth', namespace: 'monitoring' },
      spec: { notInTheSchema: { a: 1 }, replicaCount: 'two' },
    };
    expect(registry.validate(vmauth)).toEqual([
      { object: 'operator.victoriametrics.com/v1beta1 VMAuth monitoring/auth', path: '/spec/replicaCount', message: 'must be integer' },
    ]);
  });

  test('a kind without a schema is reported', () => {
    const foo = variant(cnpgCluster, (o) => (o.kind = 'Foo'));
    expect(registry.validate(foo)).toEqual([
      { object: 'postgresql.cnpg.io/v1 Foo tenant-acme/orders', path: '/', message: 'no schema for postgresql.cnpg.io/v1 Foo' },
    ]);
    const v2 = variant(cnpgCluster, (o) => (o.apiVersion = 'postgresql.cnpg.io/v2'));
    expect(registry.validate(v2)).toEqual([
      { object: 'postgresql.cnpg.io/v2 Cluster tenant-acme/orders', path: '/', message: 'no schema for postgresql.cnpg.io/v2 Cluster' },
    ]);
  });

  test('built-in kinds follow the chosen Kubernetes version', () => {
    const serviceCidr = {
      apiVersion: 'networking.k8s.io/v1beta1',
      kind: 'ServiceCIDR',
      metadata: { name: 'extra' },
      spec: { cidrs: ['10.96.0.0/16'] },
    };
    expect(registry.validate(serviceCidr)).toEqual([]);
    expect(SchemaRegistry.load(SCHEMAS, { kubernetesVersion: '1.28.0' }).validate(serviceCidr)).toEqual([
      { object: 'networking.k8s.io/v1beta1 ServiceCIDR extra', path: '/', message: 'no schema for networking.k8s.io/v1beta1 ServiceCIDR' },
    ]);
  });

  test('an unavailable Kubernetes version is an error that lists the available ones', () => {
    expect(() => SchemaRegistry.load(SCHEMAS, { kubernetesVersion: '1.30.0' })).toThrow(
      /no Kubernetes schemas for version 1\.30\.0 .*\(available: 1\.28\.0, 1\.32\.0, 1\.33\.0\)/,
    );
    expect(() => SchemaRegistry.load(path.join(SCHEMAS, 'does-not-exist'))).toThrow(/does not exist/);
  });
});

describe('SchemaRegistry: identity and scope', () => {
  test('a namespaced kind without a namespace is reported, whatever its source', () => {
    const cases: Array<[unknown, string, string]> = [
      [variant(cnpgCluster, (o) => delete o.metadata.namespace), 'postgresql.cnpg.io/v1 Cluster orders', 'Cluster'],
      [variant(deployment, (o) => delete o.metadata.namespace), 'apps/v1 Deployment web', 'Deployment'],
      [variant(dataVolume, (o) => delete o.metadata.namespace), 'cdi.kubevirt.io/v1beta1 DataVolume ubuntu-noble', 'DataVolume'],
    ];
    for (const [object, name, kind] of cases) {
      expect(registry.validate(object)).toEqual([
        { object: name, path: '/metadata', message: `missing required field "namespace": ${kind} is namespaced` },
      ]);
    }
  });

  test('a cluster-scoped kind with a namespace is reported, whatever its source', () => {
    const cases: Array<[unknown, string, string]> = [
      [variant(namespace, (o) => (o.metadata.namespace = 'default')), 'v1 Namespace default/tenant-acme', 'Namespace'],
      [
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'ClusterIssuer',
          metadata: { name: 'selfsigned', namespace: 'cert-manager' },
          spec: { selfSigned: {} },
        },
        'cert-manager.io/v1 ClusterIssuer cert-manager/selfsigned',
        'ClusterIssuer',
      ],
      [
        {
          apiVersion: 'instancetype.kubevirt.io/v1beta1',
          kind: 'VirtualMachineClusterInstancetype',
          metadata: { name: 'u1.small', namespace: 'default' },
          spec: { cpu: { guest: 1 }, memory: { guest: '2Gi' } },
        },
        'instancetype.kubevirt.io/v1beta1 VirtualMachineClusterInstancetype default/u1.small',
        'VirtualMachineClusterInstancetype',
      ],
    ];
    for (const [object, name, kind] of cases) {
      expect(registry.validate(object)).toEqual([
        { object: name, path: '/metadata/namespace', message: `must not be set: ${kind} is cluster-scoped` },
      ]);
    }
  });

  test('metadata.name, apiVersion and kind are required', () => {
    expect(registry.validate(variant(namespace, (o) => delete o.metadata.name))).toEqual([
      { object: 'v1 Namespace (unnamed)', path: '/metadata', message: 'missing required field "name"' },
    ]);
    expect(registry.validate({ metadata: { name: 'x' } })).toEqual([
      { object: '(no apiVersion) (no kind) x', path: '/', message: 'missing required field "apiVersion"' },
      { object: '(no apiVersion) (no kind) x', path: '/', message: 'missing required field "kind"' },
    ]);
    expect(registry.validate('just text')).toEqual([{ object: '(not an object: string)', path: '/', message: 'must be an object' }]);
  });
});

describe('SchemaRegistry: messages', () => {
  test('an enum violation names the allowed values and the value given', () => {
    const object = variant(helmChart, (o) => (o.spec.failurePolicy = 'explode'));
    expect(registry.validate(object)).toEqual([
      {
        object: 'helm.cattle.io/v1 HelmChart kube-system/juicefs-csi',
        path: '/spec/failurePolicy',
        message: 'must be one of "abort", "reinstall", "retry" (got "explode")',
      },
    ]);
  });

  test('oneOf alternatives collapse into one message each', () => {
    const bridge = {
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaBridge',
      metadata: { name: 'bridge', namespace: 'kafka' },
      spec: {
        replicas: 1,
        bootstrapServers: 'kafka:9092',
        template: {
          bridgeContainer: {
            env: [
              { name: 'NEITHER' },
              { name: 'BOTH', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
              { name: 'FINE', value: 'x' },
            ],
          },
        },
      },
    };
    const object = 'kafka.strimzi.io/v1beta2 KafkaBridge kafka/bridge';
    expect(registry.validate(bridge)).toEqual([
      { object, path: '/spec/template/bridgeContainer/env/0', message: 'must set exactly one of "value", "valueFrom"' },
      { object, path: '/spec/template/bridgeContainer/env/1', message: 'must set only one of "value", "valueFrom"' },
    ]);
  });

  test('status may be absent but is validated when present', () => {
    const object = variant(cnpgCluster, (o) => (o.status = { instances: 'three' }));
    expect(registry.validate(object)).toEqual([
      { object: 'postgresql.cnpg.io/v1 Cluster tenant-acme/orders', path: '/status/instances', message: 'must be integer' },
    ]);
  });

  test('address formats are checked; other formats are not', () => {
    const pool = {
      apiVersion: 'kubeovn.io/v1',
      kind: 'IPPool',
      metadata: { name: 'pool' },
      spec: { subnet: 'tenant', ips: ['10.0.0.10', '10.0.1.0/24', 'fd00::1', 'not-an-ip'] },
    };
    const issues = registry.validate(pool);
    expect(issues.map(({ path: at }) => at)).toEqual(['/spec/ips/3']);
    expect(issues[0]?.message).toMatch(/^must match at least one of: format "ipv4"; format "ipv6"; format "cidr"; pattern "/);
    const certificate = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'web', namespace: 'tenant-acme' },
      spec: { secretName: 'web-tls', issuerRef: { name: 'letsencrypt' }, dnsNames: ['example.org'], duration: '2160h' },
      status: { notAfter: 'not a date' },
    };
    expect(registry.validate(certificate)).toEqual([]);
  });

  test('patterns are read as Go regular expressions, inline flags included', () => {
    const bgp = (logSeverityScreen: string): object => ({
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'BGPConfiguration',
      metadata: { name: 'default' },
      spec: { logSeverityScreen },
    });
    expect(registry.validate(bgp('info'))).toEqual([]);
    expect(registry.validate(bgp('loud'))).toEqual([
      {
        object: 'crd.projectcalico.org/v1 BGPConfiguration default',
        path: '/spec/logSeverityScreen',
        message: 'must match pattern "^(?i)(Trace|Debug|Info|Warning|Error|Fatal)?$"',
      },
    ]);
  });

  test('a CustomResourceDefinition is checked down to the schemas nested in items and additionalProperties', () => {
    const schemaWithTypo = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            rules: { type: 'array', items: { type: 'object', properties: { priority: { type: 'integer', min: 1 } } } },
            labels: { type: 'object', additionalProperties: { type: 'string', maxLenght: 63 } },
          },
        },
      },
    };
    const definition = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'rules.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Rule', plural: 'rules' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schemaWithTypo } }],
      },
    };
    const object = 'apiextensions.k8s.io/v1 CustomResourceDefinition rules.example.com';
    const at = '/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties';
    expect(registry.validate(definition)).toEqual([
      { object, path: `${at}/rules/items/properties/priority`, message: 'unknown field "min"' },
      { object, path: `${at}/labels/additionalProperties`, message: 'unknown field "maxLenght"' },
    ]);
  });
});
