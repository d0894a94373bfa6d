import { createHash } from 'crypto';
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Problems } from '../core/errors';
import { isDnsLabel, isDnsSubdomain } from '../core/names';
import { Platform } from '../core/platform';
import { RuntimeKind } from '../core/readiness';
import { SynthesizedChart } from '../core/synth';
import { Release } from '../releases/release';
import { formatDuration, isDuration, parseDuration } from './duration';
import { isFluxObject } from './flux';
import { Manifest, objectId, parseApiVersion } from './objects';
import { PlannedSecret } from './secrets';
import { crdEstablished, GateWait, jobCompletion } from './waits';

/** What Pulumi waits for once it has applied an object, before it applies anything that depends on the object. */
export interface ObjectWait {
  /** `pulumi.com/waitFor` expressions (`condition=Available`), all of which must hold. */
  readonly waitFor: readonly string[];
  /** How long the object may take to satisfy them, in the form `customTimeouts` takes (`600s`). */
  readonly timeout: string;
}

/** Why a readiness gate exists. */
export type GateCause =
  /** The K3s helm-controller installs `release` through a Job; `target` is the id of its HelmChart. */
  | { readonly kind: 'install'; readonly release: Release; readonly target: string }
  /**
   * `provider` registers the CRDs of `kinds` at run time; `users` are the ids of the objects of those kinds.
   * `key` is the provider's construct path, `<path>#<n>` for its n-th declaration.
   */
  | {
      readonly kind: 'runtime-kinds';
      readonly key: string;
      readonly provider: IConstruct;
      readonly kinds: readonly RuntimeKind[];
      readonly users: readonly string[];
    };

/** One thing the deployment creates, with the ids of what it must follow. */
export type PlanStep =
  | {
      readonly kind: 'object';
      readonly id: string;
      readonly chart: Chart;
      readonly manifest: Manifest;
      readonly release?: Release;
      /** Readiness Pulumi awaits after applying the object. @default - only that the object was applied */
      readonly wait?: ObjectWait;
      readonly after: string[];
    }
  | { readonly kind: 'secret'; readonly id: string; readonly chart?: Chart; readonly secret: PlannedSecret; readonly after: string[] }
  | {
      readonly kind: 'gate';
      readonly id: string;
      /** The chart whose component the gate sits under. @default - the deployment itself */
      readonly chart?: Chart;
      /** The DNS label that names the gate's Job, ServiceAccount and Roles. */
      readonly name: string;
      readonly waits: readonly GateWait[];
      /** Changes when the gate must wait again. @default - the gate waits once */
      readonly revision?: string;
      readonly cause: GateCause;
      readonly after: string[];
    }
  | {
      /**
       * A bootstrap release of a Flux platform (a CNI), which Pulumi installs with Helm itself in place of its Flux
       * objects: the Flux controllers run on the pod network, so they could never install the release that creates it.
       */
      readonly kind: 'helm';
      readonly id: string;
      readonly chart: Chart;
      readonly release: Release;
      /** The chart values, exactly as the release's HelmRelease carries them. */
      readonly values: Record<string, unknown>;
      readonly after: string[];
    }
  | { readonly kind: 'flux'; readonly id: string; readonly after: string[] };

export const FLUX_STEP = 'flux';

/** The id of the Helm install of a bootstrap release, named like the `kubernetes:helm.sh/v3:Release` it becomes. */
export function helmStepId(release: Release): string {
  return `helm.sh/v3/Release/${release.namespace}/${release.releaseName}`;
}

/**
 * Orders everything the deployment creates. Edges come from the synthesized graph, plus: a namespaced
 * object follows its Namespace, a custom resource its CRD, a Flux object the Flux install, a user of a
 * Secret that Secret, and whatever follows a K3s HelmChart also follows the gate that waits for its
 * install Job. From `platform.readiness`: an object that must report a condition carries the wait, and
 * each declaration of kinds served at run time whose kinds the platform emits becomes a gate that
 * follows everything of its provider and precedes every object of those kinds.
 *
 * A bootstrap release rendered as Flux objects (a CNI on a Flux platform) becomes one Helm install step in
 * place of its HelmRepository/OCIRepository and HelmRelease: whatever followed those objects follows the
 * install, and the Flux install and every Flux object follow all such installs. Pure: it reads the
 * platform and returns steps.
 */
