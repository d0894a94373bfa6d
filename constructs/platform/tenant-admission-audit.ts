/** What a field must satisfy so that writing it cannot reach outside the tenant namespace. */
export type ReferenceRule =
  /** A namespace: unset or the tenant's own. */
  | 'own-namespace'
  /** A Multus network, `name` or `namespace/name`: without a namespace or with the tenant's own. */
  | 'own-network'
  /** A host-name pattern whose `%s` the operator fills with the object's namespace: `%s.svc` or `%s.svc.<domain>`. */
  | 'own-service-domain'
  /** A Service type: anything but ExternalName, which aliases any DNS name, including another tenant's Services. */
  | 'not-external-name'
  /** Must not be set (an empty list counts as unset). */
  | 'unset'
  /** The whole kind: written only by the cluster's own controllers and the platform's operators. */
  | 'platform-only'
  /** Set only by the cluster's controllers, never chosen by the tenant (it would name a volume of someone else). */
  | 'set-by-controller'
  /** Ingress annotations: no ingress-nginx snippets and no references or URLs into other namespaces. */
  | 'ingress-nginx-annotations'
  /** Pod annotations: Multus networks of the own namespace only, no Kube-OVN subnet or IP pool of the tenant's choosing. */
  | 'pod-network-annotations';

export interface ReferenceField {
  /** Dotted path from the object root; `[]` steps into every item of a list. `''` for the whole object. */
  readonly path: string;
  readonly rule: ReferenceRule;
}

/** One kind a tenant admin may write, the controller that acts on it and the fields that could name another namespace. */
export interface AuditedKind {
  readonly group: string;
  readonly resource: string;
  readonly kind: string;
  /** Who acts on what the field names. */
  readonly actor: string;
  readonly fields: readonly ReferenceField[];
}

const ownNamespace = (...paths: string[]): ReferenceField[] => paths.map((path) => ({ path, rule: 'own-namespace' }));
const audited = (
  group: string,
  actor: string,
  kinds: ReadonlyArray<readonly [resource: string, kind: string, fields: readonly ReferenceField[]]>,
): AuditedKind[] => kinds.map(([resource, kind, fields]) => ({ group, resource, kind, actor, fields }));

const MARIADB_REF = ownNamespace('spec.mariaDbRef.namespace');
const RABBITMQ_REF = ownNamespace('spec.rabbitmqClusterReference.namespace');
const DATA_VOLUME_SOURCES = [
  'source.pvc.namespace',
  'source.snapshot.namespace',
  'sourceRef.namespace',
  'pvc.dataSourceRef.namespace',
  'storage.dataSourceRef.namespace',
];
const CLAIM_TEMPLATE = 'spec.dataSourceRef.namespace';

/**
 * Every kind a tenant admin may write, with each field (found by reading the CRDs' and OpenAPI documents' schemas
 * for namespaces, references, Multus network names and templates) through which a controller would act in another
 * namespace, and the rule that keeps it inside the tenant. Kinds without such fields are listed with none.
 */
