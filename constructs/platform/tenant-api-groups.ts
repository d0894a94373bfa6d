/**
 * The resources of the managed services a tenant admin may create and change in the tenant namespace: every
 * namespaced kind of each API group (from the operators' CRDs; for KubeVirt and CDI from the kinds their
 * operators register and, for `subresources.kubevirt.io`, the subresources of their OpenAPI document) except
 * those in TENANT_API_EXCLUDED. The tests derive the same lists from the upstream files.
 */
export const TENANT_API_RESOURCES = {
  'postgresql.cnpg.io': [
    'backups',
    'clusters',
    'databases',
    'imagecatalogs',
    'poolers',
    'publications',
    'scheduledbackups',
    'subscriptions',
  ],
  'barmancloud.cnpg.io': ['objectstores'],
  'minio.min.io': ['tenants'],
  'kubevirt.io': ['virtualmachineinstancemigrations', 'virtualmachineinstancereplicasets', 'virtualmachineinstances', 'virtualmachines'],
  'subresources.kubevirt.io': [
    'virtualmachineinstances/addvolume',
    'virtualmachineinstances/backup',
    'virtualmachineinstances/console',
    'virtualmachineinstances/evacuate',
    'virtualmachineinstances/filesystemlist',
    'virtualmachineinstances/freeze',
    'virtualmachineinstances/guestosinfo',
    'virtualmachineinstances/objectgraph',
    'virtualmachineinstances/pause',
    'virtualmachineinstances/portforward',
    'virtualmachineinstances/redefine-checkpoint',
    'virtualmachineinstances/removevolume',
    'virtualmachineinstances/reset',
    'virtualmachineinstances/sev',
    'virtualmachineinstances/softreboot',
    'virtualmachineinstances/unfreeze',
    'virtualmachineinstances/unpause',
    'virtualmachineinstances/usbredir',
    'virtualmachineinstances/userlist',
    'virtualmachineinstances/vnc',
    'virtualmachineinstances/vsock',
    'virtualmachines/addvolume',
    'virtualmachines/evacuate',
    'virtualmachines/expand-spec',
    'virtualmachines/memorydump',
    'virtualmachines/migrate',
    'virtualmachines/objectgraph',
    'virtualmachines/portforward',
    'virtualmachines/removememorydump',
    'virtualmachines/removevolume',
    'virtualmachines/restart',
    'virtualmachines/start',
    'virtualmachines/stop',
  ],
  'instancetype.kubevirt.io': ['virtualmachineinstancetypes', 'virtualmachinepreferences'],
  'cdi.kubevirt.io': ['dataimportcrons', 'datasources', 'datavolumes', 'volumeclonesources', 'volumeimportsources', 'volumeuploadsources'],
  'databases.spotahome.com': ['redisfailovers'],
  'k8s.mariadb.com': [
    'backups',
    'connections',
    'databases',
    'externalmariadbs',
    'grants',
    'mariadbs',
    'maxscales',
    'physicalbackups',
    'restores',
    'sqljobs',
    'users',
  ],
  'rabbitmq.com': [
    'bindings',
    'exchanges',
    'federations',
    'operatorpolicies',
    'permissions',
    'policies',
    'queues',
    'rabbitmqclusters',
    'schemareplications',
    'shovels',
    'superstreams',
    'topicpermissions',
    'users',
    'vhosts',
  ],
  'kafka.strimzi.io': [
    'kafkabridges',
    'kafkaconnectors',
    'kafkaconnects',
    'kafkamirrormaker2s',
    'kafkamirrormakers',
    'kafkanodepools',
    'kafkarebalances',
    'kafkas',
    'kafkatopics',
    'kafkausers',
  ],
  'clickhouse.altinity.com': ['clickhouseinstallations'],
  'clickhouse-keeper.altinity.com': ['clickhousekeeperinstallations'],
} as const satisfies Record<string, readonly string[]>;

export type TenantApiGroup = keyof typeof TENANT_API_RESOURCES;

/** API groups of the managed services a tenant admin may create and change in the tenant namespace. */
export const TENANT_API_GROUPS = Object.keys(TENANT_API_RESOURCES) as readonly TenantApiGroup[];

/** Namespaced resources (`<plural>.<group>`) of those groups that a tenant may not write, and why. */
export const TENANT_API_EXCLUDED: Readonly<Record<string, string>> = {
  'kubevirts.kubevirt.io': 'installs and configures KubeVirt for the whole cluster',
  'failoverquorums.postgresql.cnpg.io':
    "is the operator's record of synchronous replicas; an edited one lets a failover promote a lagging replica",
  'clickhouseinstallationtemplates.clickhouse.altinity.com':
    'with templating.policy "auto" the operator applies a template to the ClickHouseInstallations of every namespace',
  'clickhouseoperatorconfigurations.clickhouse.altinity.com':
    'configures the operator itself, including the credentials it uses in every namespace',
};