export function planDeployment(
  platform: Platform,
  charts: readonly SynthesizedChart[],
  secrets: readonly PlannedSecret[],
  installFlux: boolean,
): PlanStep[] {
  const releases = new Map<ApiObject, Release>();
  /** Every object of a bootstrap release that Pulumi installs with Helm, and that release. */
  const bootstrap = new Map<ApiObject, Release>();
  for (const c of platform.app.node.findAll()) {
    if (!(c instanceof Release)) continue;
    releases.set(c.readiness.object, c);
    if (c.bootstrap && c.readiness.kind === 'condition') {
      for (const o of c.node.findAll()) if (o instanceof ApiObject) bootstrap.set(o, c);
    }
  }
  checkBootstrap(new Set(bootstrap.values()));
  const steps = new Map<string, PlanStep>();
  const add = (step: PlanStep) => {
    if (steps.has(step.id)) throw new Error(`Two objects of the platform are both ${step.id}; give one of them another name or namespace`);
    steps.set(step.id, step);
  };
  if (installFlux) add({ kind: 'flux', id: FLUX_STEP, after: [] });

  const ids = new Map<ApiObject, string>();
  const manifests = new Map<ApiObject, Manifest>();
  for (const { objects } of charts) {
    for (const o of objects) {
      manifests.set(o.apiObject, o.manifest);
      // Whatever follows an object of a bootstrap release follows its Helm install instead.
      const release = bootstrap.get(o.apiObject);
      ids.set(o.apiObject, release ? helmStepId(release) : objectId(o.manifest));
    }
  }
  const bootstrapKeys = new Set([...bootstrap.values()].map((r) => `${r.namespace}/${r.releaseName}`));
  const conditions = checkReadiness(platform, ids);
  const namespaces = new Map<string, string>();
  const crds = new Map<string, string>();
  const paths: { path: string; id: string; group: string; kind: string; chart: Chart }[] = [];
  for (const { chart, objects } of charts) {
    for (const o of objects) {
      const id = ids.get(o.apiObject)!;
      const after = o.dependsOn.map((d) => ids.get(d)).filter((d): d is string => d !== undefined && d !== id);
      const bootstrapRelease = bootstrap.get(o.apiObject);
      if (bootstrapRelease) {
        // Its Flux objects are not applied: the synthesized manifests keep them for GitOps users.
        let step = steps.get(id);
        if (!step) {
          const values =
            (manifests.get(bootstrapRelease.readiness.object)?.spec as { values?: Record<string, unknown> } | undefined)?.values ?? {};
          add((step = { kind: 'helm', id, chart, release: bootstrapRelease, values, after: [] }));
        }
        for (const d of after) if (!step.after.includes(d)) step.after.push(d);
        paths.push({ path: o.apiObject.node.path, id, group: 'helm.sh', kind: 'Release', chart });
        continue;
      }
      const manifest = withoutBootstrapDependencies(o.manifest as Manifest, bootstrapKeys);
      if (manifest.apiVersion === 'v1' && manifest.kind === 'Namespace') namespaces.set(manifest.metadata.name, id);
      if (manifest.kind === 'CustomResourceDefinition' && parseApiVersion(manifest.apiVersion).group === 'apiextensions.k8s.io') {
        const spec = manifest.spec as { group: string; names: { kind: string } };
        crds.set(`${spec.group}/${spec.names.kind}`, id);
      }
      paths.push({ path: o.apiObject.node.path, id, group: parseApiVersion(manifest.apiVersion).group, kind: manifest.kind, chart });
      if (installFlux && isFluxObject(manifest.apiVersion)) after.push(FLUX_STEP);
      const release = releases.get(o.apiObject);
      add({ kind: 'object', id, chart, manifest, release, wait: objectWait(manifest, release, conditions.get(o.apiObject)), after });
    }
  }

  const helmSteps = [...steps.values()].filter((s) => s.kind === 'helm').map((s) => s.id);
  const chartOfNamespace = new Map<string, Chart>();
  for (const step of steps.values()) {
    if (step.kind === 'flux') step.after.push(...helmSteps);
    if (step.kind === 'helm') {
      const namespaceId = namespaces.get(step.release.namespace);
      if (namespaceId && !step.after.includes(namespaceId)) step.after.push(namespaceId);
    }
    if (step.kind !== 'object') continue;
    if (isFluxObject(step.manifest.apiVersion)) step.after.push(...helmSteps);
    const { namespace } = step.manifest.metadata;
    const namespaceId = namespace ? namespaces.get(namespace) : undefined;
    if (namespaceId && namespaceId !== step.id) step.after.push(namespaceId);
    const crd = crds.get(`${parseApiVersion(step.manifest.apiVersion).group}/${step.manifest.kind}`);
    if (crd) step.after.push(crd);
    if (step.manifest.kind === 'Namespace') chartOfNamespace.set(step.manifest.metadata.name, step.chart);
  }

  for (const secret of secrets) {
    const { namespace, ref, users } = secret.use;
    const id = objectId({ apiVersion: 'v1', kind: 'Secret', metadata: { name: ref.name, namespace } });
    const used = paths.filter((p) => p.kind !== 'Namespace' && users.some((u) => p.path === u || p.path.startsWith(`${u}/`)));
    const namespaceId = namespaces.get(namespace);
    const chart = chartOfNamespace.get(namespace) ?? used[0]?.chart;
    add({ kind: 'secret', id, chart, secret, after: namespaceId ? [namespaceId] : [] });
    for (const p of used) steps.get(p.id)!.after.push(id);
  }

  const gates = new Map<string, string>();
  const gateNames = new Set<string>();
  for (const step of [...steps.values()]) {
    const release = step.kind === 'object' ? step.release : undefined;
    if (step.kind !== 'object' || release?.readiness.kind !== 'job') continue;
    const { jobName, jobNamespace } = release.readiness;
    const id = `gate/${step.id}`;
    // Job names are DNS labels; a tenant's qualified release name `<namespace>.<id>` becomes `<namespace>-<id>`.
    const name = `wait-${release.releaseName.replace(/\./g, '-')}`;
    if (gateNames.has(name)) {
      Problems.of(release)
        .add(
          'name',
          release.releaseName,
          `needs the gate Job ${name} in ${jobNamespace}, which another release's gate already has`,
          'rename the tenant or the service',
        )
        .throwIfAny();
    }
    const revision = createHash('sha256').update(JSON.stringify(step.manifest)).digest('hex').slice(0, 16);
    add({
      kind: 'gate',
      id,
      chart: step.chart,
      name,
      waits: jobCompletion(jobName, jobNamespace, release.timeout),
      revision,
      cause: { kind: 'install', release, target: step.id },
      after: [step.id],
    });
    gates.set(step.id, id);
    gateNames.add(name);
  }

  const declarations = new Map<IConstruct, number>();
  for (const { provider, kinds, timeout } of platform.readiness.runtimeKinds) {
    const index = declarations.get(provider) ?? 0;
    declarations.set(provider, index + 1);
    const served = (p: { group: string; kind: string }) => kinds.some((k) => k.group === p.group && k.kind === p.kind);
    const users = paths.filter(served);
    if (users.length === 0) continue;
    const emitted = kinds.filter((k) => users.some((u) => u.group === k.group && u.kind === k.kind));
    const root = provider.node.path;
    const members = paths.filter((p) => (p.path === root || p.path.startsWith(`${root}/`)) && !served(p));
    const key = index === 0 ? root : `${root}#${index + 1}`;
    const name = runtimeGateName(platform, provider, index, gateNames);
    gateNames.add(name);
    const id = `gate/crds/${key}`;
    add({
      kind: 'gate',
      id,
      chart: chartOf(provider),
      name,
      waits: emitted.flatMap((k) => crdEstablished(`${k.plural}.${k.group}`, timeout ?? DEFAULT_TIMEOUT)),
      cause: { kind: 'runtime-kinds', key, provider, kinds: emitted, users: users.map((u) => u.id) },
      after: [...new Set(members.map((m) => m.id))],
    });
    for (const user of users) steps.get(user.id)!.after.push(id);
  }

  for (const step of steps.values()) {
    if (step.kind === 'gate' && step.cause.kind === 'install') continue;
    for (const dep of [...step.after]) {
      const gate = gates.get(dep);
      if (gate) step.after.push(gate);
    }
  }
  return order([...steps.values()]);
}

