import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Platform } from '../core/platform';
import { SynthesizedChart, synthesize } from '../core/synth';

/** The platform above `scope`, if any. */
export function platformAbove(scope: IConstruct): Platform | undefined {
  return scope.node.scopes.find((c): c is Platform => c instanceof Platform);
}

/**
 * The charts of the app that holds `scope`, rendered as synthesis renders them (through the platform when there is
 * one), each with only the objects under `scope`; charts left without objects are dropped.
 */
export function renderedUnder(scope: IConstruct): SynthesizedChart[] {
  const charts = platformAbove(scope)?.render() ?? synthesize(App.of(scope));
  const root = scope.node.path;
  const under = (path: string) => root === '' || path === root || path.startsWith(`${root}/`);
  return charts
    .map((chart) => ({ ...chart, objects: chart.objects.filter((o) => under(o.apiObject.node.path)) }))
    .filter((chart) => chart.objects.length > 0);
}