export const TENANT_KIND_AUDIT: readonly AuditedKind[] = [
  ...audited('', 'kube-proxy and the cluster DNS', [
    [
      'services',
      'Service',
      [
        { path: 'spec.type', rule: 'not-external-name' },
        { path: 'spec.externalIPs', rule: 'unset' },
      ],
    ],
  ]),
  ...audited('', 'kube-proxy', [['endpoints', 'Endpoints', [{ path: '', rule: 'platform-only' }]]]),
  ...audited('discovery.k8s.io', 'kube-proxy', [['endpointslices', 'EndpointSlice', [{ path: '', rule: 'platform-only' }]]]),
  ...audited('', 'the volume provisioner and the PersistentVolume controller', [
    [
      'persistentvolumeclaims',
      'PersistentVolumeClaim',
      [...ownNamespace('spec.dataSourceRef.namespace'), { path: 'spec.volumeName', rule: 'set-by-controller' }],
    ],
  ]),
  ...audited('networking.k8s.io', 'ingress-nginx', [
    ['ingresses', 'Ingress', [{ path: 'metadata.annotations', rule: 'ingress-nginx-annotations' }]],
  ]),
  ...audited('', 'Multus and Kube-OVN', [['pods', 'Pod', [{ path: 'metadata.annotations', rule: 'pod-network-annotations' }]]]),
  ...audited('', 'the kubelet', [
    ['configmaps', 'ConfigMap', []],
    ['secrets', 'Secret', []],
    ['serviceaccounts', 'ServiceAccount', []],
  ]),
  ...audited('apps', 'the workload controllers', [
    ['deployments', 'Deployment', []],
    ['statefulsets', 'StatefulSet', []],
    ['daemonsets', 'DaemonSet', []],
    ['replicasets', 'ReplicaSet', []],
  ]),
  ...audited('batch', 'the job controllers', [
    ['jobs', 'Job', []],
    ['cronjobs', 'CronJob', []],
  ]),
  ...audited('autoscaling', 'the autoscaler', [['horizontalpodautoscalers', 'HorizontalPodAutoscaler', []]]),
  ...audited('policy', 'the eviction API', [['poddisruptionbudgets', 'PodDisruptionBudget', []]]),

  ...audited('postgresql.cnpg.io', 'CloudNativePG', [
    [
      'clusters',
      'Cluster',
      [
        ...ownNamespace(
          `spec.storage.pvcTemplate.dataSourceRef.namespace`,
          `spec.walStorage.pvcTemplate.dataSourceRef.namespace`,
          `spec.tablespaces[].storage.pvcTemplate.dataSourceRef.namespace`,
          `spec.ephemeralVolumeSource.volumeClaimTemplate.${CLAIM_TEMPLATE}`,
        ),
      ],
    ],
    ['poolers', 'Pooler', ownNamespace(`spec.template.spec.volumes[].ephemeral.volumeClaimTemplate.${CLAIM_TEMPLATE}`)],
    ['backups', 'Backup', []],
    ['databases', 'Database', []],
    ['imagecatalogs', 'ImageCatalog', []],
    ['publications', 'Publication', []],
    ['scheduledbackups', 'ScheduledBackup', []],
    ['subscriptions', 'Subscription', []],
  ]),
  ...audited('barmancloud.cnpg.io', 'the Barman Cloud plugin', [['objectstores', 'ObjectStore', []]]),
  ...audited('minio.min.io', 'the MinIO operator', [
    [
      'tenants',
      'Tenant',
      ownNamespace(
        `spec.pools[].volumeClaimTemplate.${CLAIM_TEMPLATE}`,
        `spec.additionalVolumes[].ephemeral.volumeClaimTemplate.${CLAIM_TEMPLATE}`,
        `spec.sideCars.volumeClaimTemplates[].${CLAIM_TEMPLATE}`,
        `spec.sideCars.volumes[].ephemeral.volumeClaimTemplate.${CLAIM_TEMPLATE}`,
        'spec.pools[].volumeClaimTemplate.metadata.namespace',
        'spec.additionalVolumes[].ephemeral.volumeClaimTemplate.metadata.namespace',
        'spec.sideCars.volumeClaimTemplates[].metadata.namespace',
        'spec.sideCars.volumes[].ephemeral.volumeClaimTemplate.metadata.namespace',
      ),
    ],
  ]),
  ...audited('kubevirt.io', 'KubeVirt and CDI', [
    [
      'virtualmachines',
      'VirtualMachine',
      [
        { path: 'spec.template.spec.networks[].multus.networkName', rule: 'own-network' },
        ...ownNamespace(
          ...DATA_VOLUME_SOURCES.map((source) => `spec.dataVolumeTemplates[].spec.${source}`),
          'spec.dataVolumeTemplates[].metadata.namespace',
          'spec.template.metadata.namespace',
        ),
      ],
    ],
    ['virtualmachineinstances', 'VirtualMachineInstance', [{ path: 'spec.networks[].multus.networkName', rule: 'own-network' }]],
    [
      'virtualmachineinstancereplicasets',
      'VirtualMachineInstanceReplicaSet',
      [
        { path: 'spec.template.spec.networks[].multus.networkName', rule: 'own-network' },
        ...ownNamespace('spec.template.metadata.namespace'),
      ],
    ],
    ['virtualmachineinstancemigrations', 'VirtualMachineInstanceMigration', []],
  ]),
  ...audited('instancetype.kubevirt.io', 'KubeVirt', [
    ['virtualmachineinstancetypes', 'VirtualMachineInstancetype', []],
    ['virtualmachinepreferences', 'VirtualMachinePreference', []],
  ]),
  ...audited('cdi.kubevirt.io', 'CDI', [
    ['datavolumes', 'DataVolume', ownNamespace(...DATA_VOLUME_SOURCES.map((source) => `spec.${source}`))],
    [
      'datasources',
      'DataSource',
      ownNamespace('spec.source.pvc.namespace', 'spec.source.snapshot.namespace', 'spec.source.dataSource.namespace'),
    ],
    [
      'dataimportcrons',
      'DataImportCron',
      ownNamespace(...DATA_VOLUME_SOURCES.map((source) => `spec.template.spec.${source}`), 'spec.template.metadata.namespace'),
    ],
    ['volumeclonesources', 'VolumeCloneSource', []],
    ['volumeimportsources', 'VolumeImportSource', []],
    ['volumeuploadsources', 'VolumeUploadSource', []],
  ]),
  ...audited('databases.spotahome.com', 'the Redis operator', [
    [
      'redisfailovers',
      'RedisFailover',
      ownNamespace(
        `spec.redis.storage.persistentVolumeClaim.${CLAIM_TEMPLATE}`,
        `spec.redis.extraVolumes[].ephemeral.volumeClaimTemplate.${CLAIM_TEMPLATE}`,
        `spec.sentinel.extraVolumes[].ephemeral.volumeClaimTemplate.${CLAIM_TEMPLATE}`,
      ),
    ],
  ]),
  ...audited('k8s.mariadb.com', 'the MariaDB operator', [
    ['users', 'User', MARIADB_REF],
    ['grants', 'Grant', MARIADB_REF],
    ['databases', 'Database', MARIADB_REF],
    ['backups', 'Backup', MARIADB_REF],
    ['physicalbackups', 'PhysicalBackup', MARIADB_REF],
    ['restores', 'Restore', MARIADB_REF],
    ['sqljobs', 'SqlJob', MARIADB_REF],
    ['maxscales', 'MaxScale', MARIADB_REF],
    ['connections', 'Connection', ownNamespace('spec.mariaDbRef.namespace', 'spec.maxScaleRef.namespace')],
    ['mariadbs', 'MariaDB', ownNamespace('spec.maxScaleRef.namespace')],
    ['externalmariadbs', 'ExternalMariaDB', []],
  ]),
  ...audited('rabbitmq.com', 'the RabbitMQ messaging topology operator', [
    ['bindings', 'Binding', RABBITMQ_REF],
    ['exchanges', 'Exchange', RABBITMQ_REF],
    ['federations', 'Federation', RABBITMQ_REF],
    ['operatorpolicies', 'OperatorPolicy', RABBITMQ_REF],
    ['permissions', 'Permission', RABBITMQ_REF],
    ['policies', 'Policy', RABBITMQ_REF],
    ['queues', 'Queue', RABBITMQ_REF],
    ['schemareplications', 'SchemaReplication', RABBITMQ_REF],
    ['shovels', 'Shovel', RABBITMQ_REF],
    ['superstreams', 'SuperStream', RABBITMQ_REF],
    ['topicpermissions', 'TopicPermission', RABBITMQ_REF],
    ['users', 'User', RABBITMQ_REF],
    ['vhosts', 'Vhost', RABBITMQ_REF],
    [
      'rabbitmqclusters',
      'RabbitmqCluster',
      ownNamespace(
        'spec.override.statefulSet.spec.template.metadata.namespace',
        `spec.override.statefulSet.spec.template.spec.volumes[].ephemeral.volumeClaimTemplate.${CLAIM_TEMPLATE}`,
        'spec.override.statefulSet.spec.volumeClaimTemplates[].metadata.namespace',
        `spec.override.statefulSet.spec.volumeClaimTemplates[].${CLAIM_TEMPLATE}`,
      ),
    ],
  ]),
  ...audited('kafka.strimzi.io', 'the Strimzi cluster operator, which grants the entity operator access to the watched namespace', [
    [
      'kafkas',
      'Kafka',
      ownNamespace('spec.entityOperator.topicOperator.watchedNamespace', 'spec.entityOperator.userOperator.watchedNamespace'),
    ],
    ['kafkabridges', 'KafkaBridge', []],
    ['kafkaconnectors', 'KafkaConnector', []],
    ['kafkaconnects', 'KafkaConnect', []],
    ['kafkamirrormaker2s', 'KafkaMirrorMaker2', []],
    ['kafkamirrormakers', 'KafkaMirrorMaker', []],
    ['kafkanodepools', 'KafkaNodePool', []],
    ['kafkarebalances', 'KafkaRebalance', []],
    ['kafkatopics', 'KafkaTopic', []],
    ['kafkausers', 'KafkaUser', []],
  ]),
  ...audited('clickhouse.altinity.com', 'the Altinity ClickHouse operator, which connects to the hosts with its own credentials', [
    [
      'clickhouseinstallations',
      'ClickHouseInstallation',
      [...ownNamespace('spec.useTemplates[].namespace'), { path: 'spec.namespaceDomainPattern', rule: 'own-service-domain' }],
    ],
  ]),
  ...audited('clickhouse-keeper.altinity.com', 'the Altinity ClickHouse operator', [
    [
      'clickhousekeeperinstallations',
      'ClickHouseKeeperInstallation',
      [{ path: 'spec.namespaceDomainPattern', rule: 'own-service-domain' }],
    ],
  ]),
];

/**
 * Schema properties of those kinds that are named like a namespace reference but cannot reach into another
 * namespace, and why. Every other such property must be a field of TENANT_KIND_AUDIT.
 */
export const NOT_REFERENCES: Readonly<Record<string, string>> = {
  namespaces: 'pod (anti-)affinity terms: places pods relative to pods of those namespaces, grants nothing there',
  namespaceSelector: 'pod (anti-)affinity terms: places pods relative to pods of those namespaces, grants nothing there',
  shareProcessNamespace: 'shares the process namespace between the containers of one pod',
  volumeNamespace: 'StorageOS volumes, whose in-tree plugin Kubernetes 1.25 removed',
};