/**
 * Bootstrap releases are installed before Flux, so they can only follow other bootstrap releases; and Helm
 * itself cannot read values from Secrets in the cluster.
 */
function checkBootstrap(releases: ReadonlySet<Release>): void {
  for (const release of releases) {
    const problems = Problems.of(release);
    for (const dependency of release.dependsOn) {
      problems.check(
        dependency.bootstrap,
        'dependsOn',
        dependency.node.path,
        'is not a bootstrap release: Flux installs it, and Flux needs the pod network that this bootstrap release creates',
        'make that release a bootstrap release too, or drop the dependency',
      );
    }
    problems.check(
      release.valuesFrom.length === 0,
      'valuesFrom',
      release.valuesFrom.map((v) => `${v.secretName}/${v.key}`),
      'cannot be used by a bootstrap release on a Flux platform: Pulumi installs it with Helm, which takes values only',
      'pass the settings as values',
    );
    problems.throwIfAny();
  }
}

/**
 * A HelmRelease without the `dependsOn` entries that name bootstrap releases: their HelmReleases are never applied,
 * so helm-controller would wait for them forever; Pulumi applies the HelmRelease after their Helm installs instead.
 */
function withoutBootstrapDependencies(manifest: Manifest, bootstrapKeys: ReadonlySet<string>): Manifest {
  const spec = manifest.spec as { dependsOn?: { name: string; namespace?: string }[] } | undefined;
  if (manifest.kind !== 'HelmRelease' || !isFluxObject(manifest.apiVersion) || !spec?.dependsOn) return manifest;
  const kept = spec.dependsOn.filter((d) => !bootstrapKeys.has(`${d.namespace ?? manifest.metadata.namespace}/${d.name}`));
  if (kept.length === spec.dependsOn.length) return manifest;
  const { dependsOn: _dropped, ...rest } = spec;
  return { ...manifest, spec: kept.length > 0 ? { ...rest, dependsOn: kept } : rest };
}

