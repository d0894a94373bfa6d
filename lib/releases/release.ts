import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from '../core/errors';
import { isDnsLabel } from '../core/names';
import { isTenantNamespace } from '../core/namespaces';
import { Platform } from '../core/platform';
import { checkProps } from '../core/props-check';
import { HelmChartSource, isExactVersion } from './chart';
import { renderFlux } from './flux';
import { renderK3s } from './k3s';
import { ChartValues, isValuesMap, mergeValues } from './values';

export interface ReleaseProps {
  /** Release name; also the name of the HelmRelease or HelmChart object (see `helmReleaseName` for K3s tenants). */
  readonly name: string;
  /** Namespace the chart installs into. */
  readonly namespace: string;
  readonly source: HelmChartSource;
  /** Chart values. They must not hold secrets: pass those through `valuesFrom`. */
  readonly values?: Record<string, unknown>;
  /** Secret keys (in `namespace`) holding YAML values documents merged over `values` at install time. */
  readonly valuesFrom?: readonly ReleaseValuesFrom[];
  /** How long one install or upgrade may take, e.g. `10m` or `1h30m`. @default '10m' @pattern ^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$ */
  readonly timeout?: string;
  /**
   * The release must be installed before the pod network exists: CNIs. The K3s helm-controller runs its install
   * Job on the host network (HelmChart `spec.bootstrap`); the Pulumi bridge installs it with Helm itself, before
   * Flux, whose controllers need the pod network.
   * @default false
   */
  readonly bootstrap?: boolean;
}

/** Helm's limit on release names. */
const HELM_RELEASE_NAME_LENGTH = 53;
/** The K3s helm-controller installs a HelmChart with the Job `helm-install-<name>`, whose name must fit 63 characters. */
const K3S_INSTALL_JOB_PREFIX = 'helm-install-';

/**
 * The Helm release name of release `name` into `namespace`. The K3s helm-controller names the release after its
 * HelmChart, and every HelmChart lives in kube-system, so a release into a tenant namespace is named
 * `<namespace>.<name>`: neither part can contain a dot, so two tenants' HelmCharts cannot collide, nor one with a
 * system component's. Flux keeps each HelmRelease in its own namespace under its plain name.
 */
export function helmReleaseName(platform: Platform, name: string, namespace: string): string {
  return platform.delivery === 'k3s' && isTenantNamespace(platform, namespace) ? `${namespace}.${name}` : name;
}

/** A Secret key whose content is a YAML values document (Flux `valuesFrom`, helm-controller `valuesSecrets`). */
export interface ReleaseValuesFrom {
  /** A Secret name (DNS-1123 subdomain). @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ @maxLength 253 */
  readonly secretName: string;
  /** A key of the Secret. @pattern ^[-._a-zA-Z0-9]+$ @maxLength 253 */
  readonly key: string;
}

/** What a deployment must wait for before anything that needs this release may be applied. */
export type ReleaseReadiness =
  /** The release object reports this condition True (Flux HelmRelease `Ready`). */
  | { readonly kind: 'condition'; readonly object: ApiObject; readonly condition: string }
  /** The helm-controller's install Job for the release object completes. */
  | { readonly kind: 'job'; readonly object: ApiObject; readonly jobName: string; readonly jobNamespace: string };

/**
 * The intent to install one pinned upstream Helm chart. The platform's delivery strategy decides which
 * objects realize it; releases of required components become its `dependsOn`.
 */
export class Release extends Construct {
  /** The Helm release name: `name`, or `<namespace>.<name>` for a tenant's K3s HelmChart (see `helmReleaseName`). */
  readonly releaseName: string;
  readonly namespace: string;
  readonly source: HelmChartSource;
  readonly valuesFrom: readonly ReleaseValuesFrom[];
  readonly timeout: string;
  /** Installed before the pod network exists (see `ReleaseProps.bootstrap`). */
  readonly bootstrap: boolean;
  /** The object whose readiness means the chart is installed. */
  readonly readiness: ReleaseReadiness;
  private readonly dependencies: Release[] = [];
  private currentValues: ChartValues;

  constructor(scope: Construct, id: string, props: ReleaseProps) {
    checkProps(scope, id, 'ReleaseProps', props);
    super(scope, id);
    const problems = Problems.of(this);
    problems.check(
      isDnsLabel(props.name, 53),
      'name',
      props.name,
      'must be a DNS-1123 label of at most 53 characters (Helm release names)',
    );
    problems.check(isDnsLabel(props.namespace), 'namespace', props.namespace, 'must be a DNS-1123 label');
    problems.check(
      /^(https|oci):\/\/\S+$/.test(props.source.repository),
      'source.repository',
      props.source.repository,
      'must be an https:// or oci:// address',
    );
    problems.check(
      isExactVersion(props.source.version),
      'source.version',
      props.source.version,
      'must be one exact chart version (no ranges, no "latest")',
      'pin it in lib/versions.ts',
    );
    const platform = Platform.of(this);
    const releaseName = helmReleaseName(platform, props.name, props.namespace);
    if (releaseName !== props.name) {
      const limit = Math.min(HELM_RELEASE_NAME_LENGTH, 63 - K3S_INSTALL_JOB_PREFIX.length);
      problems.check(
        releaseName.length <= limit,
        'name',
        props.name,
        `makes the K3s HelmChart (and Helm release) "${releaseName}" ${releaseName.length} characters long; kube-system holds the HelmCharts of every tenant, so they are named <tenant namespace>.<name>, and Helm and the helm-install Job allow ${limit}`,
        `shorten the tenant name or the id so that together they have at most ${limit - 'tenant-.'.length} characters`,
      );
    }
    problems.throwIfAny();
    this.releaseName = releaseName;
    this.namespace = props.namespace;
    this.source = props.source;
    this.currentValues = mergeValues({}, props.values);
    this.valuesFrom = props.valuesFrom ?? [];
    this.timeout = props.timeout ?? '10m';
    this.bootstrap = props.bootstrap ?? false;
    this.readiness = platform.delivery === 'flux' ? renderFlux(this) : renderK3s(this);
    this.node.defaultChild = this.readiness.object;
  }

  /** The chart values the release installs with: those given at construction and every `addValues` merged over them. */
  get values(): Readonly<ChartValues> {
    return mergeValues({}, this.currentValues);
  }

  /**
   * Merges `values` over the release's values (see `mergeValues`: maps merge, everything else replaces, `null`
   * removes). Both deliveries render the values at synthesis, so values added after construction reach them.
   */
  addValues(values: Readonly<ChartValues>): void {
    const problems = Problems.of(this);
    problems.check(isValuesMap(values), 'values', values, 'must be a map of chart values, e.g. { image: { pullPolicy: "Always" } }');
    problems.throwIfAny();
    this.currentValues = mergeValues(this.currentValues, values);
  }

  /** Makes this release wait for others (Flux `dependsOn`, manifest order, Pulumi `dependsOn`). */
  addDependency(...releases: Release[]): void {
    for (const release of releases) {
      if (release !== this && !this.dependencies.includes(release)) {
        this.dependencies.push(release);
        this.node.addDependency(release);
      }
    }
  }

  /** The releases this one waits for. */
  get dependsOn(): readonly Release[] {
    return this.dependencies;
  }
}
