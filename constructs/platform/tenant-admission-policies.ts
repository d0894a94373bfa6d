import { AuditedKind, ReferenceField, TENANT_KIND_AUDIT } from './tenant-admission-audit';
import { celString, everyValueAt, OWN_NAMESPACE, PLATFORM_REQUESTER } from './tenant-admission-cel';

export interface Validation {
  readonly expression: string;
  readonly message: string;
  readonly reason: 'Forbidden';
}

/** The parts of one ValidatingAdmissionPolicy that differ between the tenant policies. */
export interface TenantPolicy {
  readonly name: string;
  readonly resourceRules: ReadonlyArray<{ readonly apiGroups: readonly string[]; readonly resources: readonly string[] }>;
  readonly matchConditions: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  readonly variables: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  readonly validations: readonly Validation[];
}

const PREFIX = 'kubestrata-tenant';
const NGINX = 'nginx.ingress.kubernetes.io/';
/** ingress-nginx annotations that name a Secret or ConfigMap, as `name` or `namespace/name`. */
const NGINX_OBJECT_REFERENCES = [
  'auth-secret',
  'auth-tls-secret',
  'proxy-ssl-secret',
  'auth-proxy-set-headers',
  'custom-headers',
  'fastcgi-params-configmap',
];
/** ingress-nginx annotations whose URL the controller itself requests. */
const NGINX_URLS = ['auth-url', 'mirror-target'];

/** Core kinds get one policy per concern; the operator kinds one per API group and set of reference fields. */
const CORE_POLICY_OF: Readonly<Record<string, string>> = {
  '/services': 'services',
  '/endpoints': 'endpoints',
  'discovery.k8s.io/endpointslices': 'endpoints',
  '/persistentvolumeclaims': 'volume-claims',
  '/pods': 'pod-networks',
  'networking.k8s.io/ingresses': 'ingresses',
};

/** The admission policies that keep what a tenant writes inside its namespace, from TENANT_KIND_AUDIT. */
export function tenantPolicies(clusterDomain: string, audit: readonly AuditedKind[] = TENANT_KIND_AUDIT): TenantPolicy[] {
  const groups = new Map<string, { name: string; kinds: AuditedKind[] }>();
  for (const kind of audit.filter((k) => k.fields.length > 0)) {
    const concern = CORE_POLICY_OF[`${kind.group}/${kind.resource}`];
    const key = concern ?? `${kind.group} ${kind.fields.map((f) => `${f.path}:${f.rule}`).join(',')}`;
    const group = groups.get(key) ?? {
      name: concern ? `${PREFIX}-${concern}` : `${PREFIX}-references.${kind.resource}.${kind.group}`,
      kinds: [],
    };
    group.kinds.push(kind);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ name, kinds }) => policyFor(name, kinds, clusterDomain));
}

function policyFor(name: string, kinds: readonly AuditedKind[], clusterDomain: string): TenantPolicy {
  const byGroup = new Map<string, string[]>();
  for (const kind of kinds) byGroup.set(kind.group, [...(byGroup.get(kind.group) ?? []), kind.resource]);
  const fields = kinds[0].fields;
  const platformOnly = fields.some((f) => f.rule === 'platform-only');
  return {
    name,
    resourceRules: [...byGroup].map(([group, resources]) => ({ apiGroups: [group], resources })),
    matchConditions: platformOnly ? [{ name: 'not-from-the-platform', expression: `!(${PLATFORM_REQUESTER})` }] : [],
    variables: fields.some((f) => f.rule === 'set-by-controller' || f.rule === 'pod-network-annotations')
      ? [{ name: 'fromPlatform', expression: PLATFORM_REQUESTER }]
      : [],
    validations: fields.flatMap((field) => validationsFor(field, kinds, clusterDomain)),
  };
}

const deny = (expression: string, message: string): Validation => ({ expression, message, reason: 'Forbidden' });
/** A regular expression matching the cluster domain and nothing else. */
const domainPattern = (clusterDomain: string) => clusterDomain.replace(/\./g, '[.]');