/** Steps with every step after those it follows; the first order in which they were added wherever the edges allow. */
function order(steps: PlanStep[]): PlanStep[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const done = new Set<string>();
  const visiting: string[] = [];
  const sorted: PlanStep[] = [];
  const visit = (step: PlanStep) => {
    if (done.has(step.id)) return;
    if (visiting.includes(step.id)) {
      throw new Error(`The deployment order has a cycle: ${[...visiting.slice(visiting.indexOf(step.id)), step.id].join(' -> ')}`);
    }
    visiting.push(step.id);
    for (const dep of new Set(step.after)) visit(byId.get(dep)!);
    visiting.pop();
    done.add(step.id);
    sorted.push(step);
  };
  steps.forEach(visit);
  return sorted;
}

const DEFAULT_TIMEOUT = '10m';
/** Condition types as Kubernetes and Pulumi's `condition=Type[=Value]` take them. */
const CONDITION = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?(=[A-Za-z0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
const MAX_LABEL = 63;
const HASH_LENGTH = 8;

/**
 * Checks what constructs declared in `platform.readiness`, reporting every problem at once, and returns the
 * condition waits by object.
 */
function checkReadiness(platform: Platform, ids: ReadonlyMap<ApiObject, string>): Map<ApiObject, { condition: string; timeout: string }[]> {
  const problems = Problems.of(platform);
  const byObject = new Map<ApiObject, { condition: string; timeout: string }[]>();
  for (const { object, condition, timeout = DEFAULT_TIMEOUT } of platform.readiness.conditions) {
    const at = `waitForCondition(${object.node.path})`;
    let ok = problems.check(
      ids.has(object),
      `${at}.object`,
      object.node.path,
      'is not an object of this platform',
      'use Platform.of(object).readiness',
    );
    ok =
      problems.check(
        CONDITION.test(condition),
        `${at}.condition`,
        condition,
        'must be a condition type such as Available (optionally Type=Value)',
      ) && ok;
    ok = problems.check(isDuration(timeout), `${at}.timeout`, timeout, 'must be a duration such as 10m or 1h30m') && ok;
    if (ok) byObject.set(object, [...(byObject.get(object) ?? []), { condition, timeout }]);
  }
  for (const { provider, kinds, timeout } of platform.readiness.runtimeKinds) {
    const at = `servedAtRuntime(${provider.node.path})`;
    const root = platform.node.path;
    problems.check(
      provider.node.path === root || provider.node.path.startsWith(`${root}/`),
      `${at}.provider`,
      provider.node.path,
      'is not part of this platform',
      'use Platform.of(provider).readiness',
    );
    problems.check(kinds.length > 0, `${at}.kinds`, kinds, 'must name at least one kind');
    for (const [i, k] of kinds.entries()) {
      problems.check(
        isDnsSubdomain(k.group) && k.group.includes('.'),
        `${at}.kinds[${i}].group`,
        k.group,
        'must be the API group of a CRD, a DNS subdomain with a dot such as kubevirt.io',
      );
      problems.check(KIND.test(k.kind), `${at}.kinds[${i}].kind`, k.kind, 'must be a kind in CamelCase such as VirtualMachine');
      problems.check(
        isDnsLabel(k.plural),
        `${at}.kinds[${i}].plural`,
        k.plural,
        'must be the lower-case plural resource name such as virtualmachines',
      );
    }
    if (timeout !== undefined) problems.check(isDuration(timeout), `${at}.timeout`, timeout, 'must be a duration such as 10m or 1h30m');
  }
  problems.throwIfAny();
  return byObject;
}

/** Everything Pulumi must await for one object: its release's condition, and conditions declared for it. */
function objectWait(
  manifest: Manifest,
  release: Release | undefined,
  declared: readonly { condition: string; timeout: string }[] = [],
): ObjectWait | undefined {
  const waits = declared.map((d) => ({ waitFor: `condition=${d.condition}`, seconds: parseDuration(d.timeout) }));
  if (release?.readiness.kind === 'condition')
    waits.unshift({ waitFor: `condition=${release.readiness.condition}`, seconds: releaseSeconds(manifest) });
  if (waits.length === 0) return undefined;
  return { waitFor: [...new Set(waits.map((w) => w.waitFor))], timeout: formatDuration(Math.max(...waits.map((w) => w.seconds))) };
}

/** Flux retries a failed install before the release turns Ready or finally fails: allow the timeout once per attempt. */
function releaseSeconds(manifest: Manifest): number {
  const spec = manifest.spec as { timeout?: string; install?: { remediation?: { retries?: number } } } | undefined;
  const attempts = 1 + Math.max(0, spec?.install?.remediation?.retries ?? 0);
  return parseDuration(spec?.timeout ?? '5m') * attempts;
}

/** The nearest chart above `scope`, if any. */
function chartOf(scope: IConstruct): Chart | undefined {
  return [...scope.node.scopes].reverse().find((c): c is Chart => c instanceof Chart);
}

/**
 * `wait-crds-<provider path below the platform>`, `-<n>` for a provider's later declarations; cut to a DNS
 * label with a hash of the full path when too long, or when another gate already has the name.
 */
function runtimeGateName(platform: Platform, provider: IConstruct, index: number, taken: ReadonlySet<string>): string {
  const below = provider.node.path.slice(platform.node.path.length).replace(/^\//, '');
  const slug = below
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const name = ['wait-crds', slug, index > 0 ? String(index + 1) : ''].filter((part) => part !== '').join('-');
  if (isDnsLabel(name) && !taken.has(name)) return name;
  const hash = createHash('sha256').update(`${provider.node.path}#${index}`).digest('hex').slice(0, HASH_LENGTH);
  return `${name.slice(0, MAX_LABEL - HASH_LENGTH - 1).replace(/-+$/, '')}-${hash}`;
}
