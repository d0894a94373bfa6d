import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { Problems } from '../core/errors';
import { checkPropsAt } from '../core/props-check';
import { MANAGED_BY } from '../core/labels';
import { isDnsLabel } from '../core/names';
import { versions } from '../versions';
import { formatDuration, isDuration, parseDuration } from './duration';
import type { GateWait } from './waits';

export { crdEstablished, jobCompletion, objectCondition } from './waits';
export type { GateWait } from './waits';

export interface ReadinessGateArgs {
  /** Name of the gate's Job, ServiceAccount and Role: a DNS label of at most 63 characters. */
  readonly name: string;
  /** Waits, run in order; the gate completes when the last one does. */
  readonly waits: readonly GateWait[];
  /** Namespace the gate runs in. @default 'kube-system' */
  readonly namespace?: string;
  /** A value whose change replaces the Job, so that the gate waits again. @default - the gate waits once */
  readonly revision?: string;
  /** The kubectl image. @default versions.kubectl */
  readonly image?: string;
}

const DEFAULT_TIMEOUT = '10m';
/** Time for the gate's own pod to be scheduled and pull its image, on top of its waits. */
const START_MARGIN_SECONDS = 300;
const NON_ROOT_ID = 65532;
const READ = ['get', 'list', 'watch'];

/**
 * Blocks `pulumi up` until something that happens inside the cluster without Pulumi is done: a Job that
 * runs pinned `kubectl wait` commands, which Pulumi awaits until it completes. Depending on the gate
 * makes a resource wait for it.
 */
export class ReadinessGate extends pulumi.ComponentResource {
  /** The Job that completes when every wait has succeeded. */
  readonly job: k8s.batch.v1.Job;

  constructor(name: string, args: ReadinessGateArgs, opts?: pulumi.ComponentResourceOptions) {
    checkPropsAt(name, 'ReadinessGateArgs', args);
    checkGate(name, args);
    super('kubestrata:pulumi:ReadinessGate', name, {}, opts);
    const namespace = args.namespace ?? 'kube-system';
    const labels = { ...MANAGED_BY, 'app.kubernetes.io/name': 'readiness-gate', 'app.kubernetes.io/instance': args.name };
    const metadata = { name: args.name, namespace, labels };
    const child = { parent: this };
    const account = new k8s.core.v1.ServiceAccount(`${name}/account`, { metadata }, child);
    const grants = grantReads(name, args, namespace, labels, this);
    const seconds = args.waits.reduce((sum, w) => sum + parseDuration(w.timeout ?? DEFAULT_TIMEOUT), START_MARGIN_SECONDS);
    this.job = new k8s.batch.v1.Job(
      `${name}/job`,
      {
        metadata,
        spec: {
          backoffLimit: 1,
          template: {
            metadata: { labels, annotations: args.revision ? { 'kubestrata.io/revision': args.revision } : undefined },
            spec: podSpec(args),
          },
        },
      },
      {
        ...child,
        dependsOn: [account, ...grants],
        deleteBeforeReplace: true,
        customTimeouts: { create: formatDuration(seconds), update: formatDuration(seconds) },
      },
    );
    this.registerOutputs({ job: this.job.metadata.name });
  }
}

/** Roles that let the gate's account read what it waits for, and their bindings. */
function grantReads(
  name: string,
  args: ReadinessGateArgs,
  namespace: string,
  labels: Record<string, string>,
  parent: pulumi.Resource,
): pulumi.Resource[] {
  const subjects = [{ kind: 'ServiceAccount', name: args.name, namespace }];
  const grants: pulumi.Resource[] = [];
  for (const [scope, rules] of rulesByScope(args.waits)) {
    const cluster = scope === undefined;
    const metadata = cluster
      ? { name: `kubestrata-gate:${namespace}:${args.name}`, labels }
      : { name: args.name, namespace: scope, labels };
    const role = cluster
      ? new k8s.rbac.v1.ClusterRole(`${name}/cluster-role`, { metadata, rules }, { parent })
      : new k8s.rbac.v1.Role(`${name}/role/${scope}`, { metadata, rules }, { parent });
    const binding = {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: cluster ? 'ClusterRole' : 'Role', name: metadata.name },
      subjects,
    };
    grants.push(
      role,
      cluster
        ? new k8s.rbac.v1.ClusterRoleBinding(`${name}/cluster-role-binding`, binding, { parent, dependsOn: [role] })
        : new k8s.rbac.v1.RoleBinding(`${name}/role-binding/${scope}`, binding, { parent, dependsOn: [role] }),
    );
  }
  return grants;
}

/** Each wait is a container: init containers run in order, so no shell is needed in the kubectl image. */
function podSpec(args: ReadinessGateArgs): k8s.types.input.core.v1.PodSpec {
  const image = args.image ?? `${versions.kubectl.image}:${versions.kubectl.tag}`;
  const containers = args.waits.map((wait, index) => ({
    name: `wait-${index}`,
    image,
    command: ['kubectl'],
    args: kubectlWait(wait),
    env: [{ name: 'HOME', value: '/tmp' }],
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    },
  }));
  return {
    serviceAccountName: args.name,
    restartPolicy: 'Never',
    securityContext: {
      runAsNonRoot: true,
      runAsUser: NON_ROOT_ID,
      runAsGroup: NON_ROOT_ID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    initContainers: containers.slice(0, -1),
    containers: containers.slice(-1),
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
  };
}

/** The arguments of `kubectl wait` for one wait. */
export function kubectlWait(wait: GateWait): string[] {
  const target = `${wait.resource}${wait.group ? `.${wait.group}` : ''}/${wait.name}`;
  const namespace = wait.namespace ? ['--namespace', wait.namespace] : [];
  return ['wait', `--for=${wait.for}`, `--timeout=${wait.timeout ?? DEFAULT_TIMEOUT}`, ...namespace, target];
}

/** Read access to what the waits watch: a Role per namespace, a ClusterRole (key undefined) for cluster-scoped objects. */
function rulesByScope(
  waits: readonly GateWait[],
): Map<string | undefined, { apiGroups: string[]; resources: string[]; verbs: string[] }[]> {
  const scopes = new Map<string | undefined, Set<string>>();
  for (const wait of waits) {
    let resources = scopes.get(wait.namespace);
    if (!resources) scopes.set(wait.namespace, (resources = new Set()));
    resources.add(`${wait.group}\n${wait.resource}`);
  }
  return new Map(
    [...scopes].map(([scope, resources]) => [
      scope,
      [...resources].sort().map((key) => {
        const [group, resource] = key.split('\n');
        return { apiGroups: [group], resources: [resource], verbs: READ };
      }),
    ]),
  );
}

function checkGate(name: string, args: ReadinessGateArgs): void {
  const problems = new Problems(name);
  problems.check(isDnsLabel(args.name), 'name', args.name, 'must be a DNS-1123 label of at most 63 characters (it names a Job)');
  problems.check(args.waits.length > 0, 'waits', args.waits, 'must hold at least one wait');
  for (const [index, wait] of args.waits.entries()) {
    if (wait.timeout !== undefined) {
      problems.check(isDuration(wait.timeout), `waits[${index}].timeout`, wait.timeout, 'must be a duration such as 10m or 1h30m');
    }
  }
  problems.throwIfAny();
}
