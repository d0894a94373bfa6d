import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { Chart } from 'cdk8s';
import { ServiceConnection } from '../../constructs/data/service-connection';
import { Platform } from '../core/platform';
import { fluxRelease } from './flux';
import { bootstrapRelease } from './helm';
import { Manifest, objectResource } from './objects';
import { ObjectWait, planDeployment, PlanStep } from './plan';
import { SecretToProvide, secretsToProvide, serviceConnections } from './platform-outputs';
import { ReadinessGate } from './readiness-gate';
import { configSecretValues, planSecrets, secretResource, SecretValues } from './secrets';
import { CHART_TYPES, PLATFORM_DEPLOYMENT_TYPE } from './type-tokens';

export interface PlatformDeploymentArgs {
  /** The platform to deploy; it is rendered once, here. */
  readonly platform: Platform;
  /** The cluster to deploy to. @default - the default Kubernetes provider, or one passed in the resource options */
  readonly provider?: k8s.Provider;
  /** Install the Flux controllers (source, helm) into `flux-system` before any Flux object. @default platform.delivery === 'flux' */
  readonly installFlux?: boolean;
  /**
   * Values of Secrets whose source is `config`, by Secret name then key.
   * @default the secret config object `kubestrata:secrets` (`pulumi config set --secret --path 'kubestrata:secrets.<name>.<key>' …`)
   */
  readonly secrets?: SecretValues;
}

/**
 * Deploys a synthesized platform through @pulumi/kubernetes: one resource per object under one component
 * per chart, ordered by the platform's dependency graph, with Secrets created from config and every
 * custom resource waiting until the operator that serves it is installed. `platform.readiness` adds the
 * waits the graph cannot express: objects that must report a condition carry `pulumi.com/waitFor` (in the
 * Pulumi resource only, never in the manifests), and kinds whose CRDs an operator registers at run time
 * wait behind a gate that follows the whole operator.
 *
 * On a Flux platform, bootstrap releases (CNIs) are installed by Pulumi with Helm (`helm.v3.Release`) in place
 * of their Flux objects, and the Flux install and every Flux object wait for them: Flux's controllers run on
 * the pod network that those releases create.
 */
export class PlatformDeployment extends pulumi.ComponentResource {
  /** The resource of each object and created Secret, by `apiVersion/kind/namespace/name`. */
  readonly resources: ReadonlyMap<string, pulumi.CustomResource>;
  /** The gate that waits for each K3s HelmChart's install Job, by the HelmChart's id. */
  readonly gates: ReadonlyMap<string, ReadinessGate>;
  /**
   * The gate of each `servedAtRuntime` declaration whose kinds the platform emits, by the provider's construct
   * path (`<path>#<n>` for its n-th declaration).
   */
  readonly runtimeGates: ReadonlyMap<string, ReadinessGate>;
  /** The Flux install, when this deployment installs Flux. */
  readonly flux?: k8s.helm.v3.Release;
  /** The Helm install of each bootstrap release on a Flux platform, by `helm.sh/v3/Release/<namespace>/<name>`. */
  readonly bootstrapReleases: ReadonlyMap<string, k8s.helm.v3.Release>;
  /** Where applications reach each data service (hosts, ports, credentials and CA Secrets), by construct path; a stack output. */
  readonly connections: Readonly<Record<string, ServiceConnection>>;
  /** The Secrets whose values come from config or from outside the deployment, by name and keys; a stack output. */
  readonly secretsToProvide: readonly SecretToProvide[];

  constructor(name: string, args: PlatformDeploymentArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { platform } = args;
    const charts = platform.render();
    const secrets = planSecrets(platform, args.secrets ?? configSecretValues());
    const steps = planDeployment(platform, charts, secrets, args.installFlux ?? platform.delivery === 'flux');
    super(PLATFORM_DEPLOYMENT_TYPE, name, {}, withProvider(opts, args.provider));

    const components = new Map<Chart, ChartComponent>();
    const parentOf = (chart: Chart | undefined) => {
      if (!chart) return this;
      let component = components.get(chart);
      if (!component) {
        const type = CHART_TYPES[Platform.chartRole(chart) ?? 'other'];
        components.set(chart, (component = new ChartComponent(type, `${name}/${chart.node.path}`, { parent: this })));
      }
      return component;
    };
    const resources = new Map<string, pulumi.CustomResource>();
    const gates = new Map<string, ReadinessGate>();
    const runtimeGates = new Map<string, ReadinessGate>();
    const bootstrapReleases = new Map<string, k8s.helm.v3.Release>();
    const created = new Map<string, pulumi.Resource>();
    for (const step of steps) {
      const dependsOn = [...new Set(step.after)].map((id) => created.get(id)!);
      const resource = this.create(name, step, { parent: step.kind === 'flux' ? this : parentOf(step.chart), dependsOn });
      created.set(step.id, resource);
      if (step.kind === 'flux') this.flux = resource as k8s.helm.v3.Release;
      else if (step.kind === 'helm') bootstrapReleases.set(step.id, resource as k8s.helm.v3.Release);
      else if (step.kind !== 'gate') resources.set(step.id, resource as pulumi.CustomResource);
      else if (step.cause.kind === 'install') gates.set(step.cause.target, resource as ReadinessGate);
      else runtimeGates.set(step.cause.key, resource as ReadinessGate);
    }
    for (const component of components.values()) component.complete();
    this.resources = resources;
    this.gates = gates;
    this.runtimeGates = runtimeGates;
    this.bootstrapReleases = bootstrapReleases;
    this.connections = serviceConnections(platform);
    this.secretsToProvide = secretsToProvide(platform);
    this.registerOutputs({ connections: this.connections, secretsToProvide: this.secretsToProvide });
  }

  private create(name: string, step: PlanStep, opts: pulumi.CustomResourceOptions): pulumi.Resource {
    const resourceName = `${name}/${step.id}`;
    switch (step.kind) {
      case 'flux':
        return fluxRelease(resourceName, opts);
      case 'helm':
        return bootstrapRelease(resourceName, step.release, step.values, opts);
      case 'secret':
        return secretResource(resourceName, step.secret, opts);
      case 'gate':
        return new ReadinessGate(resourceName, { name: step.name, waits: step.waits, revision: step.revision }, opts);
      case 'object':
        return step.wait
          ? objectResource(resourceName, awaited(step.manifest, step.wait), {
              ...opts,
              customTimeouts: { create: step.wait.timeout, update: step.wait.timeout },
            })
          : objectResource(resourceName, step.manifest, opts);
    }
  }
}

/** The options with `provider` added to the providers that children inherit. */
function withProvider(opts: pulumi.ComponentResourceOptions, provider: k8s.Provider | undefined): pulumi.ComponentResourceOptions {
  if (!provider) return opts;
  const given = opts.providers === undefined ? [] : Array.isArray(opts.providers) ? opts.providers : Object.values(opts.providers);
  return { ...opts, providers: [...given, provider] };
}

/** The resources of one chart of the platform. */
class ChartComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
  }

  complete(): void {
    this.registerOutputs({});
  }
}

/** The object with the annotation that makes Pulumi await its readiness: one expression, or a JSON list that must all hold. */
function awaited(manifest: Manifest, wait: ObjectWait): Manifest {
  const waitFor = wait.waitFor.length === 1 ? wait.waitFor[0] : JSON.stringify(wait.waitFor);
  const annotations = { ...(manifest.metadata.annotations as Record<string, string> | undefined), 'pulumi.com/waitFor': waitFor };
  return { ...manifest, metadata: { ...manifest.metadata, annotations } };
}
