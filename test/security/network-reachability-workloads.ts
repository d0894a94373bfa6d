import { parse } from 'yaml';
import { ContainerPort } from '../../lib/validate/network-reachability';

/** What a probe pod stands for. */
export type ProbeRole = 'workload' | 'attacker' | 'operator' | 'ingress' | 'monitoring' | 'dns';

/** A pod the synthesized objects or the operators they configure create, before its paths are resolved. */
export interface PodModel {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly ports: ContainerPort[];
  readonly role?: ProbeRole;
  readonly managedBy?: string;
  readonly operatorPorts?: readonly number[];
}

export interface ServiceModel {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly type?: string;
  readonly selector: Record<string, string>;
  readonly ports: ReadonlyArray<{ readonly name?: string; readonly port: number; readonly targetPort?: number | string }>;
}

export interface MonitorModel {
  readonly kind: 'ServiceMonitor' | 'PodMonitor';
  readonly namespace: string;
  readonly selector: Record<string, string>;
  readonly ports: readonly string[];
}

export interface Model {
  readonly pods: PodModel[];
  readonly services: ServiceModel[];
  readonly monitors: MonitorModel[];
  readonly kafkas: ReadonlyMap<string, any>;
  /** Operator namespaces by short name: cnpg, strimzi, redis, mariadb, rabbitmq, clickhouse, cdi. */
  readonly operators: Readonly<Record<string, string>>;
}

export const port = (name: string, number: number, protocol: 'TCP' | 'UDP' = 'TCP'): ContainerPort => ({ name, port: number, protocol });

