import { ApiObject } from 'cdk8s';
import { MANAGED_BY } from '../../lib/core/labels';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { CertManager } from '../platform/cert-manager';

export interface RabbitMqOperatorProps {
  /** @default 'rabbitmq-operator' */
  readonly namespace?: string;
  /** Chart to install (Bitnami's rabbitmq-cluster-operator). @default versions.rabbitmqOperator.chart */
  readonly chart?: HelmChartSource;
  /** cluster-operator image tag. @default versions.rabbitmqOperator.app */
  readonly version?: string;
  /** messaging-topology-operator image tag. @default versions.rabbitmqOperator.topology */
  readonly topologyVersion?: string;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

const CERT_MANAGER = 'cert-manager.io/v1';
const TRUST_SECRET = 'rabbitmq-ca-trust';
const image = (repository: string, tag: string) => ({ registry: 'docker.io', repository, tag });

/**
 * The RabbitMQ cluster-operator (`RabbitmqCluster`) and messaging-topology-operator (`User`, `Vhost`, `Permission`, …),
 * which run every `RabbitMq` of the platform, and the CA their TLS listeners are issued from: a cert-manager
 * ClusterIssuer whose certificate the topology operator trusts, since it talks HTTPS to clusters that have TLS.
 */
export class RabbitMqOperator extends ChartComponent {
  /** messaging-topology-operator version. */
  readonly topologyVersion: string;
  /** The ClusterIssuer of the RabbitMQ server certificates. */
  readonly clusterIssuer: string;

  constructor(platform: Platform, props: RabbitMqOperatorProps = {}) {
    checkProps(platform.layer('data'), 'rabbitmq-operator', 'RabbitMqOperatorProps', props);
    const pinned = versions.rabbitmqOperator;
    const version = props.version ?? pinned.app;
    const topologyVersion = props.topologyVersion ?? pinned.topology;
    const namespace = props.namespace ?? 'rabbitmq-operator';
    super(platform, 'data', 'rabbitmq-operator', {
      namespace,
      releaseName: 'rabbitmq-operator',
      source: props.chart ?? pinned.chart,
      version,
      defaults: {
        clusterOperator: { image: image(pinned.clusterOperatorImage, version) },
        msgTopologyOperator: {
          image: image(pinned.topologyOperatorImage, topologyVersion),
          // Go reads every file in /etc/ssl/certs, so one more file adds the CA to the system roots.
          extraVolumes: [{ name: 'rabbitmq-ca', secret: { secretName: TRUST_SECRET, items: [{ key: 'ca.crt', path: 'ca.crt' }] } }],
          extraVolumeMounts: [
            { name: 'rabbitmq-ca', mountPath: '/etc/ssl/certs/kubestrata-rabbitmq-ca.crt', subPath: 'ca.crt', readOnly: true },
          ],
        },
        credentialUpdaterImage: image(pinned.credentialUpdaterImage.repository, pinned.credentialUpdaterImage.tag),
        rabbitmqImage: image('library/rabbitmq', `${versions.rabbitmq.releases['v4.2']}-management`),
        useCertManager: true,
      },
      values: props.values,
    });
    this.topologyVersion = topologyVersion;
    this.clusterIssuer = 'kubestrata-rabbitmq-ca';
    const certManager = this.requires(CertManager);
    this.ca(certManager.namespace, namespace);
  }

  /** A self-signed CA, its ClusterIssuer, and a leaf in the operator namespace whose `ca.crt` the topology operator mounts. */
  private ca(certManagerNamespace: string, namespace: string): void {
    const object = (id: string, kind: string, name: string, spec: Record<string, unknown>, ns?: string) =>
      new ApiObject(this, id, { apiVersion: CERT_MANAGER, kind, metadata: { name, namespace: ns, labels: { ...MANAGED_BY } }, spec });
    const key = { algorithm: 'ECDSA', size: 256 };
    object('selfsigned-issuer', 'ClusterIssuer', 'kubestrata-rabbitmq-selfsigned', { selfSigned: {} });
    object(
      'ca',
      'Certificate',
      this.clusterIssuer,
      {
        isCA: true,
        commonName: 'kubestrata RabbitMQ CA',
        secretName: this.clusterIssuer,
        duration: '87600h',
        privateKey: key,
        issuerRef: { name: 'kubestrata-rabbitmq-selfsigned', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
      certManagerNamespace,
    );
    object('ca-issuer', 'ClusterIssuer', this.clusterIssuer, { ca: { secretName: this.clusterIssuer } });
    object(
      'trust',
      'Certificate',
      TRUST_SECRET,
      {
        commonName: 'messaging-topology-operator',
        secretName: TRUST_SECRET,
        privateKey: key,
        issuerRef: { name: this.clusterIssuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
      namespace,
    );
  }
}
