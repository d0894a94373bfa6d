/** API groups of the managed services a tenant admin may create and change in the tenant namespace. */
export const TENANT_API_GROUPS = [
  'postgresql.cnpg.io',
  'barmancloud.cnpg.io',
  'minio.min.io',
  'kubevirt.io',
  'subresources.kubevirt.io',
  'instancetype.kubevirt.io',
  'cdi.kubevirt.io',
  'databases.spotahome.com',
  'k8s.mariadb.com',
  'rabbitmq.com',
  'kafka.strimzi.io',
  'clickhouse.altinity.com',
  'clickhouse-keeper.altinity.com',
] as const;
