import type { ApiObject } from 'cdk8s';
import type { DeliveryKind, Platform } from '../../../lib/core/platform';
import type { Tenant } from '../../../constructs/platform/tenant';
import type { Release } from '../../../lib/releases/release';
import type { PlatformDeployment } from '../../../lib/pulumi';
import { Deployed, deployWithMocks, Modules } from './harness';
import { NAME } from './fixture';

export const ENGINE_PATH = 'platform/virtualization/engine';
export const ENGINE = `${NAME}/example.io/v1/Engine/engine-system/engine`;
export const WIDGET_GATE = `${NAME}/gate/crds/${ENGINE_PATH}`;
export const widget = (tenant: string, name: string) => `${NAME}/example.io/v1/Widget/tenant-${tenant}/${name}`;

export interface EnginePlatform {
  readonly platform: Platform;
  /** The operator-like component: its release, its Namespace and its `Engine` CR. */
  readonly engine: { readonly cr: ApiObject; readonly namespace: ApiObject; readonly release: Release };
}

export interface EngineOptions {
  readonly delivery?: DeliveryKind;
  /** Adds more to the platform after the tenants. */
  readonly extend?: (mods: Modules, platform: Platform) => void;
}

/**
 * A platform with one operator-like component, Engine: it installs a chart, creates an `example.io/v1`
 * Engine CR that is ready once `Available`, and then registers the CRDs of Widget and Gadget (one
 * declaration) and of Sprocket (another) at run time. Tenants acme and globex each run a WidgetApp, which
 * requires Engine and emits a Widget; nothing emits a Gadget or a Sprocket.
 */
export function buildEnginePlatform(mods: Modules, options: EngineOptions = {}): EnginePlatform {
  const { ks, cdk8s, constructs } = mods;

  class Engine extends ks.Component {
    readonly cr: ApiObject;
    readonly namespace: ApiObject;
    readonly release: Release;

    constructor(platform: Platform) {
      super(platform, 'virtualization', 'engine');
      this.namespace = new cdk8s.ApiObject(this, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'engine-system' } });
      const release = (this.release = new ks.Release(this, 'release', {
        name: 'engine-operator',
        namespace: 'engine-system',
        source: { repository: 'https://charts.example.io', chart: 'engine-operator', version: '1.4.2' },
      }));
      release.node.addDependency(this.namespace);
      this.cr = new cdk8s.ApiObject(this, 'cr', {
        apiVersion: 'example.io/v1',
        kind: 'Engine',
        metadata: { name: 'engine', namespace: 'engine-system' },
        spec: { workloads: { replicas: 2 } },
      });
      this.cr.node.addDependency(release);
      platform.readiness.waitForCondition(this.cr, 'Available');
      platform.readiness.servedAtRuntime(this, [
        { group: 'example.io', kind: 'Widget', plural: 'widgets' },
        { group: 'example.io', kind: 'Gadget', plural: 'gadgets' },
      ]);
      platform.readiness.servedAtRuntime(this, [{ group: 'example.io', kind: 'Sprocket', plural: 'sprockets' }], '20m');
    }
  }

  class WidgetApp extends constructs.Construct {
    constructor(tenant: Tenant, id: string) {
      super(tenant, id);
      tenant.platform.registry.require(this, Engine);
      new cdk8s.ApiObject(this, 'widget', {
        apiVersion: 'example.io/v1',
        kind: 'Widget',
        metadata: { name: id, namespace: tenant.namespaceName },
        spec: { size: 'small' },
      });
    }
  }

  const platform = new ks.Platform(new cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery: options.delivery ?? 'flux' });
  for (const name of ['acme', 'globex']) new WidgetApp(new ks.Tenant(platform, name), 'shop');
  options.extend?.(mods, platform);
  const engine = platform.registry.all().find((c): c is Engine => c instanceof Engine)!;
  return { platform, engine };
}

export async function deployEnginePlatform(
  mods: Modules,
  options: EngineOptions = {},
): Promise<Deployed<PlatformDeployment> & EnginePlatform> {
  const built = buildEnginePlatform(mods, options);
  const deployed = await deployWithMocks(
    mods,
    (opts) => new mods.bridge.PlatformDeployment(NAME, { platform: built.platform, secrets: {} }, opts),
  );
  return { ...deployed, ...built };
}