function validationsFor(field: ReferenceField, kinds: readonly AuditedKind[], clusterDomain: string): Validation[] {
  const { actor } = kinds[0];
  const what = `${field.path} of ${kinds.map((k) => k.kind).join(', ')} (${kinds[0].group || 'core'})`;
  const at = (check: (value: string) => string) => everyValueAt('object', field.path, check);
  switch (field.rule) {
    case 'own-namespace':
      return [
        deny(
          at((v) => `${v} == '' || ${v} == ${OWN_NAMESPACE}`),
          `${what} must be unset or the object's own namespace: ${actor} acts on the namespace it names, which may be another tenant's`,
        ),
      ];
    case 'own-network':
      return [
        deny(
          at((v) => `!${v}.contains('/') || ${v}.startsWith(${OWN_NAMESPACE} + '/')`),
          `${what} must name a network of the object's own namespace ("name" or "<namespace>/name"): KubeVirt attaches the VM to any network it names`,
        ),
      ];
    case 'own-service-domain':
      return [
        deny(
          at((v) => `${v}.matches(${celString(`^%s[.]svc([.]${domainPattern(clusterDomain)})?$`)})`),
          `${what} must be "%s.svc" or "%s.svc.${clusterDomain}", where %s is the object's namespace: any other pattern makes ${actor} address hosts of another namespace`,
        ),
      ];
    case 'not-external-name':
      return [
        deny(
          at((v) => `${v} != 'ExternalName'`),
          `A Service of type ExternalName is refused in a tenant namespace: it makes the cluster DNS alias any name, including another tenant's Services or the API server`,
        ),
      ];
    case 'unset':
      return [
        deny(
          at((v) => `size(${v}) == 0`),
          `${field.path} of a Service is refused in a tenant namespace: kube-proxy would capture traffic for those addresses on every node, including other tenants' (CVE-2020-8554)`,
        ),
      ];
    case 'platform-only':
      return [
        deny(
          'false',
          `Endpoints and EndpointSlices in a tenant namespace are written only by the cluster's controllers: hand-written ones can point a Service at another tenant's pods or at cluster-internal addresses (CVE-2021-25740)`,
        ),
      ];
    case 'set-by-controller': {
      const [now, before] = [`object.${field.path}`, `oldObject.${field.path}`];
      const unchanged = `oldObject != null && has(${before}) && ${before} == ${now}`;
      return [
        deny(
          `variables.fromPlatform || !has(${now}) || ${now} == '' || (${unchanged})`,
          `${what} is set by the PersistentVolume controller when it binds the claim; a tenant may not choose it, since it would bind a volume that may hold another tenant's data`,
        ),
      ];
    }
    case 'ingress-nginx-annotations':
      return ingressAnnotationValidations(clusterDomain);
    case 'pod-network-annotations':
      return podNetworkValidations();
  }
}

/**
 * Multus reads `namespace/name` lists or a JSON list whose `namespace` keys Go decodes case-insensitively and with
 * escapes; a JSON value must therefore be plain ASCII without escapes, and every `"namespace"` in it the own one.
 * Pods are checked when created, whoever creates them (controllers copy the annotations from tenant templates),
 * and when tenants change them; Kube-OVN's own updates of its annotations pass.
 */
function podNetworkValidations(): Validation[] {
  const annotations = 'object.metadata.annotations';
  const each = (check: string) =>
    `(request.operation == 'UPDATE' && variables.fromPlatform) || !has(${annotations}) || ${annotations}.all(k, ${check})`;
  const value = `${annotations}[k]`;
  const ownNamespaceKey = `'"namespace":"' + ${OWN_NAMESPACE} + '"'`;
  const jsonList =
    `${value}.matches('^[ -~]*$') && !${value}.contains('\\\\') ` +
    `&& size(${value}.lowerAscii().split('"namespace"')) == size(${value}.lowerAscii().split(${ownNamespaceKey}))`;
  const nameList = `${value}.split(',').all(n, !n.contains('/') || n.trim().startsWith(${OWN_NAMESPACE} + '/'))`;
  return [
    deny(
      each(
        `!(k in ['k8s.v1.cni.cncf.io/networks', 'v1.multus-cni.io/default-network']) || (${value}.trim().startsWith('[') ? ${jsonList} : ${nameList})`,
      ),
      `k8s.v1.cni.cncf.io/networks and v1.multus-cni.io/default-network of a Pod must name networks of the Pod's own namespace ("name", "<namespace>/name" or JSON with "namespace":"<namespace>"): Multus attaches the Pod to any network it names`,
    ),
    deny(
      each(`!k.endsWith('kubernetes.io/logical_switch') && !k.endsWith('kubernetes.io/ip_pool')`),
      `Kube-OVN logical_switch and ip_pool annotations of a Pod are refused in a tenant namespace: Kube-OVN would place the Pod in any subnet they name, including another tenant's; the subnet bound to the namespace applies`,
    ),
  ];
}

function ingressAnnotationValidations(clusterDomain: string): Validation[] {
  const annotations = 'object.metadata.annotations';
  const each = (check: string) => `!has(${annotations}) || ${annotations}.all(k, ${check})`;
  const keyIn = (names: readonly string[]) => `k in [${names.map((n) => celString(NGINX + n)).join(', ')}]`;
  const ownService = `'^https?://[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]' + ${OWN_NAMESPACE} + '[.]svc([.]${domainPattern(clusterDomain)})?(:[0-9]+)?(/.*)?$'`;
  return [
    deny(
      each(`!(k.startsWith('${NGINX}') && k.endsWith('-snippet'))`),
      `${NGINX}*-snippet annotations are refused: they add raw NGINX configuration to the shared ingress controller, which reads every tenant's Secrets and traffic (CVE-2021-25742)`,
    ),
    deny(
      each(
        `!(${keyIn(NGINX_OBJECT_REFERENCES)}) || !${annotations}[k].contains('/') || ${annotations}[k].startsWith(${OWN_NAMESPACE} + '/')`,
      ),
      `${NGINX_OBJECT_REFERENCES.map((n) => NGINX + n).join(', ')} must name a Secret or ConfigMap of the Ingress's own namespace: the ingress controller reads it from any namespace`,
    ),
    deny(
      each(`!(${keyIn(NGINX_URLS)}) || ${annotations}[k].matches(${ownService})`),
      `${NGINX_URLS.map((n) => NGINX + n).join(', ')} must be a URL of a Service in the Ingress's own namespace (http://<service>.<namespace>.svc…): the ingress controller may reach other tenants' Services, which their network policies admit it to`,
    ),
  ];
}
