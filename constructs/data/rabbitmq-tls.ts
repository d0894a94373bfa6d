import { RabbitMqIssuer } from './rabbitmq-props';

export const CERT_MANAGER = 'cert-manager.io/v1';

/** The server certificate `<id>-tls` for the client Service and every node. */
export function serverCertificate(
  id: string,
  namespace: string,
  clusterDomain: string,
  issuer: Required<RabbitMqIssuer>,
  extraDnsNames: readonly string[],
): Record<string, unknown> {
  const service = [id, `${id}.${namespace}`, `${id}.${namespace}.svc`, `${id}.${namespace}.svc.${clusterDomain}`];
  const nodes = [`*.${id}-nodes.${namespace}.svc`, `*.${id}-nodes.${namespace}.svc.${clusterDomain}`];
  return {
    secretName: `${id}-tls`,
    dnsNames: [...service, ...nodes, ...extraDnsNames],
    privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    issuerRef: { name: issuer.name, kind: issuer.kind, group: 'cert-manager.io' },
  };
}
