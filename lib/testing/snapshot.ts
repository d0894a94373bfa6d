import { IConstruct } from 'constructs';
import { renderedUnder } from './rendered';

/** Manifests by the construct path of their chart (`platform/data`, `platform/shop`), in synthesis order. */
export type ManifestsByChart = Record<string, any[]>;

/**
 * The manifests under `scope` — a platform, a tenant or any construct — grouped by chart, for
 * `expect(snapshot(tenant)).toMatchSnapshot()`. The same platform gives the same snapshot on every run and machine:
 * synthesis is deterministic and needs neither the network nor the clock.
 */
export function snapshot(scope: IConstruct): ManifestsByChart {
  const byChart: ManifestsByChart = {};
  for (const { chart, objects } of renderedUnder(scope)) byChart[chart.node.path] = objects.map((o) => o.manifest);
  return byChart;
}