/** The pods (and operator-made Services and monitors) one synthesized object in a tenant namespace stands for. */
export function tenantObject(model: Model, m: any, namespace: string): void {
  const { pods, services, monitors, operators } = model;
  const spec = m.spec ?? {};
  const name = m.metadata.name;
  switch (m.kind) {
    case 'Deployment':
    case 'StatefulSet':
      pods.push({ name: `${name}-0`, namespace, labels: { ...spec.template.metadata.labels }, ports: containerPorts(spec.template.spec) });
      return;
    case 'Service':
      services.push({ namespace, labels: { ...m.metadata.labels }, type: spec.type, selector: { ...spec.selector }, ports: spec.ports });
      return;
    case 'ServiceMonitor':
    case 'PodMonitor':
      monitors.push({
        kind: m.kind,
        namespace,
        selector: { ...spec.selector?.matchLabels },
        ports: (spec.endpoints ?? spec.podMetricsEndpoints ?? []).map((e: any) => e.port),
      });
      return;
    case 'VirtualMachine': {
      const labels = {
        'kubevirt.io': 'virt-launcher',
        'kubevirt.io/domain': name,
        'vm.kubevirt.io/name': name,
        ...spec.template.metadata.labels,
      };
      pods.push({ name: `virt-launcher-${name}`, namespace, labels, ports: [port('ssh', 22)] });
      return;
    }
    case 'DataVolume': {
      // An importer pod fills imported and blank volumes; CDI's DataVolume controller reads the progress of an import
      // from https://<pod IP>:8443/metrics of its importer. Clones use other pods.
      const source = Object.keys(spec.source ?? {})[0];
      const imports = ['http', 'registry', 's3', 'gcs', 'imageio', 'vddk'].includes(source);
      if (!imports && source !== 'blank') return;
      pods.push({
        name: `importer-${name}`,
        namespace,
        labels: { 'cdi.kubevirt.io': 'importer', app: 'containerized-data-importer' },
        ports: [port('metrics', 8443)],
        managedBy: operators.cdi,
        operatorPorts: imports ? [8443] : [],
      });
      return;
    }
    case 'Cluster': {
      const labels = {
        'cnpg.io/cluster': name,
        'cnpg.io/instanceName': `${name}-1`,
        'cnpg.io/podRole': 'instance',
        'cnpg.io/instanceRole': 'primary',
        role: 'primary',
        ...spec.inheritedMetadata?.labels,
      };
      pods.push({
        name: `${name}-1`,
        namespace,
        labels,
        ports: [port('postgresql', 5432), port('status', 8000), port('metrics', 9187)],
        managedBy: operators.cnpg,
        operatorPorts: [8000],
      });
      for (const extra of spec.managed?.services?.additional ?? []) {
        services.push({
          namespace,
          labels: {},
          type: extra.serviceTemplate?.spec?.type,
          selector: { 'cnpg.io/cluster': name, 'cnpg.io/instanceRole': 'primary' },
          ports: [{ name: 'postgres', port: 5432 }],
        });
      }
      return;
    }
    case 'Pooler':
      pods.push({
        name: `${name}-0`,
        namespace,
        labels: { 'cnpg.io/poolerName': name, 'cnpg.io/podRole': 'pooler', ...spec.template?.metadata?.labels },
        ports: [port('pgbouncer', 5432), port('metrics', 9127)],
        managedBy: operators.cnpg,
      });
      return;
    case 'RedisFailover': {
      const role = (component: string) => ({
        'app.kubernetes.io/component': component,
        'app.kubernetes.io/name': name,
        'app.kubernetes.io/part-of': 'redis-failover',
        'app.kubernetes.io/managed-by': 'redis-operator',
        'redisfailovers.databases.spotahome.com/name': name,
      });
      const exporter = spec.redis?.exporter?.enabled ? [port('metrics', 9121)] : [];
      pods.push({
        name: `rfr-${name}-0`,
        namespace,
        labels: { ...role('redis'), 'redisfailovers-role': 'master' },
        ports: [port('redis', 6379), ...exporter],
        managedBy: operators.redis,
        operatorPorts: [6379],
      });
      pods.push({
        name: `rfs-${name}-0`,
        namespace,
        labels: role('sentinel'),
        ports: [port('sentinel', 26379)],
        managedBy: operators.redis,
        operatorPorts: [26379],
      });
      return;
    }
    case 'KafkaNodePool': {
      const cluster = m.metadata.labels['strimzi.io/cluster'];
      const kafka = model.kafkas.get(`${namespace}/${cluster}`);
      const broker = spec.roles.includes('broker');
      const listeners: any[] = kafka?.spec?.kafka?.listeners ?? [];
      const labels = {
        'strimzi.io/cluster': cluster,
        'strimzi.io/kind': 'Kafka',
        'strimzi.io/name': `${cluster}-kafka`,
        'strimzi.io/pool-name': name,
        'strimzi.io/component-type': 'kafka',
        'strimzi.io/broker-role': String(broker),
        'strimzi.io/controller-role': String(spec.roles.includes('controller')),
        ...spec.template?.pod?.metadata?.labels,
      };
      // Strimzi's KafkaCluster: the agent port on every node, the control plane listener on controllers, replication and
      // client listeners on brokers. Its own NetworkPolicy admits the cluster operator to the first three: the agent
      // reports broker state, rolling updates use the control plane and replication listeners.
      const controller = spec.roles.includes('controller');
      const ports = [
        port('tcp-kafkaagent', 8443),
        ...(controller ? [port('tcp-ctrlplane', 9090)] : []),
        ...(broker ? [port('tcp-replication', 9091), ...listeners.map((l) => port(`tcp-${l.name}`, l.port))] : []),
        ...(kafka?.spec?.kafka?.metricsConfig ? [port('tcp-prometheus', 9404)] : []),
      ];
      pods.push({
        name: `${name}-0`,
        namespace,
        labels,
        ports,
        managedBy: operators.strimzi,
        operatorPorts: ports.filter((p) => [8443, 9090, 9091].includes(p.port)).map((p) => p.port),
      });
      for (const l of broker ? listeners.filter((l) => l.type === 'loadbalancer') : []) {
        services.push({
          namespace,
          labels: {},
          type: 'LoadBalancer',
          selector: { 'strimzi.io/cluster': cluster, 'strimzi.io/kind': 'Kafka', 'strimzi.io/broker-role': 'true' },
          ports: [{ port: l.port }],
        });
      }
      return;
    }
    case 'Kafka':
      pods.push({
        name: `${name}-entity-operator`,
        namespace,
        managedBy: operators.strimzi,
        ports: [port('healthcheck', 8080)],
        labels: {
          'strimzi.io/cluster': name,
          'strimzi.io/kind': 'Kafka',
          'strimzi.io/name': `${name}-entity-operator`,
          ...spec.entityOperator?.template?.pod?.metadata?.labels,
        },
      });
      return;
    case 'MariaDB': {
      const selector = { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/instance': name };
      const replicated = spec.replication?.enabled || spec.galera?.enabled;
      const ports = [
        port('mariadb', spec.port ?? 3306),
        ...(replicated ? [port('agent', 5555)] : []),
        ...(spec.galera?.enabled ? [port('ist', 4568), port('sst', 4444), port('cluster', 4567)] : []),
      ];
      pods.push({
        name: `${name}-0`,
        namespace,
        labels: { ...selector, ...spec.podMetadata?.labels },
        ports,
        managedBy: operators.mariadb,
        operatorPorts: ports.filter((p) => p.name === 'mariadb' || p.name === 'agent').map((p) => p.port),
      });
      for (const service of [spec.service, spec.primaryService]) {
        if (service?.type === 'LoadBalancer')
          services.push({ namespace, labels: {}, type: 'LoadBalancer', selector, ports: [{ name: 'mariadb', port: spec.port ?? 3306 }] });
      }
      if (spec.metrics?.enabled) {
        const exporter = { 'app.kubernetes.io/name': 'exporter', 'app.kubernetes.io/instance': `${name}-metrics` };
        const metricsPort = spec.metrics.exporter?.port ?? 9104;
        pods.push({
          name: `${name}-metrics`,
          namespace,
          labels: { ...exporter, ...spec.metrics.exporter?.podMetadata?.labels },
          ports: [port('metrics', metricsPort)],
          managedBy: operators.mariadb,
        });
        services.push({ namespace, labels: exporter, selector: exporter, ports: [{ name: 'metrics', port: metricsPort }] });
        monitors.push({ kind: 'ServiceMonitor', namespace, selector: exporter, ports: ['metrics'] });
      }
      return;
    }
    case 'RabbitmqCluster': {
      const selector = {
        'app.kubernetes.io/name': name,
        'app.kubernetes.io/component': 'rabbitmq',
        'app.kubernetes.io/part-of': 'rabbitmq',
      };
      const tls = spec.tls?.secretName !== undefined;
      const plain = [port('amqp', 5672), port('management', 15672), port('prometheus', 15692)];
      const secure = tls ? [port('amqps', 5671), port('management-tls', 15671), port('prometheus-tls', 15691)] : [];
      const ports = [...secure, ...plain, port('epmd', 4369), port('cluster-links', 25672)];
      pods.push({
        name: `${name}-server-0`,
        namespace,
        labels: { ...selector, ...spec.override?.statefulSet?.spec?.template?.metadata?.labels },
        ports,
        managedBy: operators.rabbitmq,
        operatorPorts: [tls ? 15671 : 15672],
      });
      const service = (type: string | undefined, list: ContainerPort[]) =>
        services.push({ namespace, labels: selector, type, selector, ports: list.map((p) => ({ name: p.name, port: p.port })) });
      // The operator's one client Service, split: what kubestrata exposes when external (AMQP and management, over TLS
      // while TLS is on), and the metrics ports its ServiceMonitor scrapes.
      service(
        spec.service?.type,
        (tls ? secure : plain).filter((p) => !p.name!.startsWith('prometheus')),
      );
      service(
        'ClusterIP',
        [...secure, ...plain].filter((p) => p.name!.startsWith('prometheus')),
      );
      return;
    }
    case 'ClickHouseInstallation':
    case 'ClickHouseKeeperInstallation': {
      const keeper = m.kind === 'ClickHouseKeeperInstallation';
      const template = spec.templates?.podTemplates?.[0];
      const settings = spec.configuration?.settings ?? {};
      const files = JSON.stringify(spec.configuration?.files ?? {});
      const ports = keeper
        ? [port('zk', 2181), port('raft', 9444)]
        : [
            port('http', 8123),
            port('tcp', 9000),
            port('interserver', 9009),
            ...(/https_port/.test(files) ? [port('https', 8443), port('tcp-secure', 9440)] : []),
          ];
      if (settings['prometheus/port'] !== undefined) ports.push(port('metrics', Number(settings['prometheus/port'])));
      const labels = keeper
        ? { 'clickhouse-keeper.altinity.com/chk': name, 'clickhouse-keeper.altinity.com/app': 'chop', ...template?.metadata?.labels }
        : { 'clickhouse.altinity.com/chi': name, 'clickhouse.altinity.com/app': 'chop', ...template?.metadata?.labels };
      pods.push({
        name: keeper ? `chk-${name}-0` : `chi-${name}-0`,
        namespace,
        labels,
        ports,
        managedBy: operators.clickhouse,
        operatorPorts: keeper ? [] : [8123],
      });
      return;
    }
    default:
  }
}

/** The NATS chart's StatefulSet pod and PodMonitor, from the release values. */
export function natsPods(model: Model, release: { namespace: string; releaseName: string; values: any }): void {
  const v = release.values ?? {};
  const selector = {
    'app.kubernetes.io/name': 'nats',
    'app.kubernetes.io/instance': release.releaseName,
    'app.kubernetes.io/component': 'nats',
  };
  const ports = [port('nats', 4222), port('monitor', 8222), ...(v.config?.cluster?.enabled ? [port('cluster', 6222)] : [])];
  if (v.promExporter?.enabled) ports.push(port('prom-metrics', 7777));
  model.pods.push({
    name: `${v.fullnameOverride ?? release.releaseName}-0`,
    namespace: release.namespace,
    labels: { ...selector, ...v.global?.labels },
    ports,
  });
  if (v.promExporter?.podMonitor?.enabled)
    model.monitors.push({ kind: 'PodMonitor', namespace: release.namespace, selector, ports: ['prom-metrics'] });
}

/** A HelmRelease (Flux) or HelmChart (K3s): where it installs, which chart, and its values. */
export function releaseOf(m: any): { namespace: string; chart: string; releaseName: string; values: any } | undefined {
  if (m.kind === 'HelmRelease') {
    const chart = m.spec.chart?.spec?.chart ?? m.spec.chartRef?.name;
    return {
      namespace: m.spec.targetNamespace ?? m.metadata.namespace,
      chart,
      releaseName: m.spec.releaseName ?? m.metadata.name,
      values: m.spec.values,
    };
  }
  if (m.kind === 'HelmChart') {
    const chart = String(m.spec.chart).split('/').pop()!;
    return {
      namespace: m.spec.targetNamespace ?? m.metadata.namespace,
      chart,
      releaseName: m.metadata.name,
      values: m.spec.valuesContent ? parse(m.spec.valuesContent) : {},
    };
  }
  return undefined;
}

function containerPorts(podSpec: any): ContainerPort[] {
  return (podSpec?.containers ?? []).flatMap((c: any) =>
    (c.ports ?? []).map((p: any) => port(p.name, p.containerPort, p.protocol ?? 'TCP')),
  );
}
