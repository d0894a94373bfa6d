import { ApiObject, Chart } from 'cdk8s';
import { Component, ComponentClass } from '../../../lib/core/component';
import { ConfigurationError } from '../../../lib/core/errors';
import { Platform } from '../../../lib/core/platform';
import { newPlatform } from '../../helpers';

class Base extends Component {
  constructor(platform: Platform) {
    super(platform, 'platform', 'base');
    new ApiObject(this, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'base', namespace: 'system' } });
  }
}

class Middle extends Component {
  constructor(platform: Platform) {
    super(platform, 'data', 'middle');
    this.requires(Base);
    new ApiObject(this, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'middle', namespace: 'system' } });
  }
}

class Calico extends Component {
  static conflicts(): ComponentClass[] {
    return [KubeOvn];
  }
  constructor(platform: Platform) {
    super(platform, 'network', 'calico');
  }
}

class KubeOvn extends Component {
  constructor(platform: Platform) {
    super(platform, 'network', 'kube-ovn');
  }
}

class Loop extends Component {
  constructor(platform: Platform) {
    super(platform, 'platform', 'loop');
    this.requires(Other);
  }
}

class Other extends Component {
  constructor(platform: Platform) {
    super(platform, 'platform', 'other');
    this.requires(Loop);
  }
}

describe('component registry', () => {
  test('requires adds a component once and returns the same instance', () => {
    const platform = newPlatform();
    const a = platform.registry.require(platform, Middle);
    const b = platform.registry.require(platform, Middle);
    expect(a).toBe(b);
    expect(platform.registry.all().map((c) => c.constructor.name)).toEqual(['Middle', 'Base']);
  });

  test('requirements are typed edges in both the registry and the construct tree', () => {
    const platform = newPlatform();
    const middle = platform.registry.require(platform, Middle);
    const base = platform.registry.find(Base)!;
    expect(platform.registry.requirementsOf(middle)).toEqual([base]);
    expect(middle.node.dependencies).toContain(base);
  });

  test('a required component is ordered before its dependants in the manifests', () => {
    const platform = newPlatform();
    const chart = new Chart(platform, 'app');
    const user = new ApiObject(chart, 'user', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'user', namespace: 'app' } });
    platform.registry.require(user, Middle);
    const charts = platform.render();
    const order = charts.flatMap((c) => c.objects.map((o) => o.manifest.metadata.name));
    expect(order).toEqual(['base', 'middle', 'user']);
    const userObject = charts.flatMap((c) => c.objects).find((o) => o.manifest.metadata.name === 'user')!;
    expect(userObject.dependsOn.map((d) => d.node.path)).toEqual(['platform/data/middle/cm']);
  });

  test('creating a component explicitly first customizes it; creating it after it was required is an error', () => {
    const platform = newPlatform();
    const explicit = new Base(platform);
    expect(platform.registry.require(platform, Middle)).toBeDefined();
    expect(platform.registry.find(Base)).toBe(explicit);
    expect(() => new Base(platform)).toThrow(ConfigurationError);
    expect(() => new Base(platform)).toThrow(
      /\[platform\/platform\/base\] 1 problem:\n  - component: "Base" already exists at platform\/platform\/base \(added by requires\(\) from platform\/data\/middle\); a platform has one Base\. Fix: create Base once, before anything that requires it, to customize it\./,
    );
  });

  test('conflicting components name both sides, whichever comes first', () => {
    const first = newPlatform();
    new KubeOvn(first);
    expect(() => new Calico(first)).toThrow(
      'component: "Calico" conflicts with KubeOvn at platform/network/kube-ovn. Fix: choose one of Calico and KubeOvn.',
    );
    const second = newPlatform();
    new Calico(second);
    expect(() => new KubeOvn(second)).toThrow(
      'component: "KubeOvn" conflicts with Calico at platform/network/calico. Fix: choose one of KubeOvn and Calico.',
    );
  });

  test('a requirement cycle is an error naming the whole cycle', () => {
    const platform = newPlatform();
    expect(() => platform.registry.require(platform, Loop)).toThrow(
      '[platform/platform/loop] 1 problem:\n  - requires: "Other" would create a cycle: platform/platform/loop -> platform/platform/other -> platform/platform/loop. Fix: remove one of the requirements.',
    );
  });

  test('Platform.of finds the platform from any construct and explains when there is none', () => {
    const platform = newPlatform();
    const chart = new Chart(platform, 'c');
    expect(Platform.of(chart)).toBe(platform);
    const stray = new Chart(platform.app, 'stray');
    expect(() => Platform.of(stray)).toThrow(ConfigurationError);
    expect(() => Platform.of(stray)).toThrow(
      '[stray] 1 problem:\n  - scope: "stray" is not inside a Platform.' +
        " Fix: create the platform first, new Platform(app, 'platform'), and the construct under it or one of its tenants.",
    );
  });
});
